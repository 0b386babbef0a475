"""Applications (申报): the path, each precondition, the frozen submission, uploads, the transition table."""

import datetime

import pytest
from django.utils import timezone, translation
from django_fsm import can_proceed

from approvals.models import QueueTask, Step
from enterprises.models import AnnualMetrics
from tests.factories import TitleFactory
from tests.workflows.applications import LAST, PDF, PNG, draft, open_batch, passing_innovative_data
from workflows.exceptions import CaseError
from workflows.models import Application, ApplicationState
from workflows.services import application as services

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def batch(cast):
    passing_innovative_data(cast.own)
    return open_batch(cast)


def open_tasks(application):
    return list(
        QueueTask.objects.filter(case_type="workflows.application", case_id=str(application.pk), closed_at__isnull=True)
        .values_list("kind", flat=True)
    )


def test_submitted_application_goes_to_the_district_with_its_data_frozen(cast, batch):
    application = draft(cast, batch)
    services.application_attachment_add(application=application, by=cast.owner, name="营业执照.pdf", content=PDF)

    application = services.application_submit(application=application, by=cast.owner)

    assert application.state == S.DISTRICT_REVIEW
    assert open_tasks(application) == ["application.district_review"]
    snapshot = application.snapshot
    assert snapshot["enterprise"]["credit_code"] == cast.own.credit_code
    assert snapshot["diagnosis"]["passed"] is True and snapshot["diagnosis"]["ruleset"]["code"]
    assert snapshot["metrics"][str(LAST)]["rd_expense"] == "4000000.00"
    assert [a["name"] for a in snapshot["attachments"]] == ["营业执照.pdf"]
    step = Step.objects.get(action="application.submit")
    assert step.data["snapshot_sha256"] == application.snapshot_sha256 == services.snapshot_digest(snapshot)


def test_later_edits_of_the_enterprise_data_never_change_what_was_reviewed(cast, batch):
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    frozen = dict(application.snapshot)
    AnnualMetrics.objects.filter(enterprise=cast.own, year=LAST).update(rd_expense=1)

    application.refresh_from_db()
    assert application.snapshot == frozen
    assert application.snapshot["metrics"][str(LAST)]["rd_expense"] == "4000000.00"


def test_full_path_with_a_return_loop(cast, batch):
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    services.application_return(application=application, by=cast.district, reason="请补充专利证书")
    application.refresh_from_db()
    assert (application.state, application.last_reason) == (S.RETURNED, "请补充专利证书")
    assert open_tasks(application) == ["application.revision"]

    services.application_resubmit(application=application, by=cast.owner, statement="已补充专利证书")
    services.application_district_approve(application=application, by=cast.district, comment="同意")
    application = services.application_city_approve(application=application, by=cast.city, comment="同意推荐")

    assert application.state == S.APPROVED and application.revision == 1
    assert open_tasks(application) == []
    actions = list(Step.objects.filter(object_type="workflows.application").values_list("action", flat=True))
    assert actions == [
        "application.draft", "application.submit", "application.return", "application.resubmit",
        "application.district_approve", "application.city_approve",
    ]


def test_outside_the_window_the_message_says_when_it_is(cast):
    passing_innovative_data(cast.own)
    later = open_batch(cast, days_open=(5, 30))
    application = draft(cast, later)
    opens, closes = later.opens_on, later.closes_on
    with pytest.raises(CaseError, match=f"from {opens.day} {opens:%b %Y} to {closes.day} {closes:%b %Y}"):
        services.application_submit(application=application, by=cast.owner)
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_the_tier_below_must_be_held_and_valid(cast):
    srdi_batch = open_batch(cast, tier="srdi", name="专精特新中小企业")
    application = draft(cast, srdi_batch)
    with pytest.raises(CaseError, match="requires a valid Innovative SME"):
        services.application_submit(application=application, by=cast.owner)


def test_a_failing_diagnosis_is_refused_unless_the_city_overrides_it_with_a_reason(cast):
    batch = open_batch(cast)  # no data: the diagnosis cannot pass
    application = draft(cast, batch)
    with pytest.raises(CaseError, match="does not pass yet"):
        services.application_submit(application=application, by=cast.owner)
    with pytest.raises(CaseError, match="Only the city"):
        services.application_override_diagnosis(application=application, by=cast.district, reason="x")

    services.application_override_diagnosis(application=application, by=cast.city, reason="省级专项推荐")
    application = services.application_submit(application=application, by=cast.owner)
    assert application.state == S.DISTRICT_REVIEW
    assert application.snapshot["diagnosis_override"] == "省级专项推荐"
    assert Step.objects.filter(action="application.override", comment="省级专项推荐").exists()


def test_no_second_open_application_for_the_same_tier(cast, batch):
    draft(cast, batch)
    with pytest.raises(CaseError, match="already has an open application"):
        draft(cast, batch)


def test_a_champion_is_not_recommended_as_a_little_giant(cast):
    TitleFactory(enterprise=cast.own, tier="srdi", recognized_on=timezone.localdate() - datetime.timedelta(days=400))
    TitleFactory(enterprise=cast.own, tier="champion", recognized_on=timezone.localdate() - datetime.timedelta(days=100))
    application = draft(cast, open_batch(cast, tier="little_giant", name="小巨人"))
    problems = services.application_problems(application)
    assert any("single-champion title" in p for p in problems)


def test_uploads_are_judged_by_content_and_a_refusal_keeps_the_draft(cast, batch, settings):
    application = draft(cast, batch)
    services.application_attachment_add(application=application, by=cast.owner, name="厂房.png", content=PNG)

    with pytest.raises(CaseError, match="not a PDF, JPG, PNG or XLSX") as refused:
        services.application_attachment_add(application=application, by=cast.owner, name="合同.pdf", content=b"MZ\x90\x00" + b"\x00" * 60)
    assert refused.value.http_status == 400
    settings.TIDU_MAX_ATTACHMENT_BYTES = 1024
    with pytest.raises(CaseError, match="at most"):
        services.application_attachment_add(application=application, by=cast.owner, name="大.pdf", content=PDF + b"\x00" * 2048)

    application.refresh_from_db()
    assert [a.name for a in application.attachments.all()] == ["厂房.png"]
    assert application.statement and application.state == S.DRAFT


def test_only_the_enterprise_may_withdraw_and_only_before_recommendation(cast, batch):
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    with pytest.raises(CaseError, match="Only the enterprise"):
        services.application_withdraw(application=application, by=cast.district, reason="")

    services.application_withdraw(application=application, by=cast.owner, reason="明年再报")
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN and open_tasks(application) == []


def test_other_districts_and_enterprises_cannot_decide(cast, batch):
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)
    for outsider in (cast.other_district, cast.other_owner, cast.city, cast.auditor):
        with pytest.raises(Exception) as refused:
            services.application_district_approve(application=application, by=outsider)
        assert refused.value.http_status == 403
    application.refresh_from_db()
    assert application.state == S.DISTRICT_REVIEW


def test_a_failure_midway_leaves_nothing_half_written(cast, batch, monkeypatch):
    application = services.application_submit(application=draft(cast, batch), by=cast.owner)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("approvals.cases.kernel.step_record", broken)
    with pytest.raises(RuntimeError):
        services.application_district_approve(application=application, by=cast.district)
    application.refresh_from_db()
    assert application.state == S.DISTRICT_REVIEW
    assert open_tasks(application) == ["application.district_review"]


# The transition table: for every state, the transitions the model allows; everything else is refused.
ALLOWED = {
    S.DRAFT: {"submit", "withdraw"},
    S.DISTRICT_REVIEW: {"district_approve", "return_", "reject", "withdraw"},
    S.RETURNED: {"resubmit", "withdraw"},
    S.CITY_REVIEW: {"return_", "reject", "send_to_experts", "city_approve", "withdraw"},
    S.EXPERT_REVIEW: {"return_", "reject", "city_approve", "withdraw"},
    S.APPROVED: {"recommend", "not_recommend", "withdraw"},
    S.RECOMMENDED: {"recognize", "not_recognize"},
    S.RECOGNIZED: set(),
    S.NOT_RECOGNIZED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}
TRANSITIONS = sorted({name for names in ALLOWED.values() for name in names})


@pytest.mark.parametrize("state", list(ALLOWED))
def test_transition_table(state):
    application = Application()
    application.__dict__["state"] = state  # a protected field: set under the descriptor for the table only
    allowed = {name for name in TRANSITIONS if can_proceed(getattr(application, name))}
    assert allowed == ALLOWED[state]


def test_an_out_of_order_decision_is_refused_and_changes_nothing(cast, batch):
    application = draft(cast, batch)
    with pytest.raises(Exception) as refused:
        services.application_city_approve(application=application, by=cast.city)
    assert refused.value.http_status == 409
    application.refresh_from_db()
    assert application.state == S.DRAFT
