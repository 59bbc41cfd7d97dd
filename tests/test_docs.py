"""The model pages in docs/ are generated from the field tables and kept in step with them."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

import purecloud_internal_message as pim

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SCRIPT = REPO / "scripts" / "gen_model_docs.py"
SEED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "seed-InternalMessage.md"
REGENERATE = "run `python scripts/gen_model_docs.py` to regenerate the model pages"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_model_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_script()

MODELS = [pim.InternalMessage, pim.Segment, pim.Address, pim.InternalMessageDetails]


def _table_rows(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("| **")]


def _row_cells(row: str) -> list[str]:
    # Split on unescaped pipes only: descriptions escape theirs as \|.
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_pages_cover_every_model() -> None:
    assert sorted(gen.PAGES) == sorted(f"{model.__name__}.md" for model in MODELS)
    assert all(gen.PAGES[f"{model.__name__}.md"] is model for model in MODELS)


@pytest.mark.parametrize("filename", sorted(gen.PAGES))
def test_committed_page_matches_model(filename: str) -> None:
    path = DOCS / filename
    assert path.is_file(), f"docs/{filename} is missing; {REGENERATE}"
    committed = path.read_text(encoding="utf-8")
    expected = gen.render_page(gen.PAGES[filename])
    assert committed == expected, (
        f"docs/{filename} does not match the field table of {gen.PAGES[filename].__name__}; "
        f"{REGENERATE}"
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_in_table_with_its_type(model: type[pim.Model]) -> None:
    page = (DOCS / f"{model.__name__}.md").read_text(encoding="utf-8")
    rows = _table_rows(page)
    specs = pim.fields(model)
    assert len(rows) == len(specs), REGENERATE
    for row, spec in zip(rows, specs, strict=True):
        name, key, type_, description, notes = _row_cells(row)
        assert name == f"**{spec.name}**"
        assert key == f"`{spec.key}`"
        if spec.model is None:
            assert type_ == spec.swagger_type
        else:
            assert type_ == f"[{spec.swagger_type}]({spec.model.__name__}.md)"
            assert (DOCS / f"{spec.model.__name__}.md").is_file(), f"{type_} links nowhere"
        assert description == gen.escape_description(spec.doc)
        assert notes == "[optional]"
    for spec in specs:
        if spec.enum:
            values = ", ".join(f"`{value}`" for value in spec.enum)
            assert f"- **{spec.name}**: {values}" in page.splitlines()


def test_enum_section_only_when_needed() -> None:
    for model in MODELS:
        page = gen.render_page(model)
        has_enums = any(spec.enum for spec in pim.fields(model))
        assert ("## Enum values" in page) == has_enums, model.__name__


def test_layout() -> None:
    page = gen.render_page(pim.InternalMessage)
    lines = page.splitlines()
    # Front matter for the site: no table of contents beside the table (room for it).
    assert lines[:5] == ["---", "hide:", "  - toc", "---", ""]
    lines = lines[5:]
    assert lines[:4] == ["# InternalMessage", "", "## InternalMessage", ""]
    assert lines[4].startswith("An internal-message communication")
    assert lines[5:9] == ["", "## Properties", "", "|Name | JSON key | Type | Description | Notes|"]
    assert page.endswith("\n\n\n\n" + gen.FOOTER + "\n")


def test_escaping() -> None:
    text = 'a\'s <b> & "c" | d\ne'
    assert gen.escape_description(text) == "a&#39;s &lt;b&gt; &amp; &quot;c&quot; \\| d e"


def test_internal_message_rows_match_sdk_seed() -> None:
    if not SEED.is_file():
        pytest.skip(f"reference page {SEED} is absent")
    seed = SEED.read_text(encoding="utf-8")
    # Intended differences: model links target X.md, not X, and a JSON key
    # column follows the name; every other cell is the SDK's.
    expected = [_row_cells(re.sub(r"\]\((\w+)\)", r"](\1.md)", row)) for row in _table_rows(seed)]
    assert expected, "no table rows found in the seed page"
    assert [len(cells) for cells in expected] == [4] * len(expected)
    # The seed is SDK 227's page; 269 (our target) adds exactly one row, after disconnect_type.
    ours = [_row_cells(row) for row in _table_rows(gen.render_page(pim.InternalMessage))]
    keys = {spec.name: spec.key for spec in pim.fields(pim.InternalMessage)}
    for cells in ours:
        assert cells[1] == f"`{keys[cells[0].strip('*')]}`"
    sdk_columns = [[cells[0], *cells[2:]] for cells in ours]
    names = [cells[0] for cells in sdk_columns]
    added = names.index("**start_alerting_time**")
    assert added == names.index("**disconnect_type**") + 1
    assert sdk_columns[:added] + sdk_columns[added + 1 :] == expected


def test_seed_comparison_sees_a_changed_sdk_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    # Dropping the JSON key column must not blind the comparison to the others.
    if not SEED.is_file():
        pytest.skip(f"reference page {SEED} is absent")
    real = gen.escape_description
    monkeypatch.setattr(gen, "escape_description", lambda text: real(text) + " (changed)")
    with pytest.raises(AssertionError):
        test_internal_message_rows_match_sdk_seed()


def _json_blocks(page: str) -> list[str]:
    return re.findall(r"^```json\n(.*?)^```", page, re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_example_payload_round_trips(model: type[pim.Model]) -> None:
    # The committed page's example, read as a user would copy it.
    page = (DOCS / f"{model.__name__}.md").read_text(encoding="utf-8")
    blocks = _json_blocks(page)
    assert len(blocks) == 1, "one example payload per model page"
    payload = json.loads(blocks[0])
    assert payload, "the example is empty"
    decoded = model.from_dict(payload, strict=True)
    assert decoded.to_api_dict() == payload
    assert list(decoded.to_api_dict()) == list(payload)  # in the API's field order
    assert json.loads(decoded.to_api_json()) == payload
    assert not decoded.additional_properties  # only fields the model knows
    # In API form: JSON keys, never Python names that differ from them.
    python_only = {s.name for s in pim.fields(model)} - {s.key for s in pim.fields(model)}
    assert not python_only & set(payload)


def test_examples_come_from_the_example_conversation() -> None:
    conversation = json.loads(gen.EXAMPLES_FILE.read_text(encoding="utf-8"))
    for model in MODELS:
        value = conversation
        for step in gen.EXAMPLES[model.__name__]:
            value = value[step]
        assert gen.example_payload(model) == value


def test_example_must_be_there(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    examples = tmp_path / "conversation.json"
    examples.write_text(json.dumps({"a": ["not an object"]}))
    monkeypatch.setattr(gen, "EXAMPLES_FILE", examples)
    monkeypatch.setitem(gen.EXAMPLES, "Segment", ("missing", 0))
    with pytest.raises(ValueError, match="nothing at"):
        gen.render_page(pim.Segment)
    monkeypatch.setitem(gen.EXAMPLES, "Segment", ("a", 0))
    with pytest.raises(ValueError, match="not a JSON object"):
        gen.render_page(pim.Segment)
    monkeypatch.delitem(gen.EXAMPLES, "Segment")
    with pytest.raises(ValueError, match="no example payload for Segment"):
        gen.render_page(pim.Segment)


def _copy_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for filename in gen.PAGES:
        shutil.copy(DOCS / filename, docs / filename)
    return docs


def test_check_passes_on_committed_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _copy_docs(tmp_path)
    assert gen.main(["--check", "--docs-dir", str(docs)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_fails_on_modified_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = _copy_docs(tmp_path)
    page = docs / "Segment.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("ended the segment.", "ended it."), encoding="utf-8")
    before = {path.name: path.read_text(encoding="utf-8") for path in docs.iterdir()}

    assert gen.main(["--check", "--docs-dir", str(docs)]) == 1
    out = capsys.readouterr().out
    assert "Segment.md" in out
    assert "InternalMessage.md" not in out
    assert "+| **how_ended** |" in out  # the short diff
    assert "gen_model_docs.py" in out
    # --check writes nothing.
    assert {path.name: path.read_text(encoding="utf-8") for path in docs.iterdir()} == before


def test_write_mode_rewrites_only_changed_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _copy_docs(tmp_path)
    (docs / "Address.md").write_text("stale\n", encoding="utf-8")
    (docs / "Segment.md").unlink()

    assert gen.main(["--docs-dir", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "Address.md" in out and "Segment.md" in out
    assert "InternalMessage.md" not in out
    for filename, model in gen.PAGES.items():
        assert (docs / filename).read_text(encoding="utf-8") == gen.render_page(model)

    assert gen.main(["--docs-dir", str(docs)]) == 0
    assert "wrote" not in capsys.readouterr().out
    assert gen.main(["--check", "--docs-dir", str(docs)]) == 0
