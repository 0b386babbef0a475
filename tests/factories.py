"""factory_boy factories with valid defaults; jurisdictions come from the seed migration."""

import datetime
from decimal import Decimal

import factory

from enterprises.models import AnnualMetrics, Enterprise, Jurisdiction, Role, Tier, Title, User
from enterprises.validators import credit_code_complete

JINGKOU = "321102"
DANYANG = "321181"


def jurisdiction(code: str) -> Jurisdiction:
    return Jurisdiction.objects.get(code=code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: credit_code_complete(f"91321102{n:09d}"))
    name = factory.Sequence(lambda n: f"镇江测试科技{n}有限公司")
    jurisdiction = factory.LazyFunction(lambda: jurisdiction(JINGKOU))
    main_product = "精密轴承"
    niche_market = "高端轴承"
    niche_entered_year = 2015
    founded_on = datetime.date(2012, 5, 1)


class AnnualMetricsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualMetrics

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    operating_revenue = Decimal("80000000.00")
    main_business_revenue = Decimal("72000000.00")
    taxable_sales = Decimal("78000000.00")
    net_profit = Decimal("6400000.00")
    total_assets = Decimal("90000000.00")
    total_liabilities = Decimal("40000000.00")
    employees = 180
    rd_staff = 30
    rd_expense = Decimal("4000000.00")
    ip_class1_count = 3
    ip_class1_own_count = 3
    ip_class2_count = 12


def three_years_after(day: datetime.date) -> datetime.date:
    """The same day three years on; 29 February becomes 28 February in a common year."""
    return day.replace(year=day.year + 3, day=28 if (day.month, day.day) == (2, 29) else day.day)


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title

    enterprise = factory.SubFactory(EnterpriseFactory)
    tier = Tier.INNOVATIVE
    level = "provincial"
    recognized_on = datetime.date(2024, 6, 1)
    valid_until = factory.LazyAttribute(lambda t: three_years_after(t.recognized_on))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ENTERPRISE
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    class Params:
        enterprise_owner = factory.Trait(role=Role.ENTERPRISE, enterprise=factory.SubFactory(EnterpriseFactory))
        district = factory.Trait(role=Role.DISTRICT_REVIEWER, jurisdiction=factory.LazyFunction(lambda: jurisdiction(JINGKOU)))
        city = factory.Trait(role=Role.CITY_REVIEWER)
        finance = factory.Trait(role=Role.FINANCE)
        auditor = factory.Trait(role=Role.AUDITOR)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True, is_superuser=True)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
