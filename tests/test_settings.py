"""A malformed environment stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# What the test run itself sets (the database, the broker, debug, and the browser tests' async
# switch) is left out of a child process, which starts from the environment a deployment gives it.
TEST_RUN_ONLY = {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def child_environment(**env) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in TEST_RUN_ONLY}
    environment.update(DJANGO_SETTINGS_MODULE="project.settings", **env)
    return environment


def start(**env) -> subprocess.CompletedProcess:
    environment = child_environment(**env)
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


def check_deploy(**env) -> subprocess.CompletedProcess:
    environment = child_environment(**env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "production-key-" + "q7Xz" * 12,
    "DATABASE_URL": "postgres://u@db:5432/tidu",
    "ALLOWED_HOSTS": "tidu.example.gov.cn",
}


def test_production_settings_pass_the_deploy_check_with_hsts_and_the_ssl_redirect():
    done = check_deploy(**PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "W004" not in done.stderr and "W008" not in done.stderr


def test_each_https_switch_can_be_turned_off_and_the_deploy_check_says_so():
    done = check_deploy(**PRODUCTION, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


def test_a_negative_hsts_duration_stops_start_up():
    done = start(**PRODUCTION, SECURE_HSTS_SECONDS="-1")
    assert done.returncode != 0 and "SECURE_HSTS_SECONDS" in done.stderr.splitlines()[-1]


def test_development_serves_plain_http(settings):
    # `make run` and the test client (settings loaded with DEBUG on): no redirect, no HSTS, cookies over http.
    assert not settings.SECURE_SSL_REDIRECT and settings.SECURE_HSTS_SECONDS == 0
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE


def make_run_environment() -> dict[str, str]:
    """The variables `make run` serves the demo with (the Makefile's RUN_ENV)."""
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = next(line for line in makefile.splitlines() if line.startswith("RUN_ENV :="))
    return dict(pair.split("=", 1) for pair in line.removeprefix("RUN_ENV :=").split())


def test_make_run_keeps_the_login_over_plain_http():
    # Secure cookies or an https redirect would send a browser at http://127.0.0.1:8000 back to the login page.
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_PROXY_SSL_HEADER, '127.0.0.1' in s.ALLOWED_HOSTS)"
    )
    environment = child_environment(**make_run_environment())
    done = subprocess.run([sys.executable, "-c", show], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False", "False", "False", "None", "True"], done.stderr
