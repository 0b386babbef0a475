"""Loading and correcting policies: overlap refused, supersedes, in-use refused, steps, admin and API."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from approvals.models import Step
from enterprises.models import Tier
from rewards.exceptions import RewardError
from rewards.models import Fund, RewardPolicy
from rewards.services import reward_policy_load

from .conftest import policy_file, recognize

pytestmark = pytest.mark.django_db


def test_policy_load_creates_policy_fund_and_a_step(zj2023, tmp_path, capsys):
    call_command("policy_load", str(policy_file(tmp_path)))
    policy = RewardPolicy.objects.get(code="DY-2024")
    assert list(policy.jurisdictions.values_list("code", flat=True)) == ["321181"]
    assert policy.first_time == {"little_giant": "200000.00", "champion": "400000.00"}
    assert Fund.objects.filter(name="丹阳市专精特新奖励资金").exists()
    step = Step.objects.get(action="reward_policy.create")
    assert step.data["code"] == "DY-2024" and step.object_id == str(policy.pk)


def test_policy_load_reads_json(zj2023, tmp_path):
    path = tmp_path / "p.json"
    data = json.loads(json.dumps({**__import__("yaml").safe_load(policy_file(tmp_path).read_text()), "code": "J-1"}))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert reward_policy_load(path=path, by=None).code == "J-1"


def test_overlap_within_a_fund_is_refused(zj2023, tmp_path):
    path = policy_file(tmp_path, code="ZJ-2024", jurisdictions=["321102"], recognized_from="2025-01-01",
                       recognized_to=None, fund="市级专精特新奖励资金")
    with pytest.raises(CommandError, match="ZJ-2024 与 ZJ-2023 重叠"):
        call_command("policy_load", str(path))
    assert not RewardPolicy.objects.filter(code="ZJ-2024").exists()


def test_supersedes_ends_the_old_version_the_day_before(zj2023, tmp_path):
    path = policy_file(tmp_path, code="ZJ-2025", jurisdictions=["321102", "321111"], recognized_from="2025-07-01",
                       recognized_to="2027-12-31", fund="ZJ-CITY-SRDI", supersedes="ZJ-2023")
    call_command("policy_load", str(path))
    zj2023.refresh_from_db()
    assert zj2023.recognized_to == datetime.date(2025, 6, 30)
    assert RewardPolicy.objects.get(code="ZJ-2025").supersedes == zj2023
    assert Step.objects.filter(action="reward_policy.end", object_id=str(zj2023.pk)).count() == 1


def test_policy_with_entitlements_cannot_be_changed_in_place(zj2023, cast, tmp_path):
    recognize(cast.own, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    path = policy_file(tmp_path, code="ZJ-2023", jurisdictions=["321102"], recognized_from="2023-01-01",
                       fund="ZJ-CITY-SRDI")
    with pytest.raises(RewardError) as refused:
        reward_policy_load(path=path, by=None)
    assert refused.value.code == "policy_in_use"
    assert str(refused.value) == "政策 ZJ-2023 已产生奖励资格，不能直接修改；请以替代它的新版本载入更正。"


def test_unknown_keys_and_bad_amounts_are_refused(zj2023, tmp_path):
    with pytest.raises(RewardError, match="未知 colour"):
        reward_policy_load(path=policy_file(tmp_path, colour="red"), by=None)
    with pytest.raises(RewardError, match="first_time"):
        reward_policy_load(path=policy_file(tmp_path, first_time={"little_giant": "1.005"}), by=None)


def test_admin_form_refuses_an_overlap_and_saves_through_the_service(zj2023, cast, client):
    client.force_login(cast.admin)
    fund = zj2023.fund
    form = {
        "code": "ZJ-X", "name": "重叠", "jurisdictions": [zj2023.jurisdictions.first().pk], "level": "city",
        "recognized_from": "2024-01-01", "first_time": '{"little_giant": "1"}', "renewal": "{}",
        "champion_basis": "enterprise", "notice_working_days": 5, "revocation_ban_years": 3, "fund": fund.pk,
    }
    response = client.post("/admin/rewards/rewardpolicy/add/", form)
    assert response.status_code == 200 and "ZJ-X 与 ZJ-2023 重叠" in response.content.decode()
    form.update(code="ZJ-Y", supersedes=zj2023.pk)
    response = client.post("/admin/rewards/rewardpolicy/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Step.objects.filter(action="reward_policy.create", data__code="ZJ-Y").exists()


def test_api_reads_for_everyone_writes_for_the_city(zj2023, cast, tmp_path):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.owner)
    listed = api.get("/api/reward-policies/").json()
    assert any(p["code"] == "ZJ-2023" and p["first_time"]["little_giant"] == "300000.00"
               for p in listed.get("results", listed))
    body = {"code": "DY-2024", "name": "丹阳", "jurisdictions": ["321181"], "recognized_from": "2024-01-01",
            "first_time": {"little_giant": "200000.00"}, "top_up": True, "fund": "丹阳资金"}
    assert api.post("/api/reward-policies/", body, format="json").status_code == 403
    api.force_authenticate(cast.city)
    assert api.post("/api/reward-policies/", body, format="json").status_code == 201
    overlap = {**body, "code": "DY-2025", "recognized_from": "2025-01-01"}
    refused = api.post("/api/reward-policies/", overlap, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "policy_overlap"
    assert api.patch("/api/reward-policies/DY-2024/", {"name": "丹阳市奖励"}, format="json").status_code == 200
    recognize(cast.far, Tier.LITTLE_GIANT, datetime.date(2024, 6, 1))
    in_use = api.patch("/api/reward-policies/DY-2024/", {"name": "改"}, format="json")
    assert in_use.status_code == 409 and in_use.json()["code"] == "policy_in_use"
