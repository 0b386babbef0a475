"""Who sees which documents, on the pages and through the API; every download is logged."""

import pytest

from steplog.models import Step
from documents.models import DocumentKind, RenderState
from documents.selectors import documents_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(cast, issue):
    """One document for each 京口 enterprise, one for 丹阳's, one city-wide public notice."""
    return {
        "own": issue(enterprise=cast.own),
        "neighbour": issue(DocumentKind.DIAGNOSIS_REPORT, enterprise=cast.neighbour, render=False),
        "far": issue(DocumentKind.RECOGNITION_NOTICE, enterprise=cast.far, render=False),
        "public": issue(DocumentKind.PUBLIC_NOTICE, enterprise=None, render=False),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", {"own"}),
        ("other_owner", {"neighbour"}),
        ("district", {"own", "neighbour"}),
        ("other_district", {"far"}),
        ("city", {"own", "neighbour", "far", "public"}),
        ("finance", {"public"}),  # payouts only: the reward path's documents
        ("auditor", {"own", "neighbour", "far", "public"}),
    ],
)
def test_each_role_sees_its_scope(cast, archive, who, sees):
    visible = set(documents_for(user=getattr(cast, who)).values_list("pk", flat=True))
    assert visible == {archive[name].pk for name in sees}


def test_the_archive_page_lists_the_scope(client, cast, archive):
    client.force_login(cast.owner)
    page = client.get("/archive/").content.decode()
    assert archive["own"].number in page and archive["neighbour"].number not in page


def test_a_document_out_of_scope_is_a_404_by_url_guessing_too(client, cast, archive):
    client.force_login(cast.owner)
    for url in (
        f"/archive/{archive['neighbour'].pk}/",
        f"/documents/{archive['neighbour'].pk}/download/",
        f"/api/documents/{archive['neighbour'].pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/archive/{archive['neighbour'].pk}/void/", {"reason": "x"}).status_code == 404


def test_downloading_gives_the_pdf_and_logs_a_step(client, cast, archive):
    document = archive["own"]
    client.force_login(cast.owner)
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    step = Step.objects.get(action="document.download")
    assert (step.actor, step.object_id, step.enterprise) == (cast.owner, str(document.pk), cast.own)


def test_a_pdf_not_yet_rendered_cannot_be_downloaded(client, cast, archive):
    document = archive["neighbour"]
    assert document.render_state == RenderState.PENDING
    client.force_login(cast.city)
    response = client.get(f"/documents/{document.pk}/download/", follow=True)
    assert "尚未生成" in response.content.decode()
    assert not Step.objects.filter(action="document.download").exists()


def test_the_detail_page_shows_the_history_and_the_void_form_to_the_city(client, cast, archive):
    client.force_login(cast.city)
    page = client.get(f"/archive/{archive['own'].pk}/").content.decode()
    assert "公文已印发" in page and 'data-testid="void-form"' in page
    client.force_login(cast.owner)
    assert 'data-testid="void-form"' not in client.get(f"/archive/{archive['own'].pk}/").content.decode()


def test_the_city_voids_from_the_page(client, cast, archive):
    client.force_login(cast.city)
    response = client.post(f"/archive/{archive['own'].pk}/void/", {"reason": "内容有误"}, follow=True)
    assert "已作废" in response.content.decode()


def test_the_api_lists_downloads_and_voids_in_scope(client, cast, archive):
    client.force_login(cast.district)
    listed = client.get("/api/documents/").json()
    assert {row["number"] for row in listed["results"]} == {archive["own"].number, archive["neighbour"].number}
    detail = client.get(f"/api/documents/{archive['own'].pk}/").json()
    assert detail["render_state"] == "ready" and detail["download_url"].endswith(
        f"/api/documents/{archive['own'].pk}/download/"
    )
    assert client.get(f"/api/documents/{archive['own'].pk}/download/").status_code == 200
    refused = client.post(f"/api/documents/{archive['own'].pk}/void/", {"reason": "x"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    client.force_login(cast.city)
    voided = client.post(
        f"/api/documents/{archive['own'].pk}/void/", {"reason": "重复"}, content_type="application/json"
    )
    assert voided.status_code == 200 and voided.json()["status"] == "voided"


def test_the_api_refuses_a_download_before_the_pdf_exists(client, cast, archive):
    client.force_login(cast.city)
    response = client.get(f"/api/documents/{archive['neighbour'].pk}/download/")
    assert response.status_code == 409 and response.json()["code"] == "not_ready"


def test_anonymous_visitors_are_sent_to_log_in(client, archive):
    assert client.get("/archive/").status_code == 302
    assert client.get(f"/documents/{archive['own'].pk}/download/").status_code == 302
    assert client.get("/api/documents/").status_code in (401, 403)
