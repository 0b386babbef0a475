"""One money format on every page (万元 with thousands separators in Chinese, yuan in English), money boxes
that say their unit and take it, and one date format in both languages."""

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
        (Decimal("34502000.00"), "3,450.2万元", "34,502,000 yuan"),
        (Decimal("766000"), "76.6万元", "766,000 yuan"),
        (Decimal("1234.56"), "0.1235万元", "1,234.56 yuan"),
        (Decimal("-1500000.50"), "-150.0001万元", "-1,500,000.50 yuan"),
        (None, "—", "—"),
    ],
)
def test_the_money_filter_writes_wan_in_chinese_and_yuan_in_english(amount, chinese, english):
    assert rendered("{{ amount|money }}", "zh-hans", amount=amount) == chinese
    assert rendered("{{ amount|money }}", "en", amount=amount) == english


def test_the_diagnosis_writes_money_the_same_way():
    from workflows.criteria.display import money

    with translation.override("zh-hans"):
        assert money(Decimal("2400000")) == money_text(Decimal("2400000")) == "240万元"


@pytest.mark.parametrize("typed", ["34502000", "34,502,000", "34502000元", "3,450.2万元", "3450.2万", "34502000 yuan"])
def test_a_money_box_takes_separators_and_the_unit(typed):
    assert MoneyFormField(max_digits=18, decimal_places=2).clean(typed) == Decimal("34502000")


def test_a_money_box_says_its_unit_and_shows_whole_yuan_without_cents():
    form = AnnualMetricsForm(initial={"operating_revenue": Decimal("34502000.00")})
    with translation.override("zh-hans"):
        box = str(form["operating_revenue"])
    assert 'value="34502000"' in box and "元" in box and 'type="number"' not in box


def test_one_date_format_in_both_languages_and_no_browser_picker():
    for language in ("zh-hans", "en"):
        assert rendered("{{ day }} {{ day|date }}", language, day=datetime.date(2026, 11, 30)) == "2026-11-30 2026-11-30"
    box = DateBox().render("due_on", datetime.date(2026, 12, 1))
    assert 'type="text"' in box and 'value="2026-12-01"' in box and 'placeholder="YYYY-MM-DD"' in box
