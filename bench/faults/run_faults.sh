#!/usr/bin/env bash
# The fault proofs (issue 12): a Celery worker SIGKILLed mid-task, PostgreSQL crash-restarted
# during a burst of HTTP decisions, Redis down during decisions and back again. Each proof is a
# pytest file marked `fault` in this folder that prints its OUTCOME lines; this runner prints them
# all at the end and exits non-zero when one fails.
#
# It never touches the machine's PostgreSQL (5432) or Redis (6379): it starts a throwaway
# PostgreSQL cluster and a Redis of its own on 127.0.0.1 (ports below), kills and restarts
# those, and removes them and their files on exit, whatever happens. Bounded by FAULT_TIME_LIMIT.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
PG_BIN=${FAULT_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${FAULT_PG_PORT:-55432}
REDIS_PORT=${FAULT_REDIS_PORT:-56379}
WEB_PORT=${FAULT_WEB_PORT:-58080}
TIME_LIMIT=${FAULT_TIME_LIMIT:-1200}

tmp=$(mktemp -d /tmp/tidu-faults.XXXXXX)
pgdata=$tmp/pg
report=$tmp/outcomes.txt

as_postgres() {
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  set +e
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  if [ -f "$pgdata/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$pgdata" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$PG_PORT" "$REDIS_PORT" "$WEB_PORT"; do
  if port_taken "$port"; then echo "!! port $port on 127.0.0.1 is taken; set FAULT_PG_PORT / FAULT_REDIS_PORT / FAULT_WEB_PORT" >&2; exit 1; fi
done

echo "== private PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT (in $tmp)"
chmod 755 "$tmp"
mkdir -p "$pgdata" "$tmp/var"
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"
as_postgres "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$pgdata" -w -t 60 -l "$pgdata/server.log" \
  -o "-p $PG_PORT -k $pgdata -c listen_addresses=127.0.0.1" start >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$tmp" --pidfile "$tmp/redis.pid" >/dev/null

export FAULT_PG_BIN=$PG_BIN FAULT_PGDATA=$pgdata FAULT_PG_PORT=$PG_PORT FAULT_REDIS_PORT=$REDIS_PORT
export FAULT_WEB_PORT=$WEB_PORT FAULT_TMP=$tmp FAULT_REPORT=$report
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/tidu_faults
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
export TIDU_VAR_DIR=$tmp/var TIDU_SWEEP_STALLED_SECONDS=1
# gunicorn serves as a deployment would (DEBUG off), over plain http on this machine only;
# mail goes nowhere (Django's in-memory backend), SMS to the logging gateway.
export DEBUG=0 SECRET_KEY=fault-proofs-not-secret ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 \
  SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 TRUST_X_FORWARDED_PROTO=0 \
  EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

: > "$report"
status=0
started=$(date +%s)
# Arguments, if any, choose the proofs (a file, -k NAME); by default all of them.
[ $# -gt 0 ] || set -- bench/faults
timeout --kill-after=30 "$TIME_LIMIT" "$PY" -m pytest -m fault -p no:randomly -s -q \
  -o addopts="-p no:cacheprovider --strict-markers" "$@" || status=$?

echo
echo "== fault outcomes ($(( $(date +%s) - started )) s)"
sed 's/^/   /' "$report"
if [ "$status" = 124 ]; then echo "!! stopped after $TIME_LIMIT s (FAULT_TIME_LIMIT)" >&2; fi
[ "$status" = 0 ] && echo "   all faults: PASS" || echo "   faults: FAILED (pytest exit $status)" >&2
exit "$status"
