"""The bank white list: who is on it, when a lapsed title leaves it, and the token that reaches it and nothing else."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dashboard.models import WhiteListToken
from dashboard.selectors import white_list
from dashboard.services import white_list_token_issue, white_list_token_revoke
from enterprises.models import Tier
from steplog.models import Step
from tests.dashboard.conftest import title
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def bank_client(key):
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_the_list_holds_srdi_or_higher_at_the_highest_tier(city):
    entries = {entry.enterprise.name: entry for entry in white_list(day=city.today)}
    assert set(entries) == {"镇江精工轴承有限公司", "镇江邻居电气有限公司", "镇江冠军装备股份有限公司"}
    title(city.cast.own, Tier.LITTLE_GIANT, recognized_on=city.today, valid_until=city.today + 900 * DAY)
    own = {e.enterprise.name: e for e in white_list(day=city.today)}["镇江精工轴承有限公司"]
    assert own.tier == Tier.LITTLE_GIANT and own.valid_until == city.today + 900 * DAY


def test_a_lapsed_title_leaves_the_list_on_its_lapse_day():
    lapses = datetime.date(2026, 6, 30)
    firm = EnterpriseFactory(name="镇江到期科技有限公司")
    title(firm, Tier.SRDI, recognized_on=datetime.date(2023, 7, 1), valid_until=lapses)
    names = lambda day: [entry.enterprise.name for entry in white_list(day=day)]  # noqa: E731
    assert "镇江到期科技有限公司" in names(lapses)  # valid through its last day
    assert "镇江到期科技有限公司" not in names(lapses + DAY)  # the day it lapses
    title(firm, Tier.SRDI, recognized_on=lapses + DAY, valid_until=lapses.replace(year=2029), basis="renewal")
    assert "镇江到期科技有限公司" in names(lapses + DAY)  # a passed 复核 runs on


def test_city_downloads_the_list_as_xlsx(city, client):
    client.force_login(city.cast.city)
    assert client.get("/dashboard/white-list/").status_code == 200
    response = client.get("/dashboard/list/white-list/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("企业", "统一社会信用代码", "辖区") and len(rows) == 4


def test_the_command_prints_a_key_once_that_reads_the_list(city, capsys):
    call_command("whitelist_token", "中国银行镇江分行")
    key = capsys.readouterr().out.strip()
    token = WhiteListToken.objects.get(bank_name="中国银行镇江分行")
    assert key.startswith("wl_") and key not in token.key_hash and token.active
    response = bank_client(key).get("/api/white-list/")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert {row["credit_code"] for row in response.json()["results"]} == {
        city.cast.own.credit_code, city.cast.neighbour.credit_code, city.champion.credit_code,
    }


def test_every_read_is_a_step_naming_the_bank(city):
    token, key = white_list_token_issue(bank_name="江苏银行镇江分行", by=city.cast.admin)
    before = Step.objects.filter(action="white_list.read").count()
    bank_client(key).get("/api/white-list/")
    bank_client(key).get("/api/white-list/")
    reads = Step.objects.filter(action="white_list.read").order_by("seq")
    assert reads.count() == before + 2
    assert reads.last().data["bank"] == "江苏银行镇江分行" and reads.last().comment == "江苏银行镇江分行"
    assert reads.last().object_id == str(token.pk)


def test_the_token_reaches_nothing_else(city):
    """Every collection the API root lists (as the city sees it), read and written with a bank's token."""
    _token, key = white_list_token_issue(bank_name="工商银行镇江分行", by=city.cast.admin)
    staff = APIClient()
    staff.force_authenticate(city.cast.city)
    urls = [url.split("testserver", 1)[-1] for url in staff.get("/api/").json().values()]
    assert len(urls) >= 8 and "/api/enterprises/" in urls
    public = {"/api/verify/"}  # document verification answers anyone, by design
    for url in [*(set(urls) - public), "/api/"]:
        assert bank_client(key).get(url).status_code in (401, 403), url
        assert bank_client(key).post(url, {}, format="json").status_code in (401, 403, 405), url


def test_the_token_opens_no_page(city, client):
    _token, key = white_list_token_issue(bank_name="工商银行镇江分行", by=city.cast.admin)
    for url in ["/dashboard/", "/dashboard/list/white-list/export.xlsx", "/registry/enterprise/"]:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_revoked_wrong_and_missing_tokens_are_401(city):
    token, key = white_list_token_issue(bank_name="农业银行镇江分行", by=city.cast.admin)
    white_list_token_revoke(token=token, by=city.cast.admin)
    assert bank_client(key).get("/api/white-list/").status_code == 401
    assert bank_client("wl_wrong").get("/api/white-list/").status_code == 401
    assert APIClient().get("/api/white-list/").status_code == 401


def test_staff_read_their_scope_and_others_are_refused(city):
    district = APIClient()
    district.force_authenticate(city.cast.district)
    assert district.get("/api/white-list/").json()["count"] == 3  # all three are in 京口区
    owner = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=city.cast.owner).key}")
    assert owner.get("/api/white-list/").status_code == 403


def test_only_administrators_issue_tokens(city):
    from dashboard.exceptions import DashboardError

    with pytest.raises(DashboardError, match="administrator|管理员"):
        white_list_token_issue(bank_name="某银行", by=city.cast.city)


def test_admin_issues_a_token_and_shows_the_key_once(city, client):
    client.force_login(city.cast.admin)
    response = client.post("/admin/dashboard/whitelisttoken/add/", {"bank_name": "建设银行镇江分行"}, follow=True)
    token = WhiteListToken.objects.get(bank_name="建设银行镇江分行")
    page = response.content.decode()
    key = page.split("wl_", 1)[1].split("<", 1)[0].split()[0]
    assert bank_client("wl_" + key).get("/api/white-list/").status_code == 200
    assert Step.objects.filter(action="white_list_token.issue", object_id=str(token.pk)).exists()
