"""A fresh, migrated database for one benchmark, so a bench never touches the project's own.

SQLite: ``var/bench/<name>.sqlite3``, removed and recreated. PostgreSQL (when
``DATABASE_URL`` points to one): a database ``tidu_bench_<name>`` of its own on that server.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sqlite_path(name: str) -> Path:
    return ROOT / "var" / "bench" / f"{name}.sqlite3"


def scratch_database(name: str) -> str:
    """Point the settings at a fresh database ``name``; call before ``django.setup()``.

    Returns "SQLite" or "PostgreSQL", for the report.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _ = url.rpartition("/")
        database = f"tidu_bench_{name}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database}")
            admin.execute(f"CREATE DATABASE {database}")
        os.environ["DATABASE_URL"] = f"{base}/{database}"
        return "PostgreSQL"
    os.environ.pop("DATABASE_URL", None)
    path = sqlite_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["SQLITE_PATH"] = str(path)
    return "SQLite"


def django_on_scratch_database(name: str, *, production_like: bool = False) -> str:
    """A fresh database ``name``, Django set up on it and migrated; returns the backend's name.

    ``production_like``: DEBUG off, so no query log grows in memory and no debug pages render.
    """
    import sys

    sys.path.insert(0, str(ROOT))
    backend = scratch_database(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    if production_like:
        os.environ["DEBUG"] = "0"
        os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return backend
