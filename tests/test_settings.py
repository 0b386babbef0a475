"""A malformed environment stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG"}}
    environment.update(DJANGO_SETTINGS_MODULE="project.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    "env, named",
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DATABASE_URL": "mysql://root@localhost/tidu"}, "DATABASE_URL"),
        ({"CELERY_BROKER_URL": "amqp://guest@localhost//"}, "CELERY_BROKER_URL"),
        ({"TIDU_ESCALATE_AFTER_OVERDUE_DAYS": "three"}, "TIDU_ESCALATE_AFTER_OVERDUE_DAYS"),
        ({"TIDU_PUBLIC_URL": "tidu.example"}, "TIDU_PUBLIC_URL"),
    ],
)
def test_malformed_values_stop_start_up_naming_the_variable(env, named):
    done = start(**env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and named in done.stderr.splitlines()[-1]


def test_production_settings_start_with_a_secret_key_and_postgres():
    done = start(DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@db:5432/tidu", CELERY_BROKER_URL="redis://r:6379/0")
    assert done.returncode == 0, done.stderr
