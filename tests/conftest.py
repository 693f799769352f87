"""Shared fixtures. `shared_path` implements the strict-skip rule for ../shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Fixtures `site` and `manifest` of the edge-page tests (a module may define its own).
pytest_plugins = ["tests.edge_pages"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def strict_tests() -> bool:
    return os.environ.get("NEWSARCHIVE_STRICT_TESTS") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip locally, or fail under NEWSARCHIVE_STRICT_TESTS=1 (CI), when something is missing."""
    if condition:
        return
    if strict_tests():
        pytest.fail(f"prerequisite missing under NEWSARCHIVE_STRICT_TESTS=1: {reason}")
    print(f"SKIP: {reason}")
    pytest.skip(reason)


def shared_path(rel: str) -> Path:
    path = SHARED / rel
    require(path.exists(), f"{path} not found (the ../shared folder is not checked out)")
    return path


# --- end-to-end crawls of the demo site, shared by several test modules ----------------------


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One full crawl of the default demo site (about ten seconds), reused across modules."""
    from tests.e2e import crawl_demo

    return crawl_demo(tmp_path_factory.mktemp("demo-run"))


@pytest.fixture(scope="session")
def fault_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One crawl of the demo site in fault mode."""
    from tests.e2e import crawl_demo

    # Exit status 1: finished, with errors (the faults are there to cause them).
    return crawl_demo(tmp_path_factory.mktemp("fault-run"), "--demo-faults", expect=1)
