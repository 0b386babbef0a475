"""Recording recognition results: titles, renewals, idempotence, the notice, rewards on commit, the match queue."""

import datetime
from unittest import mock

import pytest
from django.utils import translation

from approvals.models import Step
from documents.models import Document, DocumentKind
from enterprises.models import Tier, Title, TitleBasis
from tests.factories import EnterpriseFactory, TitleFactory
from workflows.exceptions import CaseError
from workflows.models import Recognition, RecognitionMatch, RecognitionMatchState, RecognitionStatus
from workflows.services.recognition import (
    EnterpriseMatcher,
    name_key,
    recognition_match_dismiss,
    recognition_match_queue,
    recognition_match_resolve,
    recognition_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; one test checks the Chinese catalogue."""
    with translation.override("en"):
        yield

DAY = datetime.date(2024, 7, 15)


def record(cast, **overrides):
    values = dict(enterprise=cast.own, tier=Tier.LITTLE_GIANT, recognized_on=DAY, kind="first", by=cast.city,
                  batch="第六批")
    return recognition_record(**{**values, **overrides})


def test_a_final_first_time_result_creates_a_title_valid_three_years(cast):
    recorded = record(cast)
    title = recorded.title
    assert recorded.changed and not recorded.warnings
    assert (title.tier, title.basis, title.level, title.batch) == (Tier.LITTLE_GIANT, TitleBasis.FIRST_TIME, "national", "第六批")
    assert title.recognized_on == DAY and title.valid_until == datetime.date(2027, 7, 14)
    assert recorded.recognition.title == title and recorded.recognition.status == RecognitionStatus.FINAL
    step = Step.objects.get(action="recognition.record")
    assert step.state_after == "final" and step.data["title"] == title.pk and step.enterprise_id == cast.own.pk


def test_recording_the_same_result_again_changes_nothing(cast):
    first = record(cast)
    steps, documents = Step.objects.count(), Document.objects.count()
    again = record(cast, batch="another batch text")
    assert not again.changed and again.recognition == first.recognition
    assert (Title.objects.count(), Recognition.objects.count()) == (1, 1)
    assert (Step.objects.count(), Document.objects.count()) == (steps, documents)


def test_a_publicity_result_creates_no_title_until_the_final_list(cast):
    publicity = record(cast, status="publicity")
    assert publicity.title is None and not Title.objects.exists()
    assert not Document.objects.filter(kind=DocumentKind.RECOGNITION_NOTICE).exists()
    assert not record(cast, status="publicity").changed
    final = record(cast, status="final")
    assert final.changed and final.recognition.pk == publicity.recognition.pk
    assert final.recognition.status == RecognitionStatus.FINAL and final.title is not None
    assert Step.objects.filter(action="recognition.record").last().state_before == "publicity"


def test_a_passed_renewal_extends_from_the_old_expiry(cast):
    old = TitleFactory(enterprise=cast.own, tier=Tier.LITTLE_GIANT, recognized_on=datetime.date(2021, 8, 1),
                       valid_until=datetime.date(2024, 7, 31))
    recorded = record(cast, kind="renewal", recognized_on=datetime.date(2024, 7, 1))
    assert recorded.title != old and recorded.title.basis == TitleBasis.RENEWAL
    assert recorded.title.valid_until == datetime.date(2027, 7, 31)
    assert recorded.recognition.renewed_title == old and not recorded.warnings
    assert not old.is_lapsed_on(datetime.date(2025, 1, 1))


def test_a_renewal_without_its_earlier_title_is_accepted_and_says_so(cast):
    recorded = record(cast, kind="renewal")
    assert recorded.title.valid_until == datetime.date(2027, 7, 14)
    assert recorded.warnings == [recorded.recognition.warning]
    assert "not on record" in recorded.warnings[0]


def test_a_title_past_its_expiry_without_renewal_is_lapsed(cast):
    title = TitleFactory(enterprise=cast.own, recognized_on=datetime.date(2020, 1, 1),
                         valid_until=datetime.date(2022, 12, 31))
    assert not title.is_lapsed_on(datetime.date(2022, 12, 31))
    assert title.is_lapsed_on(datetime.date(2023, 1, 1)) and title.is_lapsed


def test_the_enterprise_page_shows_a_lapsed_title(cast, client):
    TitleFactory(enterprise=cast.own, recognized_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2022, 12, 31))
    client.force_login(cast.owner)
    response = client.get(f"/registry/enterprise/{cast.own.pk}/detail/", follow=True)
    assert 'data-testid="title-lapsed"' in response.content.decode()


def test_the_recognition_notice_is_issued_to_the_enterprise(cast):
    recorded = record(cast, tier=Tier.CHAMPION, product="高速工具钢")
    notice = Document.objects.get(kind=DocumentKind.RECOGNITION_NOTICE)
    assert notice.enterprise == cast.own and notice.subject_id == str(recorded.recognition.pk)
    assert cast.own.name in notice.title and "高速工具钢" in str(notice.context)


def test_rewards_are_asked_once_after_commit(cast, django_capture_on_commit_callbacks):
    with mock.patch("rewards.services.entitlements_request") as request:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            recorded = record(cast)
            record(cast)
        request.assert_not_called()
        for callback in callbacks:
            callback()
    request.assert_called_once_with(title=recorded.title)


def test_only_the_city_or_an_administrator_records(cast):
    for user in (cast.owner, cast.district, cast.finance, cast.auditor):
        with pytest.raises(CaseError, match="Only the city bureau may record"):
            record(cast, by=user)
    assert record(cast, by=cast.admin).changed
    assert not Recognition.objects.exclude(recorded_by=cast.admin).exists()


def test_a_product_belongs_only_to_a_champion(cast):
    with pytest.raises(CaseError, match="Only a single-champion result may name a product"):
        record(cast, tier=Tier.SRDI, product="轴承")


def test_a_failure_midway_writes_nothing(cast):
    with mock.patch("workflows.services.recognition.document_issue", side_effect=RuntimeError("printer on fire")):
        with pytest.raises(RuntimeError):
            record(cast)
    assert not Recognition.objects.exists() and not Title.objects.exists()
    assert not Step.objects.filter(action="recognition.record").exists()


# ------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    "published, registered",
    [
        ("双峰格雷斯海姆医药玻璃(丹阳)有限公司", "双峰格雷斯海姆医药玻璃（丹阳）有限公司"),
        ("江蘇恒神股份有限公司", "江苏恒神股份有限公司"),
        ("泰興市東圣生物科技有限公司", "泰兴市东圣生物科技有限公司"),
        ("江苏奇一科技 有限公司", "江苏奇一科技有限公司"),
        ("ＡＢＣ精密（镇江）有限公司", "ABC精密(镇江)有限公司"),
    ],
)
def test_name_keys_fold_parentheses_widths_spaces_and_traditional_characters(published, registered):
    assert name_key(published) == name_key(registered)


def test_two_legal_entities_of_one_group_keep_different_keys():
    assert name_key("江苏恒立液压股份有限公司") != name_key("江苏恒立液压科技有限公司")
    assert name_key("某某股份有限公司") != name_key("某某(镇江)有限公司")


def test_the_matcher_never_guesses(cast):
    hengli = EnterpriseFactory(name="江苏恒立液压股份有限公司")
    EnterpriseFactory(name="江苏恒立液压科技有限公司")
    EnterpriseFactory(name="镇江重名有限公司")
    EnterpriseFactory(name="镇江重名有限公司")
    matcher = EnterpriseMatcher()
    assert matcher.match(name="江蘇恒立液壓股份有限公司").enterprise.pk == hengli.pk
    assert matcher.match(name="江苏恒立液压有限公司").reason == "unmatched"
    ambiguous = matcher.match(name="镇江重名有限公司")
    assert ambiguous.enterprise is None and ambiguous.reason == "ambiguous" and len(ambiguous.candidates) == 2
    assert matcher.match(name="whatever", credit_code=cast.far.credit_code).enterprise.pk == cast.far.pk


# ------------------------------------------------------------------------------------------ the queue

ROW = {"tier": "champion", "recognized_on": "2024-03-04", "kind": "first", "batch": "第八批", "product": "",
       "status": "final"}


def queue(cast, name="天工国际", candidates=()):
    match, _created = recognition_match_queue(name=name, credit_code="", row=ROW, reason="unmatched",
                                              candidates=list(candidates), source="list.csv", row_number=2, by=cast.city)
    return match


def test_a_reviewer_resolves_a_queued_row_through_the_same_service(cast):
    match = queue(cast)
    recorded = recognition_match_resolve(match=match, enterprise=cast.far, by=cast.city)
    match = RecognitionMatch.objects.get(pk=match.pk)
    assert match.state == RecognitionMatchState.RESOLVED and match.enterprise == cast.far
    assert match.recognition == recorded.recognition and recorded.title.tier == Tier.CHAMPION
    assert Step.objects.filter(action="recognition_match.resolve").count() == 1
    with pytest.raises(CaseError, match="already"):
        recognition_match_resolve(match=match, enterprise=cast.own, by=cast.city)


def test_a_reviewer_dismisses_a_row_and_a_district_cannot(cast):
    match = queue(cast)
    with pytest.raises(CaseError):
        recognition_match_dismiss(match=match, by=cast.district)
    match = recognition_match_dismiss(match=match, by=cast.city, note="品牌名，不是法人")
    assert match.state == RecognitionMatchState.DISMISSED and match.note == "品牌名，不是法人"
    assert not Recognition.objects.exists()


def test_queueing_the_same_row_again_finds_it(cast):
    assert queue(cast) == queue(cast, name="天工國際")
    assert RecognitionMatch.objects.count() == 1
