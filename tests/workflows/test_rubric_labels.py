"""The experts' rubric reads in the reader's language; batches opened before keep their scores."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import translation

from tests.workflows.applications import open_batch
from workflows.forms import ExpertScoreForm

pytestmark = pytest.mark.django_db
migration = import_module("workflows.migrations.0007_rubric_labels_in_two_languages")


@pytest.mark.parametrize("language, label", [("en", "Specialisation (0–25)"), ("zh-hans", "专业化 (0–25)")])
def test_the_default_rubric_is_labelled_in_the_readers_language(cast, language, label):
    batch = open_batch(cast)
    with translation.override(language):
        assert ExpertScoreForm(rubric=batch.rubric).fields["score_specialised"].label == label


def test_the_migration_splits_a_two_language_label_and_leaves_a_typed_one(cast):
    batch = open_batch(cast, rubric=[
        {"id": "specialised", "label": "专业化 Specialisation", "max": 25},
        {"id": "market", "label": "市场前景", "max": 10},
    ])
    migration.split_labels(apps, None)
    batch.refresh_from_db()
    assert batch.rubric == [
        {"id": "specialised", "label": "专业化", "label_en": "Specialisation", "max": 25},
        {"id": "market", "label": "市场前景", "max": 10},
    ]
    migration.join_labels(apps, None)
    batch.refresh_from_db()
    assert batch.rubric[0] == {"id": "specialised", "label": "专业化 Specialisation", "max": 25}
