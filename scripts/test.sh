#!/usr/bin/env bash
# Runs the suite on SQLite, then again on PostgreSQL when one answers, then the Celery
# tests with a real worker on Redis when one answers. In CI (CI=true) a server that is
# installed but unreachable is a failure, not a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/tidu}
REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
summary=()
status=0

reachable_postgres() {
  $PY - "$PG_URL" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg, urllib.parse as u
p = u.urlparse(sys.argv[1])
psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username, dbname="postgres", connect_timeout=3).close()
PYEOF
}

reachable_redis() {
  $PY -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()" "$REDIS_URL" >/dev/null 2>&1
}

installed() { command -v "$1" >/dev/null 2>&1; }

echo "== pytest on SQLite"
if $PY -m pytest -m "not celery_worker and not fault"; then summary+=("SQLite: passed"); else summary+=("SQLite: FAILED"); status=1; fi

if reachable_postgres; then
  echo "== pytest on PostgreSQL ($PG_URL)"
  if DATABASE_URL=$PG_URL $PY -m pytest -m "not celery_worker and not browser and not fault"; then
    summary+=("PostgreSQL: passed")
  else
    summary+=("PostgreSQL: FAILED"); status=1
  fi
elif [ "${CI:-}" = "true" ] && installed pg_ctlcluster; then
  summary+=("PostgreSQL: installed but unreachable — FAILED"); status=1
else
  summary+=("PostgreSQL: skipped (no server at 127.0.0.1:5432)")
fi

if reachable_redis && reachable_postgres; then
  echo "== Celery tests with a real worker on Redis ($REDIS_URL)"
  if DATABASE_URL=$PG_URL CELERY_BROKER_URL=$REDIS_URL $PY -m pytest -m celery_worker; then
    summary+=("Celery worker on Redis: passed")
  else
    rc=$?
    if [ $rc -eq 5 ]; then summary+=("Celery worker on Redis: no tests yet"); else summary+=("Celery worker on Redis: FAILED"); status=1; fi
  fi
elif [ "${CI:-}" = "true" ] && installed redis-server; then
  summary+=("Celery worker on Redis: Redis installed but unreachable — FAILED"); status=1
else
  summary+=("Celery worker on Redis: skipped (needs Redis at 127.0.0.1:6379 and PostgreSQL)")
fi

echo
echo "== backends"
for line in "${summary[@]}"; do echo "   $line"; done
exit $status
