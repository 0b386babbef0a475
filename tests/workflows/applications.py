"""Shared set-up for the application tests: a batch, data that passes, a cast of experts."""

import datetime
from decimal import Decimal

from django.utils import timezone

from enterprises.models import AnnualMetrics, Jurisdiction
from tests.factories import UserFactory
from workflows.services import application as services

D = Decimal
LAST = timezone.localdate().year - 1


def passing_innovative_data(enterprise) -> None:
    """Three years of data on which the innovative-SME diagnosis passes (score above 60, every group minimum)."""
    AnnualMetrics.objects.create(
        enterprise=enterprise, year=LAST, operating_revenue=D("80000000"), main_business_revenue=D("72000000"),
        total_assets=D("90000000"), total_liabilities=D("40000000"), rd_expense=D("4000000"),
        ip_class1_high_value_count=1, ip_class1_own_count=1, ip_class1_count=1, ip_class2_count=0,
        strategic_emerging=True, st_award_level="none", rd_institution_level="none", equity_financing=D("0"),
    )
    AnnualMetrics.objects.create(enterprise=enterprise, year=LAST - 1, main_business_revenue=D("60000000"), equity_financing=D("0"))
    AnnualMetrics.objects.create(enterprise=enterprise, year=LAST - 2, equity_financing=D("0"))


def open_batch(cast, *, tier="innovative", days_open=(-10, 20), **kwargs):
    today = timezone.localdate()
    return services.application_batch_open(
        by=cast.city, tier=tier, year=today.year, name=kwargs.pop("name", f"{today.year}年创新型中小企业第一批"),
        opens_on=today + datetime.timedelta(days=days_open[0]), closes_on=today + datetime.timedelta(days=days_open[1]),
        **kwargs,
    )


def draft(cast, batch, statement="主营精密轴承，细分市场国内第三"):
    return services.application_draft(enterprise=cast.own, batch=batch, by=cast.owner, statement=statement)


def experts(count=4, elsewhere="321111"):
    """Experts outside 京口区 (the cast's district), so each may review the cast's applications."""
    where = Jurisdiction.objects.get(code=elsewhere)
    return [UserFactory(username=f"expert{i}", role="expert", jurisdiction=where) for i in range(count)]


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
