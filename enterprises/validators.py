"""Unified social credit codes (统一社会信用代码, GB 32100-2015), and the year and date rules of the registry."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_LENGTH = 18
_WEIGHTS = [pow(3, i, 31) for i in range(CREDIT_CODE_LENGTH - 1)]


def normalise_credit_code(raw: str) -> str:
    """Upper-case, with spaces and full-width characters folded to ASCII."""
    folded = "".join(chr(ord(ch) - 0xFEE0) if "！" <= ch <= "～" else ch for ch in str(raw))
    return "".join(folded.split()).upper()


def credit_code_check_character(first_17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first_17, _WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str):
    """Why ``code`` (already normalised) is not a valid credit code, or None."""
    if len(code) != CREDIT_CODE_LENGTH:
        return _("A credit code has 18 characters; this one has %(length)d.") % {
            "length": len(code)
        }
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        return _("The credit code contains invalid characters: %(chars)s (I, O, S, V and Z are never used).") % {
            "chars": "".join(bad)
        }
    # Never say which character was expected: the public signup page would complete any code.
    if code[17] != credit_code_check_character(code[:17]):
        return _(
            "The check character (the last character) of the credit code is wrong: "
            "compare the code with the business licence."
        )
    return None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(normalise_credit_code(value))
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")


def credit_code_complete(first_17: str) -> str:
    """Append the check character: ``first_17`` + the one character that makes it valid."""
    first_17 = normalise_credit_code(first_17)
    return first_17 + credit_code_check_character(first_17)


# ---------------------------------------------------------------- field rules shared by import, page and API

FIRST_YEAR = 1949


def latest_year() -> int:
    """Next year: the latest a metric year, award year or niche-entry year may name (plans run ahead)."""
    return timezone.localdate().year + 1


def validate_year(value: int) -> None:
    if value is not None and not FIRST_YEAR <= value <= latest_year():
        raise ValidationError(
            _("%(value)s is not a year between %(first)s and %(last)s."),
            code="year_range",
            params={"value": value, "first": FIRST_YEAR, "last": latest_year()},
        )


def validate_not_in_future(value: datetime.date) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(
            _("%(value)s is in the future."), code="future_date", params={"value": value.isoformat()}
        )
