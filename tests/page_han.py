"""Chinese in an English page: what may stay (names and what people typed) and what may not.

An English page may show Han characters only where they are stored proper names or text a
person typed, which keep the one language they were entered in: enterprises, people, places
without an English name, official list and batch names, citations of regulations, file names,
statements, comments and reasons. Everything the system words itself (titles, labels, subjects)
must be rendered in the reader's language. The allow-list is read from the data itself, plus
the Chinese terms our English strings quote on purpose (“Innovative SME (创新型中小企业)”).
"""

import re

import polib
from django.apps import apps
from django.conf import settings
from django.utils.translation import get_language_info

from tests.page_text import ROOT, visible_text

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Stored text kept as entered, per model: "app.Model": fields. A jurisdiction or an industry chain
# keeps its Chinese name only when no English name is kept (filtered below).
AS_ENTERED = {
    "enterprises.Enterprise": ("name", "main_product", "niche_market"),
    "enterprises.User": ("first_name", "last_name"),
    "enterprises.Jurisdiction": ("name",),
    "enterprises.IndustryChain": ("name",),
    "enterprises.Title": ("product", "batch", "source"),
    "enterprises.ImportJob": ("file_name",),
    "steplog.Step": ("actor_name", "comment"),
    "approvals.CalendarYear": ("source",),
    "approvals.CalendarDay": ("note",),
    "documents.Issuer": ("name", "office", "number_prefix"),
    "documents.Document": ("number", "void_reason"),
    "rewards.Payout": ("bank", "account_name", "hold_reason", "last_reason"),
    "rewards.RewardRound": ("name",),
    "rewards.Objection": ("text", "resolution"),
    "rewards.Clawback": ("reason",),
    "rewards.Revocation": ("reason",),
    "rewards.Fund": ("name",),
    "rewards.RewardPolicy": ("name",),
    "rewards.PastAward": ("source",),
    "workflows.ApplicationBatch": ("name",),
    "workflows.Application": ("product", "statement", "last_reason", "diagnosis_override_reason"),
    "workflows.ApplicationAttachment": ("name",),
    "workflows.PoolEntry": ("statement", "last_reason"),
    "workflows.PoolEntryAttachment": ("name",),
    "workflows.ExpertConflict": ("note",),
    "workflows.ExpertReview": ("opinion",),
    "workflows.CoachingPlan": ("closed_reason",),
    "workflows.CoachingItem": ("owner", "note"),
    "workflows.CoachingActivity": ("participants", "notes"),
    "workflows.RuleSet": ("source",),
    "workflows.Rule": ("source",),
    "workflows.Recognition": ("batch", "product", "source"),
    "workflows.RecognitionMatch": ("name", "source", "note"),
    "dashboard.PlanPeriod": ("name", "source"),
    "dashboard.WhiteListToken": ("bank_name",),
}
WITHOUT_ENGLISH_NAME = {"enterprises.Jurisdiction", "enterprises.IndustryChain"}


def stored_names() -> set[str]:
    """Every stored value of ``AS_ENTERED`` that holds Chinese (read from the database now)."""
    values = set()
    for label, fields in AS_ENTERED.items():
        rows = apps.get_model(label).objects.all()
        if label in WITHOUT_ENGLISH_NAME:
            rows = rows.filter(name_en="")
        for row in rows.values_list(*fields):
            values.update(value for value in row if isinstance(value, str) and HAN.search(value))
    return values


def quoted_terms() -> set[str]:
    """The Chinese our own English strings quote (a term glossed in brackets, a programme's name)."""
    terms = set()
    for path in [*ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"), ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]:
        for entry in polib.pofile(str(path)):
            if re.search(r"[A-Za-z]{2}", entry.msgid):
                terms.update(HAN.findall(entry.msgid))
    terms.update(get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES)
    return terms


def allowed_pattern(names: set[str], terms: set[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(text) for text in sorted(names | terms, key=len, reverse=True)))


def han_problems(html: str, allowed: re.Pattern) -> list[str]:
    """Chinese left in a page's visible text once every stored name and quoted term is taken out."""
    texts, _links = visible_text(html)
    return [f"Chinese {''.join(HAN.findall(rest))[:40]!r} in {text[:100]!r}"
            for text in texts if HAN.search(text) and HAN.search(rest := allowed.sub("", text))]
