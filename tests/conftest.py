"""Shared test set-up: hypothesis profiles, paths, and running on every core.

- ``python -m pytest`` (the README's command) runs the suite on every core with
  pytest-xdist: :func:`pytest_cmdline_main` turns ``-n auto --dist worksteal`` on unless
  the command line chose (``-n 0``, ``-n 2``, ``--dist ...``) or xdist is off
  (``-p no:xdist``), or a debugger is wanted (``--pdb``, ``--trace``). ``-n`` is not in
  ``addopts`` on purpose: with ``-p no:xdist`` pytest would refuse the unknown option.
  ``PYTEST_XDIST_AUTO_NUM_WORKERS=N`` sets how many workers ``auto`` means.
- Under xdist each worker gets a PostgreSQL database of its own on the server
  ``WORKFLOWKIT_TEST_POSTGRES`` names (``<db>_gw0``, ``<db>_gw1``, ...; dropped at the
  end), and the variable is pointed at it, so everything that reads it (the store's
  fixtures, the store benchmark's smoke test) stays on its worker's database. Inside it
  each test still gets a schema of its own (``tests/store/backends.py``).
- Things built once per run (the wheel of ``tests/test_wheel.py``) live in a folder all
  workers of the run share, built by whichever gets the lock first.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "WORKFLOWKIT_TEST_POSTGRES"
_PG_KEY = pytest.StashKey[tuple[str, str]]()  # (the given URL, this worker's database)

settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.hookimpl(wrapper=True)
def pytest_cmdline_main(config: pytest.Config) -> Generator[None, Any, Any]:
    """Run on every core by default (before xdist reads its options)."""
    opt = config.option
    if (
        config.pluginmanager.hasplugin("xdist")
        and not hasattr(config, "workerinput")
        and getattr(opt, "numprocesses", None) is None
        and getattr(opt, "dist", "no") == "no"
        and not getattr(opt, "tx", None)
        and not getattr(opt, "usepdb", False)
        and not getattr(opt, "trace", False)
    ):
        opt.numprocesses = "auto"
        opt.dist = "worksteal"
    return (yield)


def worker_id(config: pytest.Config) -> str | None:
    """``gw0``, ``gw1``, ... in an xdist worker; None in a run without xdist."""
    workerinput = getattr(config, "workerinput", None)
    return None if workerinput is None else str(workerinput["workerid"])


def _worker_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _drop_database(server: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def pytest_configure(config: pytest.Config) -> None:
    """Under xdist: this worker's own PostgreSQL database (see the module's docstring)."""
    worker = worker_id(config)
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if worker is None or not url or urlsplit(url).scheme not in {"postgres", "postgresql"}:
        return
    try:
        import psycopg
        from psycopg import sql
    except ImportError:
        return  # the PostgreSQL tests say how to install it
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            database = f"{conn.info.dbname}_{worker}"
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    except psycopg.Error as exc:
        # Still isolated: every test has a schema of its own on the shared database.
        warnings.warn(
            f"{POSTGRES_ENV}: no database of its own for worker {worker} ({exc}); "
            "sharing the given one",
            stacklevel=1,
        )
        return
    config.stash[_PG_KEY] = (url, database)
    os.environ[POSTGRES_ENV] = _worker_url(url, database)


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_PG_KEY, None)
    if made is None:
        return
    server, database = made
    os.environ[POSTGRES_ENV] = server
    try:
        _drop_database(server, database)
    except Exception as exc:  # the server may be gone already; the run's result stands
        warnings.warn(f"could not drop {database}: {exc}", stacklevel=1)
