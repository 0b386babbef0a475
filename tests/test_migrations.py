"""Every model change has its migration: a clean clone migrates to exactly the models in the code."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        pytest.fail(f"makemigrations found changes without a migration:\n{out.getvalue()}", pytrace=False)
        raise missing
