"""The end-to-end benchmark's data and checks (benchmarks/realistic.py, benchmarks/audit.py).

Its figures are only as honest as its input: the generated export must hold the mix it
claims, the same bytes for a seed, the bad lines where its manifest says, and listing
pages with exactly the records of the JSON Lines; and the audit must notice when a
converter's output differs from what the files hold. Nothing here times anything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

import pyarrow as pa
import pyarrow.parquet as pq

from purecloud_internal_message import iter_internal_messages
from purecloud_internal_message.arrow import Problem, to_parquet

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import audit  # noqa: E402
import realistic  # noqa: E402

RECORDS = 4_000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> realistic.Manifest:
    folder = tmp_path_factory.mktemp("export")
    return realistic.write_jsonl(folder, RECORDS, seed=7, shard=1_500, good_copy=True, jobs=1)


@pytest.fixture(scope="module")
def converted(export: realistic.Manifest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export through to_parquet, as the benchmark's contenders leave it."""
    folder = tmp_path_factory.mktemp("out") / "library"
    folder.mkdir()
    to_parquet(export.files, folder / "records.parquet", errors=folder / "errors.jsonl")
    return folder


def contents(paths: list[str]) -> bytes:
    return b"".join(Path(path).read_bytes() for path in paths)


def test_same_bytes_for_a_seed_whatever_the_processes(
    export: realistic.Manifest, tmp_path: Path
) -> None:
    again = realistic.write_jsonl(tmp_path, RECORDS, seed=7, shard=1_500, jobs=2)
    assert contents(again.files) == contents(export.files)
    other = realistic.write_jsonl(tmp_path / "other", RECORDS, seed=8, shard=1_500, jobs=1)
    assert contents(other.files) != contents(export.files)


def test_the_mix(export: realistic.Manifest) -> None:
    assert len(export.files) == 3
    assert export.good + len(export.bad) == RECORDS
    assert len(export.bad) == 4  # 0.1%, at least one of each kind
    assert {entry[2] for entry in export.bad} == set(realistic.BAD_KINDS)
    assert 0.35 < export.start_alerting / export.good < 0.45
    assert 0.035 < export.unknown / export.good < 0.065
    assert set(export.unknown_at) == {"record", "segment or address", "message"}
    assert export.late_field > 0  # the field the API added in November
    assert sum(export.late_by_file.values()) == export.late_field
    assert set(export.late_by_file) == {Path(export.files[-1]).name}
    assert 0.08 < export.touched / RECORDS < 0.12
    assert 0.007 < export.odd_timestamps / export.timestamps < 0.016
    assert 2 < export.messages / export.good < 5
    lengths = []
    for path in export.files:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith('{"state"'):
                    lengths.append(line.count('"messageId"'))
    assert min(lengths) == 0 and 20 <= max(lengths) <= 50


def test_bad_lines_are_where_the_manifest_says(export: realistic.Manifest, tmp_path: Path) -> None:
    problems: list[Problem] = []
    counts = to_parquet(
        export.files, tmp_path / "x.parquet", on_problem=problems.append, form="jsonl"
    )
    assert counts.written == export.good
    found = {(Path(problem.file).name, problem.line) for problem in problems}
    assert found == {(Path(entry[0]).name, entry[1]) for entry in export.bad}


def test_good_copy_has_the_good_lines(export: realistic.Manifest) -> None:
    bad = {(Path(entry[0]).name, entry[1]) for entry in export.bad}
    for path, good in zip(export.files, export.good_files, strict=True):
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        kept = [line for n, line in enumerate(lines, 1) if (Path(path).name, n) not in bad]
        assert Path(good).read_text(encoding="utf-8").splitlines() == kept


def test_listing_pages_hold_the_records_of_the_lines(tmp_path: Path) -> None:
    compared = realistic.write_comparison(tmp_path, 600, seed=7)

    def records(documents: list[Any]) -> list[str]:
        found = []
        for document in documents:
            for _, record in iter_internal_messages(document):
                found.append(
                    record.to_api_json() if not isinstance(record, Exception) else "invalid"
                )
        return found

    def read(paths: list[str]) -> list[bytes]:
        return [Path(path).read_bytes() for path in paths]

    lines = records(Path(compared["lines"]).read_bytes().splitlines())
    assert len(lines) == compared["records"] == 600 - 2  # not-JSON and trailing comma left out
    assert "invalid" in lines  # the bad kinds a document can hold stay in
    assert records(read(compared["pages"])) == lines
    assert records(read([compared["one_page"]])) == lines
    page = json.loads(Path(compared["pages"][0]).read_text(encoding="utf-8"))
    assert len(page["entities"]) == realistic.PAGE_CONVERSATIONS
    assert any("calls" in p for p in page["entities"][0]["participants"])


class Ours:
    key = "library"
    ours = True
    good_lines_only = False


def test_the_audit_finds_nothing_wrong_with_the_package(
    export: realistic.Manifest, converted: Path
) -> None:
    facts = audit.audit(export, [Ours()], converted.parent)["library"]
    assert facts["rows"] == facts["good_rows"] == export.good
    assert facts["bad_rows"] == {}
    assert facts["errors_file"] == {"named": len(export.bad), "bad": len(export.bad), "other": 0}
    assert facts["connected"]["count"] == export.connected_count
    assert facts["connected"]["sum"] == export.connected_sum
    assert facts["message_times"]["sum"] == export.message_time_sum
    assert facts["unknown"]["kept_values"] == sum(export.unknown_at.values())
    assert facts["unknown"]["late_kept"] == export.late_field
    manifest = export.as_dict()
    manifest["bad"] = dict.fromkeys(realistic.BAD_KINDS, 1)
    (notes,) = audit.observations({"library": facts}, manifest).values()
    assert any("names all 4 bad lines" in note for note in notes)


def rewrite(folder: Path, change: Any) -> None:
    path = folder / "records.parquet"
    pq.write_table(change(pq.read_table(path)), path)


def test_the_audit_sees_a_shifted_timestamp(
    export: realistic.Manifest, converted: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    for name in ("records.parquet", "errors.jsonl"):
        (folder / name).write_bytes((converted / name).read_bytes())

    def shift(table: pa.Table) -> pa.Table:
        column = table.column("connectedTime").to_pylist()
        column[0] = column[0].replace(hour=(column[0].hour + 2) % 24) if column[0] else None
        return table.set_column(
            table.column_names.index("connectedTime"),
            "connectedTime",
            pa.array(column, table.schema.field("connectedTime").type),
        )

    rewrite(folder, shift)
    facts = audit.audit(export, [Ours()], tmp_path)["library"]
    assert facts["connected"]["sum"] != export.connected_sum
    assert facts["message_times"]["sum"] == export.message_time_sum


def test_the_audit_sees_bad_lines_written_and_unreported(
    export: realistic.Manifest, converted: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "errors.jsonl").write_text("", encoding="utf-8")
    wrong = next(entry for entry in export.bad if entry[2] == "trailing-comma")

    def add(table: pa.Table) -> pa.Table:
        row = table.slice(0, 1).to_pylist()[0]
        row["id"] = wrong[3]
        return pa.concat_tables([table, pa.Table.from_pylist([row], schema=table.schema)])

    (folder / "records.parquet").write_bytes((converted / "records.parquet").read_bytes())
    rewrite(folder, add)
    facts = audit.audit(export, [Ours()], tmp_path)["library"]
    assert facts["bad_rows"] == {"trailing-comma": [wrong[4]]}
    assert (facts["rows"], facts["good_rows"]) == (export.good + 1, export.good)
    assert facts["connected"]["sum"] == export.connected_sum  # the bad row's is not counted
    assert facts["errors_file"]["named"] == 0


def test_a_small_end_to_end_run_renders_the_pages_figures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    import e2e
    import page

    chosen = (e2e.BY_KEY["library"], e2e.BY_KEY["duckdb"])
    monkeypatch.setattr(e2e, "CONTENDERS", chosen)
    found = e2e.run(quick=True, sizes=[400])
    (size,) = found["sizes"]
    assert set(size["runs"]) == {"library", "duckdb"}
    assert all(
        run["cpu"] > 0 and run["max_rss"] > 0 for runs in size["runs"].values() for run in runs
    )
    assert set(size["audit"]) == {"library", "duckdb"}

    lines = page.blocks({"end_to_end": found})
    text = "\n".join(lines["end-to-end"])

    import bench  # the console report of a run of the end-to-end section alone

    console = "\n".join(bench.Report({"end_to_end": found}, quick=True).lines())
    assert "End to end: JSON Lines to Parquet" in console
    assert e2e.BY_KEY["library"].label in console
    for contender in chosen:
        assert contender.label in text
    assert "rows of NULLs" in text  # DuckDB's, for the line that is not JSON
    assert "names all 4 bad lines" in text.replace("Its errors file names", "names")
    assert "| canonical |" in text and "one listing page" in text

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("performance.md", "arrow.md"):
        (docs / name).write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="bench:end-to-end:start"):
        page.write(docs, {"end_to_end": found})
    for block, name in (("end-to-end", "performance.md"), ("arrow-end-to-end", "arrow.md")):
        (docs / name).write_text(
            f"before\n<!-- bench:{block}:start -->\nold\n<!-- bench:{block}:end -->\nafter\n",
            encoding="utf-8",
        )
    page.write(docs, {"end_to_end": found})
    arrow = (docs / "arrow.md").read_text(encoding="utf-8")
    assert arrow.startswith("before\n") and arrow.endswith("after\n") and "old" not in arrow
    assert e2e.BY_KEY["library"].label in arrow
