# Tidu: `make run` serves the demo city; `make test` runs the whole suite. Both start with `make setup`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# The key that signs the demo's checkpoints and evidence bundles (the development key that DEBUG makes).
DEMO_SIGNING_KEY := var/signing/development-ed25519.pem
# `make run` serves the demo as users see it: DEBUG off (the site's own 403/404/500 pages, static
# files from WhiteNoise), over plain http on this machine only, so the HTTPS-only switches are off.
RUN_ENV := DEBUG=0 SECRET_KEY=local-demo-key-not-for-production ALLOWED_HOSTS=127.0.0.1,localhost \
  SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 TRUST_X_FORWARDED_PROTO=0 \
  TIDU_SIGNING_KEY_FILE=$(DEMO_SIGNING_KEY)

.PHONY: setup system-packages venv messages migrate static run demo test test-sqlite bench soak clean

setup: system-packages venv messages migrate static

system-packages:
	@bash scripts/install-system-packages.sh

venv: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>/dev/null
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import django, django_fsm, weasyprint, celery, rest_framework"
	@! $(PY) -m pip show --quiet viewflow django-fsm 2>/dev/null || { echo "!! plain 'viewflow' or archived 'django-fsm' is installed: remove them" >&2; exit 1; }
	@touch $(STAMP)

messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=var

migrate: venv
	@$(PY) manage.py migrate --no-input -v 0

static: venv
	@$(PY) manage.py collectstatic --no-input -v 0

demo: setup
	@$(PY) manage.py demo

run: setup demo
	@test -f $(DEMO_SIGNING_KEY) || $(PY) manage.py signing_key_create $(DEMO_SIGNING_KEY) > /dev/null
	@echo ">> Tidu is at http://$(HOST)/ (logins in README.md)"
	@# Without a broker there is no Celery beat: a sweeper beside the server fires the SLA timers.
	@$(RUN_ENV) $(PY) manage.py run_due_timers --every 60 > var/due-timers.log 2>&1 & sweeper=$$!; \
	  trap 'kill $$sweeper 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver $(HOST)

test: setup
	@bash scripts/test.sh

test-sqlite: setup
	@$(PY) -m pytest

bench: setup
	@for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

# The proof under load and faults (README "Load" and "Faults"): gunicorn on PostgreSQL under locust,
# then the worker, PostgreSQL and Redis killed mid-work (on private servers; 127.0.0.1 only).
soak: setup
	@status=0; \
	  bash bench/soak/run_load.sh || status=1; \
	  bash bench/faults/run_faults.sh || status=1; \
	  exit $$status

clean:
	rm -rf var test-artifacts
