"""The diagnosis, what-if, ranking and coaching-plan endpoints, and ``manage.py diagnose``."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import AnnualMetrics
from workflows.models import CoachingPlan, PoolEntry

pytestmark = pytest.mark.django_db
D = Decimal
LAST = timezone.localdate().year - 1


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


@pytest.fixture
def metrics(cast):
    return AnnualMetrics.objects.create(
        enterprise=cast.own, year=LAST, operating_revenue=D("100000000"), main_business_revenue=D("90000000"),
        rd_expense=D("2400000"), ip_class1_count=0, ip_class2_count=0,
    )


def test_diagnosis_endpoint(cast, api, metrics):
    response = api(cast.owner).get(f"/api/enterprises/{cast.own.pk}/diagnosis/?tier=innovative")
    body = response.json()
    assert response.status_code == 200
    assert {"tier", "ruleset", "passed", "score", "rules"} <= set(body)
    assert body["ruleset"]["code"] == "MIIT-2022"
    rd = next(rule for rule in body["rules"] if rule["id"] == "rd_ratio")
    assert {"id", "status", "points", "max_points", "lost", "remedy"} <= set(rd)
    assert (rd["status"], rd["points"], rd["max_points"], rd["lost"]) == ("not_met", 10, 20, 10)
    assert rd["values"]["rd_ratio"]["value"] == "2.4"


def test_diagnosis_endpoint_is_scoped_and_checks_its_input(cast, api):
    assert api(cast.owner).get(f"/api/enterprises/{cast.neighbour.pk}/diagnosis/").status_code == 404
    assert api(cast.other_district).get(f"/api/enterprises/{cast.own.pk}/diagnosis/").status_code == 404
    response = api(cast.owner).get(f"/api/enterprises/{cast.own.pk}/diagnosis/?tier=giant")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = api(cast.owner).get(f"/api/enterprises/{cast.own.pk}/diagnosis/?tier=srdi&as_of=2020-01-01")
    assert response.status_code == 409 and response.json()["code"] == "no_ruleset"


def test_what_if_endpoint_saves_nothing(cast, api, metrics):
    response = api(cast.owner).post(
        f"/api/enterprises/{cast.own.pk}/diagnosis/what-if/",
        {"tier": "innovative", "values": {str(LAST): {"rd_expense": "5000000.00", "ip_class1_count": 1}}},
        format="json",
    )
    assert response.status_code == 200
    rules = {rule["id"]: rule for rule in response.json()["rules"]}
    assert (rules["rd_ratio"]["points"], rules["ip"]["points"]) == (20, 10)
    metrics.refresh_from_db()
    assert (metrics.rd_expense, metrics.ip_class1_count) == (D("2400000"), 0)
    bad = api(cast.owner).post(f"/api/enterprises/{cast.own.pk}/diagnosis/what-if/",
                               {"values": {str(LAST): {"rd_expense": "lots"}}}, format="json")
    assert bad.status_code == 400


def test_ranking_endpoint(cast, api, metrics):
    PoolEntry.objects.create(enterprise=cast.own, year=LAST + 1, source="district", statement="入库", state="pooled")
    rows = api(cast.district).get("/api/cultivation-ranking/?tier=innovative").json()
    assert [row["enterprise"]["id"] for row in rows] == [cast.own.pk]
    assert {"rank", "passed", "score", "conditions_missing", "points_short", "gaps"} <= set(rows[0])
    assert api(cast.owner).get("/api/cultivation-ranking/").json() == []
    assert api(cast.other_district).get("/api/cultivation-ranking/?tier=innovative").json() == []


def test_coaching_plan_endpoints(cast, api, metrics):
    created = api(cast.district).post("/api/coaching-plans/", {"enterprise": cast.own.pk, "tier": "innovative"}, format="json")
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["state"] == "coaching" and plan["items"] and plan["diagnosis"]["tier"] == "innovative"
    again = api(cast.district).post("/api/coaching-plans/", {"enterprise": cast.own.pk, "tier": "innovative"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    refused = api(cast.owner).post("/api/coaching-plans/", {"enterprise": cast.own.pk, "tier": "srdi"}, format="json")
    assert refused.status_code == 403

    item = plan["items"][0]["id"]
    moved = api(cast.owner).post(f"/api/coaching-plans/{plan['id']}/items/{item}/start/", {"note": "已安排"}, format="json")
    assert next(i for i in moved.json()["items"] if i["id"] == item)["status"] == "in_progress"
    visit = api(cast.district).post(f"/api/coaching-plans/{plan['id']}/activities/",
                                    {"kind": "training", "held_on": str(timezone.localdate()), "participants": "20家企业"},
                                    format="json")
    assert visit.status_code == 200 and len(visit.json()["activities"]) == 1
    assert api(cast.owner).post(f"/api/coaching-plans/{plan['id']}/rediagnose/").status_code == 200
    assert api(cast.other_owner).get(f"/api/coaching-plans/{plan['id']}/").status_code == 404
    closed = api(cast.district).post(f"/api/coaching-plans/{plan['id']}/close/", {"reason": "转入申报"}, format="json")
    assert closed.json()["state"] == "closed"
    assert CoachingPlan.objects.get().closed_reason == "转入申报"


def test_diagnose_command_prints_json(cast, metrics):
    out = StringIO()
    call_command("diagnose", cast.own.credit_code.lower(), "--tier", "innovative", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["tier"], body["ruleset"]["code"], body["enterprise"]["id"]) == ("innovative", "MIIT-2022", cast.own.pk)
    assert {"passed", "score", "rules"} <= set(body)
    assert all({"id", "status", "points", "max_points", "lost", "remedy"} <= set(rule) for rule in body["rules"])


def test_diagnose_command_prints_text_for_the_next_tier_up(cast, metrics):
    out = StringIO()
    call_command("diagnose", cast.own.credit_code, "--as-of", "2026-03-01", stdout=out)
    text = out.getvalue()
    assert cast.own.name in text and "MIIT-2022" in text
    assert "2.4% → 3%" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["91321102MA00000000"], "没有统一社会信用代码为"),
        (["{code}", "--tier", "giant"], "未知梯度“giant”"),
        (["{code}", "--as-of", "31/05/2026"], "--as-of"),
        (["{code}", "--format", "xml"], "xml"),
        (["{code}", "--tier", "srdi", "--as-of", "2020-01-01"], "没有适用于"),
    ],
)
def test_diagnose_command_refuses_clearly(cast, args, message):
    with pytest.raises(CommandError) as error:
        call_command("diagnose", *[arg.format(code=cast.own.credit_code) for arg in args])
    assert message in str(error.value)
