"""Model fields of the registry that other apps reuse."""

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core import checks
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from rest_framework import serializers

FEN_PER_YUAN = Decimal(100)
CENT = Decimal("0.01")
# The widest amount the fen column (a signed 64-bit integer) holds, in yuan: ±92,233,720,368,547,758.07.
STORAGE_LIMIT = (Decimal(2**63 - 1) / FEN_PER_YUAN).quantize(CENT, rounding=ROUND_DOWN)


def to_fen(amount: Decimal | int | str) -> int:
    """Yuan as Decimal (or a string/int) → integer fen, rounding half up."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {amount!r}") from None
    return int((value * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(CENT)


YUAN_PER_WAN = Decimal(10000)
# A wan written to six decimals is exact to the fen: 0.000001万元 = 0.01元.
FEN_IN_WAN = Decimal("0.000001")


def money_text(amount: Decimal | int | str | None, *, language: str | None = None) -> str:
    """An amount of yuan as every page, notice and explanation shows it; the site's one money format.

    Chinese: 万元 with thousands separators from 10,000 yuan up, as many decimals as the fen needs
    (34502000 → "3,450.2万元", 34502000.01 → "3,450.200001万元"); below that, 元 ("1,234.56元", "0元").
    English: yuan with the ¥ sign, separators and the fen ("¥34,502,000.00"). None is "—".
    ``language`` overrides the active language (official documents are written in Chinese).
    """
    if amount is None or amount == "":
        return "—"
    yuan = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    if not (language or get_language() or "zh").startswith("zh"):
        return f"-¥{-yuan:,.2f}" if yuan < 0 else f"¥{yuan:,.2f}"
    if abs(yuan) >= YUAN_PER_WAN:
        return f"{_trimmed(f'{(yuan / YUAN_PER_WAN).quantize(FEN_IN_WAN):,f}')}万元"
    return f"{_trimmed(f'{yuan:,f}')}元"


def _trimmed(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


class MoneyField(models.BigIntegerField):
    """Yuan as ``Decimal`` in Python, integer fen in the database.

    SQLite stores fractional decimals as floats (ten 0.10 summed in SQL gave
    0.9999999999999999); integer fen keeps every sum exact on every backend.
    """

    description = "Amount of money in yuan (stored as integer fen)"

    def from_db_value(self, value, expression, connection):
        return None if value is None else from_fen(value)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value)).quantize(CENT)
        except InvalidOperation:
            from django.core.exceptions import ValidationError

            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal, never float")
        return to_fen(value)

    @cached_property
    def validators(self):
        # IntegerField's own range is the column's, in fen; compared with yuan it would let amounts
        # a hundred times too large reach the database. The field's own ceiling comes first.
        storage = [MinValueValidator(-STORAGE_LIMIT), MaxValueValidator(STORAGE_LIMIT)]
        return [*self.default_validators, *self._validators, *storage]

    def formfield(self, **kwargs):
        # Field.formfield, not BigIntegerField's: the form speaks yuan with fen, not integer
        # fen, and still takes required/label/help text from the model field.
        defaults = {"form_class": MoneyFormField, "max_digits": 18, "decimal_places": 2}
        return models.Field.formfield(self, **{**defaults, **kwargs})

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_no_float_default()]

    def _check_no_float_default(self):
        if isinstance(self.default, float):
            return [checks.Error("MoneyField default must be Decimal", obj=self)]
        return []


class DateBox(forms.DateInput):
    """Every date box of the site: the browser's own date picker (``type="date"``), which shows the
    reader's locale and always sends and takes YYYY-MM-DD, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MoneyInput(forms.TextInput):
    """A money box that says its unit (元 / yuan) beside it and shows whole yuan without ".00"."""

    template_name = "enterprises/widgets/money.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return super().format_value(value)


class MoneyFormField(forms.DecimalField):
    """Yuan, as people type them: thousands separators and the unit are accepted
    ("34,502,000", "34502000元", "3,450.2万元" all read 34502000)."""

    widget = MoneyInput
    UNITS = (("万元", 10000), ("万", 10000), ("元", 1), ("yuan", 1), ("¥", 1))

    def to_python(self, value):
        if not isinstance(value, str):
            return super().to_python(value)
        text, factor = re.sub(r"[\s,，]", "", value), 1
        for unit, unit_factor in self.UNITS:
            if text.lower().endswith(unit) or text.startswith(unit):
                text, factor = text.lower().removesuffix(unit).removeprefix(unit), unit_factor
                break
        amount = super().to_python(text)
        return None if amount is None else amount * factor


class MoneySerializerField(serializers.DecimalField):
    """Money in the API: yuan as a decimal string exact to the fen ("12.34"), read and written.

    Registered for every ``MoneyField`` of every ``ModelSerializer`` (``EnterprisesConfig.ready``);
    the model field's ceiling arrives as ``max_value``. A third decimal place is refused, not rounded.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", None)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("coerce_to_string", True)
        kwargs.setdefault("min_value", -STORAGE_LIMIT)
        kwargs.setdefault("max_value", STORAGE_LIMIT)
        super().__init__(**kwargs)

    def validate_precision(self, value):
        # The range first: quantizing 1e400 to the fen would overflow the decimal context.
        for validator in self.validators:
            if isinstance(validator, (MinValueValidator, MaxValueValidator)):
                validator(value)
        return super().validate_precision(value)
