"""The fault proofs' harness: the private PostgreSQL cluster and Redis that run_faults.sh
started (never the machine's own on 5432 / 6379), child processes (a real Celery worker,
gunicorn, the sweeper) against the test database, and the stated outcomes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
WEB_PORT = int(os.environ.get("FAULT_WEB_PORT", "58080"))


def outcome(text: str) -> None:
    """A stated outcome: printed, and kept for the runner's summary."""
    print(f"\nOUTCOME {text}", flush=True)
    report = os.environ.get("FAULT_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as out:
            out.write(text + "\n")


def wait_for(predicate, timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)  # polling child processes and servers: no way around waiting
    return False


# ------------------------------------------------------------------ the private servers


def _as_postgres(*command: str) -> None:
    prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)


def postgres_restart() -> None:
    """Crash-restart the private cluster (``-m immediate``: no clean shutdown, recovery on start)."""
    pgdata, port = os.environ["FAULT_PGDATA"], os.environ["FAULT_PG_PORT"]
    _as_postgres(
        f"{os.environ['FAULT_PG_BIN']}/pg_ctl", "-D", pgdata, "-m", "immediate", "-w", "-t", "60",
        "-o", f"-p {port} -k {pgdata} -c listen_addresses=127.0.0.1", "-l", f"{pgdata}/server.log", "restart",
    )


def redis_stop() -> None:
    port = os.environ["FAULT_REDIS_PORT"]
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True, timeout=30)
    assert wait_for(lambda: not redis_up(), 10), "the private Redis did not stop"


def redis_start() -> None:
    port = os.environ["FAULT_REDIS_PORT"]
    subprocess.run(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "yes", "--dir", os.environ["FAULT_TMP"], "--pidfile", f"{os.environ['FAULT_TMP']}/redis.pid"],
        check=True, capture_output=True, timeout=30,
    )
    assert wait_for(redis_up, 10), "the private Redis did not start"


def redis_up() -> bool:
    port = os.environ["FAULT_REDIS_PORT"]
    answer = subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True, text=True, timeout=10)
    return answer.stdout.strip() == "PONG"


def redis_flush() -> None:
    """The private broker starts each proof empty (it is ours alone)."""
    subprocess.run(["redis-cli", "-p", os.environ["FAULT_REDIS_PORT"], "flushall"], capture_output=True, timeout=10)


# ------------------------------------------------------------------ child processes


def child_env() -> dict[str, str]:
    """The test process's environment, pointed at the test database pytest-django made."""
    env = dict(os.environ)
    name = connection.settings_dict["NAME"]
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{os.environ['FAULT_PG_PORT']}/{name}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Child:
    """A child process in its own process group, so a SIGKILL takes its children too."""

    def __init__(self, name: str, command: list[str], *, env: dict | None = None):
        self.name, self.command = name, command
        self.env = env or child_env()
        self.log = Path(os.environ["FAULT_TMP"]) / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Child":
        out = self.log.open("ab")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def kill(self) -> None:
        """SIGKILL to the whole group: the worker and its pool processes die mid-task, acknowledging nothing."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def celery_worker() -> Child:
    return Child("worker", [str(VENV_BIN / "celery"), "-A", "project", "worker", "--pool", "prefork",
                            "--concurrency", "1", "--without-gossip", "--without-mingle", "--loglevel", "INFO"])


def sweeper() -> Child:
    """``manage.py run_due_timers --every 1``: the beat schedule's sweeps, one process."""
    return Child("sweeper", [sys.executable, "manage.py", "run_due_timers", "--every", "1"])


def web_server() -> Child:
    return Child("web", [str(VENV_BIN / "gunicorn"), "project.wsgi:application", "--bind", f"127.0.0.1:{WEB_PORT}",
                         "--workers", "2", "--threads", "4", "--timeout", "60", "--graceful-timeout", "5"])


def api_token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key
