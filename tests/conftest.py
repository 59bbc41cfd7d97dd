"""The codec implementations, for the tests that run both and compare them.

The compiled module is imported directly: when the package was built without
it, those tests fail with the ImportError instead of being skipped. With
``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` set (how CI runs the suite a
second time, in pure Python) only the pure-Python implementation is given.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from hypothesis import settings

from purecloud_internal_message._extensions import ENV_VAR

# No deadline: how long an example takes depends on the machine's load (CI runs the
# suite on two busy cores), and the suite asserts nothing about time.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


def _import_the_sdk_with_a_quiet_home() -> None:
    """Import the SDK (for the parity tests) with ``HOME`` pointing at an empty directory.

    Importing it starts a thread that watches the home directory recursively for
    its config file, and re-registers its watches (allocating as it goes) whenever
    anything under the home directory changes, such as pip's cache during CI.
    tracemalloc sees every thread, so the memory tests would count that as ours;
    the benchmark gives its processes an empty ``HOME`` for the same reason.
    """
    quiet = tempfile.mkdtemp(prefix="pim-tests-home-")
    atexit.register(shutil.rmtree, quiet, ignore_errors=True)
    saved = os.environ.get("HOME")
    os.environ["HOME"] = quiet
    try:
        import PureCloudPlatformClientV2  # noqa: F401
    except ImportError:  # the parity tests skip themselves without it
        pass
    finally:
        if saved is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = saved


_import_the_sdk_with_a_quiet_home()


@dataclass(frozen=True)
class Implementation:
    """One implementation of the codecs: its name and where its module lives."""

    name: str
    module_name: str

    @property
    def is_pure_python(self) -> bool:
        return self.name == "py"

    def load(self) -> ModuleType:
        return importlib.import_module(self.module_name)


PURE = Implementation("py", "purecloud_internal_message._codecs_py")
COMPILED = Implementation("c", "purecloud_internal_message._codecs_c")

#: Whether this run must have the compiled codecs.
COMPILED_EXPECTED = not os.environ.get(ENV_VAR)
IMPLEMENTATIONS = [PURE, COMPILED] if COMPILED_EXPECTED else [PURE]


@pytest.fixture(scope="session", params=IMPLEMENTATIONS, ids=lambda impl: impl.name)
def codecs(request: pytest.FixtureRequest) -> ModuleType:
    """Each implementation's module (``CODECS``: model class -> its functions)."""
    implementation: Implementation = request.param
    return implementation.load()


@pytest.fixture(scope="session")
def compiled() -> ModuleType:
    """The compiled module; an error when it was not built (and skipped in a
    pure-Python run)."""
    if not COMPILED_EXPECTED:
        pytest.skip(f"{ENV_VAR} is set: the pure-Python run")
    return COMPILED.load()


#: For a test of the compiled path alone: skipped in the pure-Python run, with the
#: reason EXPECTED_SKIPS accepts there.
compiled_only = pytest.mark.skipif(
    not COMPILED_EXPECTED, reason=f"{ENV_VAR} is set: the pure-Python run"
)


@pytest.fixture(autouse=True)
def _the_collector_is_left_as_it_was() -> Iterator[None]:
    """Every test leaves the garbage collector enabled: nothing in the package may
    switch it off behind the application's back (and a later test measuring memory
    would be misled).
    """
    assert gc.isenabled(), "an earlier test left the garbage collector disabled"
    yield
    assert gc.isenabled(), "the garbage collector was left disabled"


# CI sets PURECLOUD_TEST_REQUIRE_EVERYTHING=1 where it installs every extra (the
# primary interpreter). There a test that skips because something is missing fails
# instead: a broken install must not pass as a run with less to check. Only these
# skips are expected there.
REQUIRE_EVERYTHING = os.environ.get("PURECLOUD_TEST_REQUIRE_EVERYTHING") == "1"
EXPECTED_SKIPS = (
    f"{ENV_VAR} is set: the pure-Python run",
    "copy.replace is new in Python 3.13",
)


def _unexpected_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if not (REQUIRE_EVERYTHING and report.skipped) or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = str(longrepr[-1]) if isinstance(longrepr, tuple) else str(longrepr)
    if not any(expected in reason for expected in EXPECTED_SKIPS):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped ({reason}), but PURECLOUD_TEST_REQUIRE_EVERYTHING=1 says "
            "every extra is installed here"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Fail an unexpected skip where CI installs everything."""
    outcome = yield
    _unexpected_skip(outcome.get_result())  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """Fail a module skipped at import (``importorskip``) where CI installs everything."""
    outcome = yield
    _unexpected_skip(outcome.get_result())  # type: ignore[attr-defined]
