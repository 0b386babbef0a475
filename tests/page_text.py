"""Crawl the pages a user reaches and find raw codes or untranslated strings in what they read.

Used by tests/test_page_text.py (and handy from a shell against the demo city).
"""

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import gettext

ROOT = Path(__file__).resolve().parents[1]
# Links a crawl does not follow: files, exports, downloads (each writes a step), the API and the admin.
SKIPPED = re.compile(
    r"(\.(pdf|xlsx|csv|png|svg|zip)$|/download|/export|/api/|/admin/|/accounts/logout|/i18n/|/static/|/media/|/verify/)"
)
ARROW_CODES = re.compile(r"\b[a-z][a-z_]+ → [a-z][a-z_]+\b|— → [a-z_]+\b|\b[a-z_]+ → —")


class _VisibleText(HTMLParser):
    """The text a reader sees (script and style skipped), one string per text node, plus the links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._hiding: list[str] = []  # the tags whose text is not read (scripts, icon ligatures)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template") or "material-icons" in (attrs.get("class") or ""):
            self._hidden += 1
            self._hiding.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if self._hiding and tag == self._hiding[-1]:
            self._hiding.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_text(html: str) -> tuple[list[str], list[str]]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts, parser.links


def raw_code_patterns() -> list[re.Pattern]:
    """Every registered step action, every state code with an underscore, and our model labels."""
    from django.apps import apps

    from approvals import actions

    codes = set(actions._labels) | {state for states in actions._state_labels.values() for state in states if "_" in state}
    ours = {config.label for config in apps.get_app_configs() if str(ROOT) in str(config.path)}
    models = {model._meta.label_lower for model in apps.get_models() if model._meta.app_label in ours}
    words = "|".join(re.escape(code) for code in sorted(codes | models, key=len, reverse=True))
    return [re.compile(rf"(?<![\w./-])({words})(?![\w/-])"), ARROW_CODES]


def untranslated_msgids() -> set[str]:
    """English UI strings of our catalogues that have a Chinese translation (so showing them in Chinese is a miss)."""
    msgids = set()
    for catalogue in sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.mo")) + [ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo"]:
        with catalogue.open("rb") as compiled:
            entries = gettext.GNUTranslations(compiled)._catalog
        for msgid, msgstr in entries.items():
            if isinstance(msgid, str) and msgid and msgstr != msgid and re.search(r"[A-Za-z]{3}", msgid) and "%" not in msgid:
                msgids.add(msgid)
    return msgids


def page_problems(html: str, *, chinese: bool, patterns, msgids) -> list[str]:
    texts, _links = visible_text(html)
    problems = []
    for text in texts:
        for pattern in patterns:
            problems += [f"raw code {match.group(0)!r} in {text[:80]!r}" for match in pattern.finditer(text)]
        if chinese and text in msgids:
            problems.append(f"untranslated {text!r}")
    return problems


def crawl(client, start: list[str], *, limit: int = 120, per_prefix: int = 3):
    """Yield (url, response) for pages reached from ``start`` by GET, breadth first.

    At most ``per_prefix`` pages share a path once its numbers are masked (one case page
    stands for all), and ``limit`` pages in all.
    """
    seen, shapes, queue = set(), {}, deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        shape = re.sub(r"\d+", "#", urlsplit(url).path)
        if shapes.get(shape, 0) >= per_prefix:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url, follow=True)
        yield url, response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in visible_text(response.content.decode())[1]:
            link = urldefrag(link)[0]
            if link.startswith("/") and not link.startswith("//") and not SKIPPED.search(link) and link not in seen:
                queue.append(link)


# The one money format (enterprises.fields.money_text) and one date format per language (project/formats).
# Each pattern is a form a reader of that language should never meet; amounts below 10,000 yuan may read 元.
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_EITHER = [
    (re.compile(r"(?<![\w.,/-])\d{5,}\.\d{2}(?![\d%])"), "a bare amount"),
    (re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])"), "an ISO date"),
    (re.compile(r"(?<![\w/])\d{1,2}/\d{1,2}/\d{4}(?![\w/])"), "a mm/dd/yyyy date"),
]
FORMAT_PATTERNS = {
    "zh": [
        *_EITHER,
        # Whole 万 of four digits ("营业收入1500万元以上") are the criteria's own wording, quoted as published.
        (re.compile(r"(?<![\d.,])(\d{5,}(\.\d+)?|\d{4}\.\d+)万元"), "万元 without thousands separators"),
        (re.compile(r"(?<![\d.,])(\d{2,3},\d{3}|\d{1,3}(,\d{3}){2,}|\d{5,})(\.\d+)?元"), "an amount of 10,000 yuan or more not in 万元"),
        (re.compile(r"¥\s?\d|\d yuan\b"), "an English amount"),
        (re.compile(rf"\b\d{{1,2}} ({_MONTHS}) \d{{4}}\b"), "an English date"),
    ],
    "en": [
        *_EITHER,
        (re.compile(r"(?<![\d.,])[\d,]*\d(\.\d+)?万?元"), "a Chinese amount"),
        (re.compile(r"\d yuan\b"), "an amount not written ¥"),
        (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"), "a Chinese date"),
    ],
}


HAN = re.compile(r"[\u4e00-\u9fff]")
CHINESE_FORMS = re.compile(r"\d万元|\d元|\d年\d{1,2}月\d{1,2}日")


def format_problems(html: str, *, chinese: bool) -> list[str]:
    """Amounts and dates in a form the page's language does not use (3450.2万元, 34502000.00, 2026-11-30 …).

    An English page may quote text stored in Chinese (a coaching item's remedy, written when the plan
    opened): Chinese forms inside a Chinese sentence are that text's own, not the page's."""
    texts, _links = visible_text(html)
    patterns = FORMAT_PATTERNS["zh" if chinese else "en"]
    return [f"{what} {match.group(0)!r} in {text[:80]!r}"
            for text in texts if chinese or not HAN.search(CHINESE_FORMS.sub("", text))
            for pattern, what in patterns for match in pattern.finditer(text)]
