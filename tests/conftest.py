"""The codec implementations, for the tests that run both and compare them.

The compiled module is imported directly: when the package was built without
it, those tests fail with the ImportError instead of being skipped. With
``PURECLOUD_INTERNAL_MESSAGE_NO_EXTENSIONS`` set (how CI runs the suite a
second time, in pure Python) only the pure-Python implementation is given.
"""

from __future__ import annotations

import gc
import importlib
import os
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


@pytest.fixture(autouse=True)
def _the_collector_is_left_as_it_was() -> Iterator[None]:
    """Every test leaves the garbage collector enabled: nothing in the package may
    switch it off behind the application's back (and a later test measuring memory
    would be misled).
    """
    assert gc.isenabled(), "an earlier test left the garbage collector disabled"
    yield
    assert gc.isenabled(), "the garbage collector was left disabled"
