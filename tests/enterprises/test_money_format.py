"""One money format on every page (万元 with thousands separators in Chinese, ¥ yuan in English), money boxes
that say their unit and take it, and one date format per language."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from enterprises.fields import DateBox, MoneyFormField, money_text
from enterprises.forms import AnnualMetricsForm


def rendered(template: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load tidu %}" + template).render(Context(context))


@pytest.mark.parametrize(
    "amount, chinese, english",
    [
        (Decimal("34502000.00"), "3,450.2万元", "¥34,502,000.00"),
        (Decimal("34502000.01"), "3,450.200001万元", "¥34,502,000.01"),
        (Decimal("766000"), "76.6万元", "¥766,000.00"),
        (Decimal("10000"), "1万元", "¥10,000.00"),
        (Decimal("9999.99"), "9,999.99元", "¥9,999.99"),
        (Decimal("1234.56"), "1,234.56元", "¥1,234.56"),
        (Decimal("0"), "0元", "¥0.00"),
        (Decimal("-1500000.50"), "-150.00005万元", "-¥1,500,000.50"),
        (None, "—", "—"),
    ],
)
def test_the_money_filter_writes_wan_in_chinese_and_yuan_in_english(amount, chinese, english):
    assert rendered("{{ amount|money }}", "zh-hans", amount=amount) == chinese
    assert rendered("{{ amount|money }}", "en", amount=amount) == english


def test_the_diagnosis_writes_money_the_same_way():
    from workflows.criteria.display import value_text

    with translation.override("zh-hans"):
        assert value_text("operating_revenue", Decimal("2400000")) == money_text(Decimal("2400000")) == "240万元"


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("en"):
        assert money_text(Decimal("300000"), language="zh-hans") == "30万元"


@pytest.mark.parametrize("typed", ["34502000", "34,502,000", "34502000元", "3,450.2万元", "3450.2万", "34502000 yuan"])
def test_a_money_box_takes_separators_and_the_unit(typed):
    assert MoneyFormField(max_digits=18, decimal_places=2).clean(typed) == Decimal("34502000")


def test_a_money_box_says_its_unit_and_shows_whole_yuan_without_cents():
    form = AnnualMetricsForm(initial={"operating_revenue": Decimal("34502000.00")})
    with translation.override("zh-hans"):
        box = str(form["operating_revenue"])
    assert 'value="34502000"' in box and "元" in box and 'type="number"' not in box


@pytest.mark.parametrize("language, day_text", [("zh-hans", "2026年11月30日"), ("en", "30 Nov 2026")])
def test_one_date_format_per_language(language, day_text):
    assert rendered("{{ day }} {{ day|date }}", language, day=datetime.date(2026, 11, 30)) == f"{day_text} {day_text}"


def test_a_date_box_is_the_browser_picker_and_takes_iso_days():
    box = DateBox().render("due_on", datetime.date(2026, 12, 1))
    assert 'type="date"' in box and 'value="2026-12-01"' in box
