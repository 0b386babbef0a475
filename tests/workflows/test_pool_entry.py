"""Pool entry (入库培育): the path, the refusals, the history, nothing half-written."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone, translation

from approvals.models import QueueTask, Step
from documents.models import Document
from enterprises.exceptions import DomainError
from enterprises.models import SourceList, SourceListEntry
from tests.factories import AnnualMetricsFactory, EnterpriseFactory
from workflows.exceptions import CaseError
from workflows.models import PoolEntry, PoolEntryState
from workflows.services import pool as services

pytestmark = pytest.mark.django_db
S = PoolEntryState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def propose(cast, **kwargs):
    return services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="精密轴承，细分市场第三", **kwargs)


def open_tasks(entry):
    return list(
        QueueTask.objects.filter(case_type="workflows.poolentry", case_id=str(entry.pk), status__in=["open", "claimed"])
    )


def test_full_path_enterprise_to_pool(cast):
    entry = propose(cast)
    assert entry.state == S.DISTRICT_REVIEW
    [task] = open_tasks(entry)
    assert task.role == "district_reviewer" and task.jurisdiction == cast.own.jurisdiction

    services.pool_entry_district_approve(entry=entry, by=cast.district, comment="材料齐全")
    entry.refresh_from_db()
    assert entry.state == S.CITY_REVIEW
    [task] = open_tasks(entry)
    assert task.role == "city_reviewer"

    services.pool_entry_city_approve(entry=entry, by=cast.city)
    entry.refresh_from_db()
    assert entry.state == S.POOLED and entry.pooled_on == timezone.localdate()
    assert open_tasks(entry) == []
    assert entry.process.status == "DONE"
    actions = list(Step.objects.filter(object_id=str(entry.pk), object_type="workflows.poolentry").values_list("action", flat=True))
    assert actions == ["pool_entry.submit", "pool_entry.district_approve", "pool_entry.city_approve"]
    [notice] = Document.objects.filter(kind="pool_entry_notice", enterprise=cast.own)
    assert cast.own.name in notice.title and notice.number.startswith("镇工信〔")


def test_return_and_resubmit_loop_keeps_the_reason_for_the_enterprise(cast):
    entry = propose(cast)
    services.pool_entry_return(entry=entry, by=cast.district, reason="请补充主导产品说明")
    entry.refresh_from_db()
    assert entry.state == S.RETURNED and entry.last_reason == "请补充主导产品说明"
    [task] = open_tasks(entry)
    assert task.role == "enterprise" and task.enterprise == cast.own

    services.pool_entry_resubmit(entry=entry, by=cast.owner, statement="补充后的说明")
    entry.refresh_from_db()
    assert entry.state == S.DISTRICT_REVIEW and entry.revision == 1 and entry.statement == "补充后的说明"
    services.pool_entry_district_approve(entry=entry, by=cast.district)
    services.pool_entry_return(entry=entry, by=cast.city, reason="请补充年度数据")
    entry.refresh_from_db()
    assert entry.state == S.RETURNED
    assert open_tasks(entry)[0].role == "enterprise"


def test_a_return_needs_a_reason(cast):
    entry = propose(cast)
    with pytest.raises(CaseError, match="reason"):
        services.pool_entry_return(entry=entry, by=cast.district, reason="  ")
    entry.refresh_from_db()
    assert entry.state == S.DISTRICT_REVIEW


def test_double_submit_is_refused_and_changes_nothing(cast):
    propose(cast)
    with pytest.raises(CaseError, match="already has a pool entry"):
        propose(cast)
    assert PoolEntry.objects.filter(enterprise=cast.own).count() == 1


def test_double_approval_is_refused(cast):
    entry = propose(cast)
    services.pool_entry_district_approve(entry=entry, by=cast.district)
    steps = Step.objects.count()
    with pytest.raises(DomainError, match="already decided"):
        services.pool_entry_district_approve(entry=entry, by=cast.district)
    assert Step.objects.count() == steps


@pytest.mark.parametrize(
    "who, action",
    [
        ("other_district", "pool_entry_district_approve"),
        ("owner", "pool_entry_district_approve"),
        ("city", "pool_entry_district_approve"),
        ("auditor", "pool_entry_district_approve"),
        ("district", "pool_entry_city_approve"),
        ("other_owner", "pool_entry_withdraw"),
        # Withdrawing is the enterprise's alone: its district rejects or returns instead.
        ("district", "pool_entry_withdraw"),
    ],
)
def test_the_wrong_person_is_refused(cast, who, action):
    entry = propose(cast)
    with pytest.raises(DomainError):
        getattr(services, action)(entry=entry, by=getattr(cast, who))
    entry.refresh_from_db()
    assert entry.state == S.DISTRICT_REVIEW


# Allowed (✓) and refused source states of each action.
TRANSITIONS = {
    "pool_entry_district_approve": {S.DISTRICT_REVIEW},
    "pool_entry_city_approve": {S.CITY_REVIEW},
    "pool_entry_withdraw": {S.DISTRICT_REVIEW, S.RETURNED},
}


def reach(cast, state):
    entry = propose(cast)
    if state in (S.CITY_REVIEW, S.POOLED):
        services.pool_entry_district_approve(entry=entry, by=cast.district)
    if state == S.POOLED:
        services.pool_entry_city_approve(entry=entry, by=cast.city)
    if state == S.RETURNED:
        services.pool_entry_return(entry=entry, by=cast.district, reason="补充")
    if state == S.REJECTED:
        services.pool_entry_reject(entry=entry, by=cast.district, reason="不符合")
    entry.refresh_from_db()
    return entry


@pytest.mark.parametrize("state", [S.DISTRICT_REVIEW, S.CITY_REVIEW, S.RETURNED, S.POOLED, S.REJECTED])
@pytest.mark.parametrize("action", TRANSITIONS)
def test_transition_table(cast, state, action):
    entry = reach(cast, state)
    actor = {
        "pool_entry_district_approve": cast.district,
        "pool_entry_city_approve": cast.city,
        "pool_entry_withdraw": cast.owner,
    }[action]
    if state in TRANSITIONS[action]:
        getattr(services, action)(entry=entry, by=actor)
    else:
        with pytest.raises(DomainError):
            getattr(services, action)(entry=entry, by=actor)
        entry.refresh_from_db()
        assert entry.state == state


def test_withdrawal_cancels_the_open_task(cast):
    entry = propose(cast)
    services.pool_entry_withdraw(entry=entry, by=cast.owner, reason="暂不申请")
    entry.refresh_from_db()
    assert entry.state == S.WITHDRAWN and open_tasks(entry) == []
    assert propose(cast).state == S.DISTRICT_REVIEW  # may propose again later


def test_state_cannot_be_assigned_directly(cast):
    entry = propose(cast)
    with pytest.raises(AttributeError):
        entry.state = S.POOLED


def test_a_failure_midway_leaves_nothing_half_written(cast):
    steps_before = Step.objects.count()
    with mock.patch("approvals.cases.kernel.step_record", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            propose(cast)
    assert PoolEntry.objects.count() == 0
    assert QueueTask.objects.count() == 0
    assert Step.objects.count() == steps_before


def test_signup_registers_enterprise_user_and_entry_together(db, jingkou):
    user, entry = services.pool_entry_signup(
        credit_code="91330100716105852f",
        name="新注册科技有限公司",
        jurisdiction=jingkou,
        main_product="传感器",
        username="newco",
        password="a-strong-pass-1",
        statement="申请入库",
    )
    assert user.enterprise.credit_code == "91330100716105852F"
    assert entry.state == S.DISTRICT_REVIEW and entry.source == "self"


def test_signup_rolls_back_when_the_login_name_is_bad(db, jingkou):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.pool_entry_signup(
            credit_code="91330100716105852F",
            name="新注册科技有限公司",
            jurisdiction=jingkou,
            username="bad name with spaces!",
            password="x",
            statement="申请入库",
        )
    from enterprises.models import Enterprise

    assert not Enterprise.objects.filter(credit_code="91330100716105852F").exists()


def test_bulk_proposal_from_an_official_list_stays_in_scope(cast):
    for enterprise in (cast.own, cast.neighbour, cast.far):
        SourceListEntry.objects.create(enterprise=enterprise, source_list=SourceList.HIGH_TECH, valid_from=datetime.date(2024, 1, 1))
    entries = services.pool_entries_propose_from_list(source_list=SourceList.HIGH_TECH, by=cast.district, statement="高企名单")
    assert {e.enterprise for e in entries} == {cast.own, cast.neighbour}
    assert all(e.source == "official_list" for e in entries)
    again = services.pool_entries_propose_from_list(source_list=SourceList.HIGH_TECH, by=cast.district, statement="高企名单")
    assert again == []


class TestAnnualRefresh:
    def pooled(self, cast, enterprise, owner=None):
        entry = services.pool_entry_propose(enterprise=enterprise, by=cast.city, statement="入库")
        services.pool_entry_district_approve(entry=entry, by=cast.district)
        services.pool_entry_city_approve(entry=entry, by=cast.city)
        return entry

    def test_refresh_proposes_exits_and_the_city_confirms(self, cast):
        updated = self.pooled(cast, cast.own)
        silent = self.pooled(cast, cast.neighbour)
        small_co = EnterpriseFactory()
        small = self.pooled(cast, small_co)
        refresh = services.pool_refresh_open(year=2026, deadline=datetime.date(2026, 5, 31), by=cast.city)
        AnnualMetricsFactory(enterprise=cast.own, year=2025, taxable_sales=Decimal("30000000"))
        AnnualMetricsFactory(enterprise=small_co, year=2025, taxable_sales=Decimal("9000000"))

        with pytest.raises(CaseError, match="after its deadline"):
            services.pool_refresh_evaluate(refresh=refresh, by=cast.city, today=datetime.date(2026, 5, 1))
        proposed = services.pool_refresh_evaluate(refresh=refresh, by=cast.city, today=datetime.date(2026, 6, 1))

        assert {e.pk for e in proposed} == {silent.pk, small.pk}
        silent.refresh_from_db()
        small.refresh_from_db()
        assert "not updated" in silent.last_reason and "below" in small.last_reason
        assert open_tasks(silent)[0].role == "city_reviewer"

        services.pool_entry_confirm_exit(entry=silent, by=cast.city)
        services.pool_entry_keep(entry=small, by=cast.city, comment="扩产中，保留")
        silent.refresh_from_db()
        small.refresh_from_db()
        updated.refresh_from_db()
        assert (silent.state, small.state, updated.state) == (S.EXITED, S.POOLED, S.POOLED)

    def test_only_the_city_opens_a_refresh(self, cast):
        with pytest.raises(CaseError):
            services.pool_refresh_open(year=2026, deadline=datetime.date(2026, 5, 31), by=cast.district)


def test_the_pool_entry_notice_is_worded_in_chinese_whatever_the_reviewers_language(cast):
    entry = propose(cast)
    services.pool_entry_district_approve(entry=entry, by=cast.district)
    with translation.override("en"):
        services.pool_entry_city_approve(entry=entry, by=cast.city)
    notice = Document.objects.get(kind="pool_entry_notice", enterprise=cast.own)
    assert notice.title.startswith("关于") and "培育库" in notice.title


def test_a_districts_own_proposal_is_its_district_review_and_goes_to_the_city(cast):
    entry = services.pool_entry_propose(enterprise=cast.own, by=cast.district, statement="区局推荐")
    assert entry.state == S.CITY_REVIEW
    assert Step.objects.filter(action="pool_entry.district_propose", object_id=str(entry.pk)).count() == 1
    tasks = QueueTask.objects.filter(case_type="workflows.poolentry", case_id=str(entry.pk))
    assert list(tasks.values_list("kind", "status")) == [("pool_entry.city_review", "open")]
