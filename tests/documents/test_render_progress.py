"""Batch documents show their rendering progress: a small JSON endpoint feeds the archive's progress bar."""

import pytest
from django.urls import reverse

from documents.services import document_render

pytestmark = pytest.mark.django_db


def test_the_archive_shows_how_far_a_batch_of_pdfs_is_rendered(client, cast, issue):
    documents = [issue(enterprise=cast.own, render=False) for _ in range(3)]
    client.force_login(cast.city)
    assert client.get(reverse("archive:progress")).json() == {"total": 3, "done": 0, "failed": 0, "finished": False}
    page = client.get(reverse("archive:index")).content.decode()
    assert 'data-testid="render-progress"' in page and "0 / 3" in page and "tidu/progress.js" in page

    document_render(document_id=documents[0].pk)
    assert client.get(reverse("archive:progress")).json() == {"total": 3, "done": 1, "failed": 0, "finished": False}
    for document in documents[1:]:
        document_render(document_id=document.pk)
    assert client.get(reverse("archive:progress")).json()["finished"] is True
    assert 'data-testid="render-progress"' not in client.get(reverse("archive:index")).content.decode()


def test_progress_counts_only_the_readers_archive(client, cast, issue):
    issue(enterprise=cast.far, render=False)
    client.force_login(cast.owner)
    assert client.get(reverse("archive:progress")).json()["total"] == 0
