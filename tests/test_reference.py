"""The API reference documents each model from its field table (scripts/griffe_field_table.py):
its fields with type, JSON key, enum values and description, an annotated keyword
constructor, and no private bases or internals.

These tests load the package the way mkdocstrings does (griffe, statically, with the
extension); the built site is checked in test_site.py.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType

import pytest

import purecloud_internal_message as pim

griffe = pytest.importorskip("griffe", reason="griffe comes with the docs extra")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "griffe_field_table.py"
MODELS = [pim.InternalMessage, pim.Segment, pim.Address, pim.InternalMessageDetails]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("griffe_field_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ext = _load_script()


@pytest.fixture(scope="module")
def package() -> object:
    return ext.load_reference([str(ROOT / "src")])


def _class(package: object, model: type) -> object:
    return package[model.__name__]  # type: ignore[index]


def test_extension_is_the_one_mkdocs_loads() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"- {SCRIPT.relative_to(ROOT).as_posix()}" in config


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_each_field_documented_from_the_table(package: object, model: type[pim.Model]) -> None:
    cls = _class(package, model)
    for spec in pim.fields(model):
        attr = cls.members[spec.name]
        assert str(attr.annotation) == f"{spec.swagger_type} | None"
        assert attr.value is None, "the `field(...)` declaration must not show"
        doc = attr.docstring.value
        assert doc.startswith(ext.markdown_text(spec.doc))
        assert f"JSON key: `{spec.key}`." in doc
        for value in spec.enum or ():
            assert f"`{value}`" in doc


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_class_docstring_has_the_fields_table(package: object, model: type[pim.Model]) -> None:
    doc = _class(package, model).docstring.value
    assert doc.startswith(model.__doc__.strip().split("\n")[0])  # type: ignore[union-attr]
    rows = [line for line in doc.splitlines() if line.startswith("| [`")]
    specs = pim.fields(model)
    assert len(rows) == len(specs)
    for row, spec in zip(rows, specs, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert (
            cells[0] == f"[`{spec.name}`][purecloud_internal_message.{model.__name__}.{spec.name}]"
        )
        assert cells[1] == f"`{spec.key}`"
        if spec.model is None:
            assert cells[2].startswith(f"`{spec.swagger_type}`")
        else:
            assert f"[purecloud_internal_message.{spec.model.__name__}]" in cells[2]
        for value in spec.enum or ():
            assert f"`{value}`" in cells[2]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_constructor_signature_is_the_runtime_one_annotated(
    package: object, model: type[pim.Model]
) -> None:
    parameters = list(_class(package, model).parameters)
    assert parameters[0].name == "self"
    runtime = inspect.signature(model).parameters
    assert [p.name for p in parameters[1:]] == list(runtime)
    assert [spec.name for spec in pim.fields(model)] == list(runtime)
    for parameter, spec in zip(parameters[1:], pim.fields(model), strict=True):
        assert parameter.kind.value == "keyword-only"
        assert str(parameter.annotation) == f"{spec.swagger_type} | None"
        assert parameter.default == "None"


def test_enum_values_link_their_constant(package: object) -> None:
    doc = _class(package, pim.InternalMessage).members["disconnect_type"].docstring.value
    assert "[purecloud_internal_message.enums.INTERNAL_MESSAGE_DISCONNECT_TYPES]" in doc
    state = _class(package, pim.InternalMessage).members["state"].docstring.value
    assert "[purecloud_internal_message.enums.INTERNAL_MESSAGE_STATES]" in state


def _classes(obj: object, seen: set[int] | None = None) -> list[object]:
    seen = set() if seen is None else seen
    found = []
    for member in getattr(obj, "members", {}).values():
        if member.is_alias or id(member) in seen:
            continue
        seen.add(id(member))
        if member.is_class:
            found.append(member)
        if member.is_module or member.is_class:
            found += _classes(member, seen)
    return found


def test_no_private_bases(package: object) -> None:
    classes = _classes(package)
    assert any(cls.name == "Model" for cls in classes)
    for cls in classes:
        for base in cls.bases:
            assert not str(base).rsplit(".", 1)[-1].startswith("_"), f"{cls.path}: {base}"
    assert [str(base) for base in package["Model"].bases] == []  # type: ignore[index]


def test_values_built_from_private_names_are_hidden(package: object) -> None:
    accelerated = package["ACCELERATED"]  # type: ignore[index]
    assert accelerated.value is None
    assert str(accelerated.annotation) == "bool"
    assert accelerated.docstring.value
    # Values users can read stay.
    states = package["enums"]["INTERNAL_MESSAGE_STATES"]  # type: ignore[index]
    assert "alerting" in str(states.value)


def test_documented_attributes_and_aliases(package: object) -> None:
    enums = package["enums"]  # type: ignore[index]
    for name in (
        "INTERNAL_MESSAGE_STATES",
        "INTERNAL_MESSAGE_DISCONNECT_TYPES",
        "InternalMessageState",
        "InternalMessageDisconnectType",
    ):
        assert enums[name].docstring.value, name
    assert "Literal" in str(enums["InternalMessageState"].value)
    sections = {
        name: package[name].docstring.parse("google")  # type: ignore[index]
        for name in ("ValidationError", "ErrorItem", "FieldSpec", "Model")
    }

    def attributes(name: str) -> set[str]:
        return {
            item.name
            for section in sections[name]
            if section.kind.value == "attributes"
            for item in section.value
        }

    assert {"errors", "MAX_LINES"} <= attributes("ValidationError")
    assert {"loc", "message"} <= attributes("ErrorItem")
    assert {"name", "key", "swagger_type", "doc", "enum", "kind", "model"} <= attributes(
        "FieldSpec"
    )
    assert {"swagger_types", "attribute_map"} <= attributes("Model")


def test_field_spec_attributes_documented_are_real() -> None:
    spec = pim.fields(pim.InternalMessage)[0]
    package = ext.load_reference([str(ROOT / "src")])
    for section in package["FieldSpec"].docstring.parse("google"):
        if section.kind.value == "attributes":
            for item in section.value:
                assert hasattr(spec, item.name), item.name


def test_markdown_text_shows_text_literally() -> None:
    assert ext.markdown_text("yyyy-MM-ddTHH:mm:ss[.mmm]Z") == "yyyy-MM-ddTHH:mm:ss\\[.mmm\\]Z"
    assert ext.markdown_text("a_b *c* `d` <e> & f") == "a\\_b \\*c\\* \\`d\\` &lt;e&gt; &amp; f"
    assert ext.markdown_text("a | b\n c", table_cell=True) == "a \\| b c"
