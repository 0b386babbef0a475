"""A revoked title bans re-recognition for the policy's ban period: recording a result is refused."""

import datetime

import pytest

from rewards.services import title_revoke
from workflows.exceptions import CaseError
from workflows.models import Recognition
from workflows.services.recognition import recognition_record

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 7, 15)


def test_a_revoked_enterprise_is_not_recognized_again_within_the_ban(cast):
    first = recognition_record(enterprise=cast.own, tier="little_giant", recognized_on=DAY, kind="first", by=cast.city)
    title_revoke(title=first.title, by=cast.city, reason="复核发现数据造假", day=DAY + datetime.timedelta(days=30))

    with pytest.raises(CaseError, match="不得再次认定") as refused:
        recognition_record(
            enterprise=cast.own, tier="champion", recognized_on=DAY + datetime.timedelta(days=400), kind="first", by=cast.city
        )
    assert refused.value.code == "banned"
    assert Recognition.objects.filter(enterprise=cast.own).count() == 1
