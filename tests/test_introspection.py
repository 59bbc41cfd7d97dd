"""What introspection tools see: inspect.signature, help(), jedi, rich and IPython."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jedi
import pytest
from IPython.lib.pretty import pretty
from rich.pretty import pretty_repr

from purecloud_internal_message import (
    Address,
    InternalMessage,
    InternalMessageDetails,
    Model,
    Segment,
    fields,
)
from purecloud_internal_message._fields import field
from purecloud_internal_message._model import ModelMeta

ROOT = Path(__file__).resolve().parents[1]
MODELS = [InternalMessage, Segment, Address, InternalMessageDetails]
WHEN = datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=timezone.utc)
NAMES = {"str": str, "datetime": datetime, **{model.__name__: model for model in MODELS}}


def declared_type(swagger_type: str) -> Any:
    """The runtime type a field declares, read from its SDK type string."""
    if swagger_type.startswith("list["):
        return list[NAMES[swagger_type[5:-1]]] | None  # type: ignore[misc]
    return NAMES[swagger_type] | None


def expected_signature(model: type[Model]) -> str:
    return (
        "(*, "
        + ", ".join(
            f"{spec.name}: {inspect.formatannotation(declared_type(spec.swagger_type))} = None"
            for spec in fields(model)
        )
        + ")"
    )


# -- inspect.signature and help() --


def test_a_fresh_import_shows_every_field_with_its_type() -> None:
    code = (
        "import sys, inspect, purecloud_internal_message as p\n"
        "for name in ('InternalMessage', 'Segment', 'Address', 'InternalMessageDetails'):\n"
        "    print(inspect.signature(getattr(p, name)))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.splitlines() == [expected_signature(model) for model in MODELS]
    assert output.startswith("(*, state: str | None = None, initial_state: str | None = None,")


def test_importing_the_package_loads_no_introspection_code() -> None:
    code = (
        "import sys, purecloud_internal_message\n"
        "print([m for m in ('inspect', 'purecloud_internal_message._introspect') if m in sys.modules])"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


@pytest.mark.parametrize("model", MODELS)
def test_the_signature_is_the_field_table(model: type[Model]) -> None:
    parameters = inspect.signature(model).parameters
    assert list(parameters) == [spec.name for spec in fields(model)]
    for spec, parameter in zip(fields(model), parameters.values(), strict=True):
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default is None
        assert parameter.annotation == declared_type(spec.swagger_type)
    # ... and the constructor agrees with it.
    inspect.signature(model).bind(**{spec.name: None for spec in fields(model)})
    model(**{spec.name: None for spec in fields(model)})


def test_help_shows_the_signature() -> None:
    text = pydoc.render_doc(InternalMessage, renderer=pydoc.plaintext)
    # Python 3.13 writes a long signature one parameter a line: compare without layout.
    flat = "".join("".join(line.removeprefix(" |") for line in text.splitlines()).split())
    assert "".join(f"InternalMessage{expected_signature(InternalMessage)}".split()) in flat


def test_a_subclass_shows_its_own_fields_before_its_first_use() -> None:
    class Noted(InternalMessage):
        note: str | None = field("A user's note.", default=None)

    assert "__model_codec__" not in Noted.__dict__  # nothing generated for it yet
    parameters = inspect.signature(Noted).parameters
    assert list(parameters)[-1] == "note"
    assert parameters["note"].annotation == str | None
    assert list(parameters) == [spec.name for spec in fields(Noted)]


def test_a_subclass_with_its_own_constructor_shows_that_constructor() -> None:
    class Labelled(Segment):
        __slots__ = ("label",)

        def __init__(self, label: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.label = label

    assert list(inspect.signature(Labelled).parameters) == ["label", "kwargs"]


def test_the_metaclass_itself_keeps_its_own_signature() -> None:
    assert list(inspect.signature(ModelMeta).parameters) == ["name", "bases", "namespace", "kwargs"]


# -- jedi --


@pytest.mark.parametrize(
    "call",
    [
        "InternalMessage.from_json('{}')",
        "InternalMessage.from_json(b'{}', strict=True)",
        "InternalMessage.from_dict({})",
        "replace(InternalMessage(), id='x')",
    ],
)
def test_jedi_completes_the_fields_after_decoding(call: str) -> None:
    code = f"from purecloud_internal_message import InternalMessage, replace\nm = {call}\nm."
    names = {completion.name for completion in jedi.Script(code).complete(3, 2)}
    assert {spec.name for spec in fields(InternalMessage)} <= names
    assert {"to_api_json", "additional_properties"} <= names


def test_jedi_infers_the_subclass_a_class_method_is_called_on() -> None:
    code = (
        "from purecloud_internal_message import InternalMessage\n"
        "class Tagged(InternalMessage):\n"
        "    def tag(self) -> str: ...\n"
        "m = Tagged.from_dict({})\n"
        "m."
    )
    names = {completion.name for completion in jedi.Script(code).complete(5, 2)}
    assert {"tag", "connected_time"} <= names
    nested = "from purecloud_internal_message import InternalMessage\nm = InternalMessage.from_json('{}')\nm.to_address."
    names = {completion.name for completion in jedi.Script(nested).complete(3, 13)}
    assert "address_normalized" in names


# -- rich and IPython --


def sample() -> InternalMessage:
    message = InternalMessage(
        id="c-1",
        state="connected",
        connected_time=WHEN,
        to_address=Address(name="Bob"),
        segments=[Segment(type="Interact")],
    )
    message.additional_properties = {"queueMediaSettings": {"priority": 5}}
    return message


EXPECTED_PRETTY = (
    "InternalMessage(state='connected', id='c-1', segments=[Segment(type='Interact')], "
    "connected_time=datetime.datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=datetime.timezone.utc), "
    "to_address=Address(name='Bob'), additional_properties={'queueMediaSettings': {'priority': 5}})"
)


def test_rich_shows_the_class_and_the_fields_that_are_set() -> None:
    assert pretty_repr(sample(), max_width=1000) == EXPECTED_PRETTY
    assert pretty_repr(Address(), max_width=1000) == "Address()"
    wrapped = pretty_repr(sample(), max_width=40)
    assert wrapped.splitlines()[0] == "InternalMessage("
    assert "    to_address=Address(name='Bob')," in wrapped.splitlines()


def test_ipython_shows_the_class_and_the_fields_that_are_set() -> None:
    assert pretty(sample(), max_width=1000) == EXPECTED_PRETTY
    assert pretty(Address()) == "Address()"
    wrapped = pretty(sample(), max_width=40)
    assert wrapped.splitlines()[0].startswith("InternalMessage(state='connected',")
    assert "                to_address=Address(name='Bob')," in wrapped.splitlines()


def test_repr_stays_the_sdks() -> None:
    message = sample()
    from pprint import pformat

    assert repr(message) == pformat(message.to_dict())
