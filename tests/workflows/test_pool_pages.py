"""The pool-entry pages: who sees what, forms with inline errors, decisions by button."""

import pytest
from django.urls import reverse

from workflows.models import PoolEntry, PoolEntryState
from workflows.services import pool as services

pytestmark = pytest.mark.django_db


def proposed(cast):
    return services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="申请入库")


def test_enterprise_proposes_from_the_page(client, cast):
    client.force_login(cast.owner)
    response = client.post(reverse("pool:propose"), {"statement": "主导产品为精密轴承"}, follow=True)
    entry = PoolEntry.objects.get(enterprise=cast.own)
    assert entry.state == PoolEntryState.DISTRICT_REVIEW
    assert "主导产品为精密轴承" in response.content.decode()


def test_empty_statement_shows_an_inline_error_and_saves_nothing(client, cast):
    client.force_login(cast.owner)
    response = client.post(reverse("pool:propose"), {"statement": ""})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not PoolEntry.objects.exists()


def test_a_second_proposal_shows_the_reason(client, cast):
    proposed(cast)
    client.force_login(cast.owner)
    body = client.post(reverse("pool:propose"), {"statement": "再次申请"}).content.decode()
    assert "已有入库申请" in body or "already has a pool entry" in body


def test_reviewer_decides_with_a_button_and_sees_the_history(client, cast):
    entry = proposed(cast)
    client.force_login(cast.district)
    page = client.get(reverse("pool:detail", args=[entry.pk])).content.decode()
    assert 'data-testid="action-district_approve"' in page
    client.post(reverse("pool:act", args=[entry.pk, "district_approve"]), {"comment": "同意"})
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.CITY_REVIEW
    page = client.get(reverse("pool:detail", args=[entry.pk])).content.decode()
    assert page.count('data-testid="timeline-step"') == 2
    assert 'data-testid="action-district_approve"' not in page


def test_return_without_reason_is_refused_with_a_message(client, cast):
    entry = proposed(cast)
    client.force_login(cast.district)
    response = client.post(reverse("pool:act", args=[entry.pk, "return"]), {"comment": ""}, follow=True)
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.DISTRICT_REVIEW
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("who", ["other_owner", "other_district"])
def test_other_enterprises_and_districts_get_404(client, cast, who):
    entry = proposed(cast)
    client.force_login(getattr(cast, who))
    assert client.get(reverse("pool:detail", args=[entry.pk])).status_code == 404
    assert client.post(reverse("pool:act", args=[entry.pk, "district_approve"]), {"comment": ""}).status_code == 404
    entry.refresh_from_db()
    assert entry.state == PoolEntryState.DISTRICT_REVIEW


def test_list_is_scoped(client, cast):
    proposed(cast)
    services.pool_entry_propose(enterprise=cast.far, by=cast.other_district, statement="丹阳企业")
    client.force_login(cast.district)
    body = client.get(reverse("pool:index")).content.decode()
    assert cast.own.name in body and cast.far.name not in body


def test_unknown_action_is_404(client, cast):
    entry = proposed(cast)
    client.force_login(cast.district)
    assert client.post(reverse("pool:act", args=[entry.pk, "teleport"])).status_code == 404


def test_signup_page_registers_and_logs_in(client, db, jingkou):
    response = client.post(
        reverse("workflows:signup"),
        {
            "credit_code": "91330100716105852F",
            "name": "自主注册科技有限公司",
            "jurisdiction": jingkou.pk,
            "main_product": "传感器",
            "statement": "申请入库",
            "username": "selfco",
            "password": "long-enough-1",
        },
        follow=True,
    )
    assert response.status_code == 200
    entry = PoolEntry.objects.get(enterprise__credit_code="91330100716105852F")
    assert entry.source == "self"
    assert response.wsgi_request.user.username == "selfco"


def test_signup_refuses_a_bad_credit_code_inline(client, db, jingkou):
    response = client.post(
        reverse("workflows:signup"),
        {"credit_code": "91330100716105852E", "name": "x", "jurisdiction": jingkou.pk, "main_product": "x",
         "statement": "x", "username": "x1", "password": "long-enough-1"},
    )
    assert response.status_code == 200
    assert "91330100716105852E" not in str(PoolEntry.objects.values_list("enterprise__credit_code", flat=True))
    assert 'role="alert"' in response.content.decode()


def test_a_pooled_enterprise_is_told_to_update_its_data_until_it_does(client, cast):
    import datetime

    entry = services.pool_entry_propose(enterprise=cast.own, by=cast.owner, statement="入库")
    services.pool_entry_district_approve(entry=entry, by=cast.district)
    services.pool_entry_city_approve(entry=entry, by=cast.city)
    refresh = services.pool_refresh_open(year=2026, deadline=datetime.date(2026, 12, 31), by=cast.city)
    client.force_login(cast.owner)
    page = client.get(reverse("pool:index")).content.decode()
    assert 'data-testid="refresh-notice"' in page and f"/registry/enterprise/{cast.own.pk}/metrics/2025/" in page

    client.post(f"/registry/enterprise/{cast.own.pk}/metrics/2025/", {"taxable_sales": "30000000"})
    assert refresh.updated_by(cast.own)
    assert 'data-testid="refresh-notice"' not in client.get(reverse("pool:index")).content.decode()
    client.force_login(cast.district)
    assert 'data-testid="refresh-notice"' not in client.get(reverse("pool:index")).content.decode()


def test_a_review_page_links_what_the_reviewer_reads_and_then_the_issued_notice(client, cast, django_capture_on_commit_callbacks):
    entry = proposed(cast)
    client.force_login(cast.district)
    page = client.get(reverse("pool:detail", args=[entry.pk])).content.decode()
    for link in (reverse("registry:enterprise:detail", args=[cast.own.pk]), reverse("cultivation:diagnosis", args=[cast.own.pk]),
                 f'{reverse("archive:index")}?enterprise={cast.own.pk}'):
        assert f'href="{link}' in page
    assert 'data-testid="case-document"' not in page
    services.pool_entry_district_approve(entry=entry, by=cast.district)
    with django_capture_on_commit_callbacks(execute=False):
        services.pool_entry_city_approve(entry=entry, by=cast.city)
    page = client.get(reverse("pool:detail", args=[entry.pk])).content.decode()
    from documents.models import Document

    notice = Document.objects.get(kind="pool_entry_notice", enterprise=cast.own)
    assert f'href="{reverse("archive:detail", args=[notice.pk])}" data-testid="case-document"' in page
    archive = client.get(reverse("archive:index"), {"enterprise": cast.own.pk}).content.decode()
    assert notice.number in archive and archive.count('data-testid="archive-row"') == 1
