"""The official documents each case stage issues, built from the case and handed to documents."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from documents.models import DocumentKind
from documents.services import document_issue

from ..models import PoolEntry


def pool_entry_notice_context(entry: PoolEntry) -> dict:
    enterprise = entry.enterprise
    return {
        "title": _("Notice on the entry of %(enterprise)s into the %(year)s SRDI cultivation pool")
        % {"enterprise": enterprise.name, "year": entry.year},
        "addressee": enterprise.name,
        "body": [
            {
                "type": "paragraph",
                "text": _(
                    "Having been reviewed by the %(district)s bureau and the city bureau, your enterprise "
                    "(unified social credit code %(code)s) has entered the city's %(year)s cultivation pool of "
                    "specialised, refined, distinctive and innovative enterprises."
                )
                % {"district": enterprise.jurisdiction.name, "code": enterprise.credit_code, "year": entry.year},
            },
            {"type": "heading", "level": 1, "text": _("What entry into the pool means")},
            {
                "type": "paragraph",
                "text": _(
                    "The bureau will diagnose your gaps against the criteria of the next tier, agree a coaching plan "
                    "with you and follow it up through trainings and visits until you qualify to apply."
                ),
            },
            {"type": "heading", "level": 1, "text": _("Your obligations")},
            {
                "type": "paragraph",
                "text": _(
                    "Keep your annual data up to date in the system before 31 May each year; the pool is re-checked "
                    "every year and enterprises that do not update their data may leave the pool."
                ),
            },
        ],
        "copy_to": [enterprise.jurisdiction.name + _(" bureau of industry and information technology")],
    }


def pool_entry_notice_issue(*, entry: PoolEntry, by) -> None:
    """Issue the 入库通知 of a pooled entry (numbered now, rendered after commit).

    An official document is worded in the site's language (Chinese), whatever language
    the issuing reviewer's screen is in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        context = pool_entry_notice_context(entry)
    document_issue(
        kind=DocumentKind.POOL_ENTRY_NOTICE, by=by, enterprise=entry.enterprise, subject=entry, context=context
    )
