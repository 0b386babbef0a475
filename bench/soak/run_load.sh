#!/usr/bin/env bash
# The load proof (README "Load"): gunicorn on PostgreSQL under locust, then the post-run checks.
#
#   bash bench/soak/run_load.sh            # 100,000 enterprises and open tasks, 1,000,000 steps, 120 s
#   SOAK_ENTERPRISES=5000 SOAK_STEPS=50000 SOAK_DURATION=30 bash bench/soak/run_load.sh   # a quick run
#
# Creates the database tidu_soak on 127.0.0.1:5432 (dropped first if left over), migrates and
# seeds it (bench/soak/seed.py; SOAK_REUSE=1 keeps an already seeded one), times each page alone
# (bench/soak/pages.py: the app's CPU per request, which moves little with load), serves the app with
# gunicorn on 127.0.0.1:$SOAK_PORT (DEBUG off, as `make run`), runs locust headless with
# $SOAK_USERS users for $SOAK_DURATION seconds, prints the table and the targets, then checks the
# chain, the payouts and the queue against viewflow. Results go to var/soak/. gunicorn is stopped
# and the database dropped on any exit (SOAK_KEEP=1 keeps the database). Exit status: 1 if a
# post-run check fails (a missed latency target is reported, and also exits 1 with SOAK_STRICT=1).
set -euo pipefail

cd "$(dirname "$0")/../.."
PY=.venv/bin/python
DB=tidu_soak
PG_SERVER=postgres://postgres@127.0.0.1:5432
PORT=${SOAK_PORT:-8765}
USERS=${SOAK_USERS:-50}
# Each login hashes its password (PBKDF2, 1,000,000 rounds: ~0.6 s of CPU): 10 logins a second would
# take three cores, so users arrive at 2 a second and the figures count from when all are in.
SPAWN_RATE=${SOAK_SPAWN_RATE:-2}
DURATION=${SOAK_DURATION:-120}
WORKERS=${SOAK_WORKERS:-$(( 2 * $(nproc) + 1 ))}
OUT=var/soak
mkdir -p "$OUT"
rm -f "$OUT"/gunicorn.log "$OUT"/locust*

# The environment `make run` serves the demo with (Makefile RUN_ENV), on the soak's database; the
# login lockout and the API throttle are per user and address, and every simulated user shares both.
export DATABASE_URL=$PG_SERVER/$DB DEBUG=0 SECRET_KEY=soak-key-not-for-production \
  ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 \
  CSRF_COOKIE_SECURE=0 TRUST_X_FORWARDED_PROTO=0 TIDU_SIGNING_KEY_FILE=var/signing/development-ed25519.pem \
  TIDU_LOGIN_LOCKOUT=0 TIDU_RATE_USER=off LOG_LEVEL=ERROR

say() { printf '>> %s\n' "$*"; }
database() {  # run one statement on the server's maintenance database
  "$PY" -c "import psycopg, sys; psycopg.connect('$PG_SERVER/postgres', autocommit=True).execute(sys.argv[1])" "$1"
}

# Production shares one cache between its gunicorn workers (README "Production": CACHE_URL on Redis):
# so does the soak when this machine's Redis answers and its database 13 is empty; it is emptied again
# at the end. Without it each worker keeps its own cache and computes the dashboard's figures itself.
CACHE_DB=redis://127.0.0.1:6379/13
redis_db() { "$PY" -c "import redis, sys; print(getattr(redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2), sys.argv[2])())" "$CACHE_DB" "$1"; }
cache_ours=0
if [[ -z "${CACHE_URL:-}" ]] && [[ "$(redis_db dbsize 2>/dev/null)" == 0 ]]; then export CACHE_URL=$CACHE_DB; cache_ours=1; fi

gunicorn_pid=""
sweeper_pid=""
cleanup() {
  if [[ -n "$sweeper_pid" ]]; then kill "$sweeper_pid" 2>/dev/null || true; fi
  if [[ -n "$gunicorn_pid" ]]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  if [[ $cache_ours == 1 ]]; then redis_db flushdb > /dev/null || true; fi
  if [[ "${SOAK_KEEP:-0}" != 1 ]]; then database "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$PY" -c "import locust" 2>/dev/null || "$PY" -m pip install --quiet -r requirements.txt
test -f "$TIDU_SIGNING_KEY_FILE" || "$PY" manage.py signing_key_create "$TIDU_SIGNING_KEY_FILE" > /dev/null
"$PY" manage.py collectstatic --no-input -v 0

seeded=0
if [[ "${SOAK_REUSE:-0}" == 1 ]] && "$PY" -c "
import psycopg; psycopg.connect('$DATABASE_URL').execute('SELECT 1 FROM enterprises_enterprise LIMIT 1')" 2>/dev/null; then
  seeded=1
  say "reusing the seeded database $DB"
  "$PY" manage.py migrate --no-input -v 0
fi
if [[ $seeded == 0 ]]; then
  database "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  database "CREATE DATABASE $DB"
  say "migrating and seeding $DB (enterprises ${SOAK_ENTERPRISES:-100000}, steps ${SOAK_STEPS:-1000000})"
  "$PY" manage.py migrate --no-input -v 0
  timeout 1800 "$PY" bench/soak/seed.py | tee "$OUT/seed.log"
fi

say "each page alone (the app's CPU per request, before the load)"
"$PY" bench/soak/pages.py | tee "$OUT/pages.txt"

say "gunicorn with $WORKERS workers on 127.0.0.1:$PORT (cache: ${CACHE_URL:-each worker its own})"
.venv/bin/gunicorn project.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 60 \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" 2>> "$OUT/gunicorn.log" &
gunicorn_pid=$!
# Beside the server, the due sweep as `make run` runs it (production: Celery beat): reminders,
# escalations, owed side effects, and the dashboard's figures computed before they expire; niced, as
# background work yields to serving (production runs it in the worker, off the web hosts).
nice -n 10 "$PY" manage.py run_due_timers --every 50 > "$OUT/due-timers.log" 2>&1 &
sweeper_pid=$!
for _ in $(seq 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" 2>/dev/null && break
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/accounts/login/"

export SOAK_THINK=${SOAK_THINK:-3,10}
say "locust: $USERS users (spawn $SPAWN_RATE/s, ${SOAK_THINK} s between pages) for ${DURATION}s; load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
timeout $(( DURATION + 120 )) .venv/bin/locust -f bench/soak/locustfile.py --host "http://127.0.0.1:$PORT" \
  --headless -u "$USERS" -r "$SPAWN_RATE" -t "${DURATION}s" --stop-timeout 10 --reset-stats --csv "$OUT/locust" \
  --only-summary --loglevel WARNING > "$OUT/locust.log" 2>&1 || true
say "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"

kill "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true; gunicorn_pid=""
kill "$sweeper_pid" 2>/dev/null || true; sweeper_pid=""

targets=0
"$PY" bench/soak/report.py "$OUT/locust_stats.csv" | tee "$OUT/report.txt" || targets=1
say "post-run checks"
checks=0
"$PY" bench/soak/checks.py | tee -a "$OUT/report.txt" || checks=1
[[ $targets == 0 ]] && say "every target met" || say "some target NOT met (see the table)"
if [[ $checks == 1 ]] || [[ $targets == 1 && "${SOAK_STRICT:-0}" == 1 ]]; then exit 1; fi
