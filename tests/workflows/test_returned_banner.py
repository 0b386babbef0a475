"""A returned enterprise is told on every page: the bureau's reason and one button to answer."""

import pytest
from django.urls import reverse

from workflows.services import pool as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(cast):
    entry = services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")
    return services.pool_entry_return(entry=entry, by=cast.district, reason="请补充研发费用专账")


def test_the_landing_page_shows_the_reason_and_one_link_to_answer(client, cast, returned):
    client.force_login(cast.owner)
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0] == reverse("cultivation:diagnosis", args=[cast.own.pk])
    page = landing.content.decode()
    assert page.count('data-testid="returned-notice"') == 1
    assert "请补充研发费用专账" in page and "入库申请已被退回修改" in page
    assert f'href="{reverse("pool:detail", args=[returned.pk])}#answer"' in page
    answer = client.get(reverse("pool:detail", args=[returned.pk])).content.decode()
    assert 'data-testid="returned-notice"' not in answer and 'id="answer"' in answer  # the case page answers itself


def test_no_banner_once_answered_nor_for_others(client, cast, returned):
    client.force_login(cast.other_owner)
    assert 'data-testid="returned-notice"' not in client.get(reverse("cultivation:diagnosis", args=[cast.neighbour.pk])).content.decode()
    client.force_login(cast.district)
    assert 'data-testid="returned-notice"' not in client.get(reverse("queue:index")).content.decode()
    services.pool_entry_resubmit(entry=returned, by=cast.owner, statement="已补充")
    client.force_login(cast.owner)
    assert 'data-testid="returned-notice"' not in client.get(reverse("cultivation:diagnosis", args=[cast.own.pk])).content.decode()
