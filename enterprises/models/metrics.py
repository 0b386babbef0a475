"""Annual metrics: everything the criteria and the plan read, one row per enterprise per year.

Every field may be unknown (NULL), and unknown is not zero: the criteria engine reports
"unknown" for a rule whose inputs are missing. Growth rates and ratios are derived from
these values, never typed in. Money in yuan (``MoneyField``), shares in percent.

The field rules live here, once: the validators on each field and ``clean`` across fields.
The import (each cell through its field's validators, each row through
``cross_field_problems``), the page (a ModelForm) and the API (a ModelSerializer, then the
service's ``full_clean``) all apply them.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..fields import MoneyField
from ..validators import validate_year

# Ten trillion yuan: far above any enterprise the bureau handles, far below what the column holds.
MONEY_CEILING = Decimal(10**13)
COUNT_CEILING = 10_000_000


class RdInstitutionLevel(models.TextChoices):
    NONE = "none", _("None")
    BELOW_MUNICIPAL = "below_municipal", _("Below municipal")
    MUNICIPAL = "municipal", _("Municipal")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class AwardLevel(models.TextChoices):
    NONE = "none", _("None")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class MakerChinaRank(models.TextChoices):
    NONE = "none", _("None")
    TOP500 = "top500", _("National top 500")
    TOP50 = "top50", _("National top 50")


class DesignCentreLevel(models.TextChoices):
    NONE = "none", _("None")
    MUNICIPAL = "municipal", _("Municipal")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


def percent(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


def count(verbose_name):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, validators=[MaxValueValidator(COUNT_CEILING)])


def money(verbose_name, *, may_be_negative=False):
    floor = -MONEY_CEILING if may_be_negative else Decimal(0)
    return MoneyField(
        verbose_name, null=True, blank=True, validators=[MinValueValidator(floor), MaxValueValidator(MONEY_CEILING)]
    )


def year_field(verbose_name, **options):
    return models.PositiveSmallIntegerField(verbose_name, validators=[validate_year], **options)


def flag(verbose_name):
    return models.BooleanField(verbose_name, null=True, blank=True)


def level(verbose_name, choices):
    return models.CharField(verbose_name, max_length=16, choices=choices, blank=True, default="")


class AnnualMetrics(models.Model):
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="metrics")
    year = year_field(_("year"))

    # Finance
    operating_revenue = money(_("operating revenue (营业收入)"))
    main_business_revenue = money(_("main-business revenue (主营业务收入)"))
    taxable_sales = money(_("taxable sales (应税销售)"))
    net_profit = money(_("net profit (净利润)"), may_be_negative=True)
    total_assets = money(_("total assets (资产总额)"))
    total_liabilities = money(_("total liabilities (负债总额)"))
    equity_financing = money(_("qualified equity financing in the year (股权融资)"))

    # People and R&D
    employees = count(_("employees (职工总数)"))
    rd_staff = count(_("R&D staff (研发人员)"))
    rd_expense = money(_("R&D expense (研发费用)"))
    rd_institution_level = level(_("R&D institution level (研发机构)"), RdInstitutionLevel.choices)

    # Intellectual property tied to the main product
    ip_class1_count = count(_("class-I IP (I类知识产权)"))
    ip_class1_own_count = count(_("class-I IP, self-developed"))
    ip_class1_high_value_count = count(_("class-I IP, high-value"))
    ip_class2_count = count(_("class-II IP (II类知识产权)"))
    invention_patents = count(_("invention patents (发明专利)"))

    # Niche and market
    domestic_niche_share = percent(_("domestic niche market share % (国内细分市场占有率)"))
    global_rank = models.PositiveSmallIntegerField(_("global rank of the main product"), null=True, blank=True)
    product_years_in_field = count(_("years the main product has been in the field"))
    strategic_emerging = flag(_("strategic emerging industry (战略性新兴产业)"))
    six_basics = flag(_("六基 field (basic parts, processes, materials…)"))
    chain_key_link = flag(_("key chain link: 补短板/锻长板/填空白"))
    chain_leader_supplier = flag(_("supplier of a chain leader"))
    time_honoured_brand = flag(_("China Time-honoured Brand (中华老字号)"))
    manufacturing_power_sector = flag(_("制造强国 ten key sectors"))
    network_power_sector = flag(_("网络强国 field"))

    # Quality and digital
    quality_award = flag(_("provincial-or-higher quality award"))
    qms_certified = flag(_("quality management system certificate"))
    own_brand = flag(_("own brand"))
    standards_drafted = count(_("standards drafted"))
    developed_market_certification = flag(_("developed-market product certification"))
    digital_level = models.PositiveSmallIntegerField(
        _("digital level (1–4)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    core_processes_on_system = count(_("core processes on an information system"))
    cnc_rate = percent(_("key-process CNC rate % (关键工序数控化率)"))
    digital_management_rate = percent(_("digital management % (经营管理数字化)"))
    digital_rd_tools_rate = percent(_("digital R&D tools % (数字化研发设计工具)"))

    # Honours and events
    st_award_level = level(_("S&T award level"), AwardLevel.choices)
    st_award_rank = models.PositiveSmallIntegerField(_("rank among award units"), null=True, blank=True)
    st_award_year = year_field(_("S&T award year"), null=True, blank=True)
    maker_china_rank = level(_("创客中国 result"), MakerChinaRank.choices)
    maker_china_year = year_field(_("创客中国 year"), null=True, blank=True)
    development_score = percent(_("MIIT platform development score (专精特新发展评价得分)"))
    listed = flag(_("listed company (上市)"))
    equity_exchange_board = flag(_("Jiangsu equity exchange SRDI board (挂牌)"))
    smart_workshop = flag(_("smart workshop"))
    green_factory = flag(_("green factory"))
    jiangsu_premium = flag(_("Jiangsu Premium brand (江苏精品)"))
    design_centre_level = level(_("industrial design centre"), DesignCentreLevel.choices)

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("annual metrics")
        verbose_name_plural = _("annual metrics")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_metrics_row_per_year")]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    def clean(self):
        problems = self.cross_field_problems({name: getattr(self, name) for name in self.input_field_names()})
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def cross_field_problems(values: dict) -> dict[str, str]:
        """Rules between fields, by the field to blame; the import checks each row with it."""
        problems = {}
        employees, rd_staff = values.get("employees"), values.get("rd_staff")
        if employees is not None and rd_staff is not None and rd_staff > employees:
            problems["rd_staff"] = gettext("R&D staff (%(rd_staff)s) cannot exceed employees (%(employees)s).") % {
                "rd_staff": rd_staff,
                "employees": employees,
            }
        return problems

    @classmethod
    def input_field_names(cls) -> list[str]:
        """The metric columns an import or a form may fill."""
        skip = {"id", "enterprise", "year", "updated_at"}
        return [f.name for f in cls._meta.concrete_fields if f.name not in skip]

    @property
    def debt_ratio(self):
        """Liabilities / assets in percent, or None when either is unknown."""
        if self.total_liabilities is None or not self.total_assets:
            return None
        return self.total_liabilities / self.total_assets * 100

    @property
    def rd_ratio(self):
        """R&D expense / operating revenue in percent."""
        if self.rd_expense is None or not self.operating_revenue:
            return None
        return self.rd_expense / self.operating_revenue * 100
