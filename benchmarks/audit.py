"""What each end-to-end contender wrote, checked against what the generator put in the files.

``e2e.py`` runs the contenders, then ``audit`` reads each one's Parquet output (and its
errors file, if it writes one) and compares it with the ``realistic.Manifest``:

- rows: how many, and how many have no ``id`` (DuckDB's rows of NULLs);
- bad lines: of each kind, how many became rows (found by their ``id``), and how many
  the errors file names by file and line;
- timestamps: whether ``connectedTime`` and every ``messageTime`` of the good records
  hold the instants their texts name (count and sum of the instants, to the
  millisecond), or were stored as something else;
- unknown fields: whether they were kept (the package's ``additionalProperties``
  columns, at every level) or became columns (DuckDB), and which were lost;
- DuckDB only: the types its sampling gives each file's columns, file by file;
- pyarrow only: what its JSON reader does with a file that has bad lines, and with
  the millisecond schema.

``observations`` turns the facts into sentences for the report.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

#: The fields the generator adds that the models do not know, by where they go.
UNKNOWN_NAMES = {
    "record": ("queueId", "journeyContext", "wrapup", "interactionId"),
    "segments": ("purpose",),
    "toAddress": ("addressType",),
    "messages": ("messageStatus", "media"),
}
LATE_FIELD = "interactionId"  # appears from 15 November on only
UNKNOWN_COLUMN = "additionalProperties"
KIND_WORDS = {
    "not-json": "lines that are not JSON",
    "wrong-type": "lines with a value of the wrong type",
    "invalid-timestamp": "lines with an invalid timestamp",
    "trailing-comma": "lines with a trailing comma",
}


def audit(manifest: Any, contenders: Iterable[Any], out: Path) -> dict[str, Any]:
    """{contender key: facts} for every contender that ran."""
    facts: dict[str, Any] = {}
    for contender in contenders:
        folder = out / contender.key
        if contender.key == "dask":
            table = pq.read_table(folder / "records")
            errors = sorted((folder / "errors").glob("*"))  # none: no part had a problem
        else:
            table = pq.read_table(folder / "records.parquet")
            errors = [folder / "errors.jsonl"] if (folder / "errors.jsonl").exists() else []
        found = examine(table, manifest, good_lines_only=contender.good_lines_only)
        found["errors_file"] = named(errors, manifest) if errors or contender.ours else None
        if contender.key == "duckdb":
            found["types_by_file"] = duckdb_types(manifest.files, manifest.late_by_file)
        if contender.key == "pyarrow":
            found["pyarrow"] = pyarrow_failures(manifest)
        facts[contender.key] = found
    return facts


def _ids(table: pa.Table) -> list[str | None]:
    if "id" not in table.column_names:
        return [None] * table.num_rows
    column = table.column("id").combine_chunks()
    if isinstance(column.type, pa.BaseExtensionType):  # DuckDB writes UUID and JSON types
        column = column.storage
    if pa.types.is_fixed_size_binary(column.type):  # a UUID's 16 bytes
        return [
            None if value is None else str(uuid.UUID(bytes=value)) for value in column.to_pylist()
        ]
    values = column.cast(pa.string()).to_pylist()
    # DuckDB's JSON columns hold the value's text: "\"abc\"" for a string.
    return [value.strip('"') if value is not None else None for value in values]


def examine(table: pa.Table, manifest: Any, *, good_lines_only: bool) -> dict[str, Any]:
    ids = _ids(table)
    bad_ids = {str(entry[3]): entry for entry in manifest.bad}
    bad_rows: dict[str, list[str]] = {}
    for value in ids:
        entry = bad_ids.get(value) if value is not None else None
        if entry is not None:
            bad_rows.setdefault(entry[2], []).append(entry[4])
    good_mask = pa.array([value is not None and value not in bad_ids for value in ids], pa.bool_())
    good = table.filter(good_mask)
    return {
        "rows": table.num_rows,
        "good_rows": good.num_rows,
        "rows_without_id": sum(value is None for value in ids),
        "bad_rows": bad_rows,
        "types": {
            name: str(table.schema.field(name).type)[:120] if name in table.column_names else None
            for name in ("id", "connectedTime", "messages", "toAddress")
        },
        "connected": instants(good, "connectedTime", None),
        "message_times": instants(good, "messages", "messageTime"),
        "expected": {
            "connected": [manifest.connected_count, manifest.connected_sum],
            "message_times": [manifest.message_time_count, manifest.message_time_sum],
        },
        "unknown": unknown_fields(good),
        "good_lines_only": good_lines_only,
    }


def instants(table: pa.Table, column: str, field: str | None) -> dict[str, Any]:
    """Count and sum (ms since the epoch) of a timestamp column, or what it is instead."""
    if column not in table.column_names:
        return {"missing": True}
    values: Any = table.column(column).combine_chunks()
    if field is not None:
        if not pa.types.is_list(values.type) or not pa.types.is_struct(values.type.value_type):
            return {"type": str(values.type)[:80]}
        values = pc.list_flatten(values)
        names = [values.type.field(i).name for i in range(values.type.num_fields)]
        if field not in names:
            return {"missing": True}
        values = values.field(field)
    if not pa.types.is_timestamp(values.type):
        return {"type": str(values.type)}
    millis = values.cast(pa.timestamp("ms", values.type.tz), safe=False).cast(pa.int64())
    total = pc.sum(millis).as_py() or 0
    return {"count": len(millis) - millis.null_count, "sum": total, "type": str(values.type)}


def _struct_names(kind: pa.DataType) -> list[str]:
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        kind = kind.value_type
    if not pa.types.is_struct(kind):
        return []
    return [kind.field(i).name for i in range(kind.num_fields)]


def unknown_fields(table: pa.Table) -> dict[str, Any]:
    """Where the unknown fields went: as columns (by name), or as kept JSON values."""
    columns: dict[str, list[str]] = {}
    as_text = []
    for place, names in UNKNOWN_NAMES.items():
        if place != "record" and place in table.column_names:
            kind = table.schema.field(place).type
            if isinstance(kind, pa.BaseExtensionType):
                kind = kind.storage_type
            if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                as_text.append(place)  # DuckDB's JSON type: the whole value, as text
                continue
        present = (
            table.column_names
            if place == "record"
            else _struct_names(table.schema.field(place).type)
            if place in table.column_names
            else []
        )
        columns[place] = [name for name in names if name in present]
    kept = 0
    late = 0
    if LATE_FIELD in table.column_names:  # DuckDB: the unknown field became a column
        column = table.column(LATE_FIELD)
        late = len(column) - column.null_count
    if UNKNOWN_COLUMN in table.column_names:
        top = table.column(UNKNOWN_COLUMN).combine_chunks()
        kept += len(top) - top.null_count
        late = pc.sum(pc.match_substring(top, f'"{LATE_FIELD}"').cast(pa.int64())).as_py() or 0
        for place in ("toAddress", "fromAddress"):
            if UNKNOWN_COLUMN in _struct_names(table.schema.field(place).type):
                nested = table.column(place).combine_chunks().field(UNKNOWN_COLUMN)
                kept += len(nested) - nested.null_count
        for place in ("segments", "messages"):
            if UNKNOWN_COLUMN in _struct_names(table.schema.field(place).type):
                items = pc.list_flatten(table.column(place).combine_chunks()).field(UNKNOWN_COLUMN)
                kept += len(items) - items.null_count
    return {"columns": columns, "as_text": as_text, "kept_values": kept, "late_kept": late}


def named(errors: list[Path], manifest: Any) -> dict[str, Any]:
    """How many bad lines the errors file(s) name by file and line, and what else they name."""
    bad = {(os.path.basename(entry[0]), entry[1]) for entry in manifest.bad}
    seen: set[tuple[str, int]] = set()
    for path in errors:
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                seen.add((os.path.basename(str(row.get("file") or "")), row.get("line")))
    return {"named": len(bad & seen), "bad": len(bad), "other": len(seen - bad)}


def duckdb_types(files: list[str], late_by_file: dict[str, int]) -> dict[str, Any]:
    """What DuckDB infers for each file read alone: the columns whose type differs
    between files ({column: {type: [files]}}), those only some files have, and the files
    whose records have the late field but whose columns do not."""
    import duckdb

    seen: dict[str, dict[str, list[str]]] = {}
    with duckdb.connect() as db:
        for path in files:
            quoted = "'" + path.replace("'", "''") + "'"
            rows = db.sql(
                f"DESCRIBE SELECT * FROM read_json({quoted}, format = 'newline_delimited',"
                " ignore_errors = true)"
            ).fetchall()
            for name, kind, *_ in rows:
                seen.setdefault(name, {}).setdefault(str(kind), []).append(os.path.basename(path))
    with_late = {name for names in seen.get(LATE_FIELD, {}).values() for name in names}
    return {
        "files": len(files),
        "late_missing": {
            name: count for name, count in late_by_file.items() if name not in with_late
        },
        "differ": {name: kinds for name, kinds in seen.items() if len(kinds) > 1},
        "some_files_only": {
            name: sum(map(len, kinds.values()))
            for name, kinds in seen.items()
            if sum(map(len, kinds.values())) < len(files)
        },
    }


def shape(kind: str) -> str:
    """A DuckDB type in a few words."""
    if kind.startswith("STRUCT"):
        words = "structs" if kind.endswith("[]") else "a struct"
        if re.search(r"Time VARCHAR", kind):
            words += " with a timestamp as VARCHAR"
        return words
    return kind


def pyarrow_failures(manifest: Any) -> dict[str, str | None]:
    """What pyarrow's JSON reader says of a file with bad lines, and of the good lines
    with the millisecond schema."""
    import pyarrow.json as pj

    from purecloud_internal_message.arrow import arrow_schema

    def attempt(path: str, unit: str) -> str | None:
        options = pj.ParseOptions(
            explicit_schema=arrow_schema(unit=unit), unexpected_field_behavior="ignore"
        )
        try:
            pj.read_json(path, parse_options=options)
        except pa.ArrowInvalid as error:
            return str(error).splitlines()[0][:160]
        return None

    with_bad = next(entry[0] for entry in manifest.bad)
    good = manifest.good_files[manifest.files.index(with_bad)]
    return {
        "file_with_bad_lines": attempt(with_bad, "us"),
        "millisecond_schema": attempt(good, "ms"),
    }


# -- in words ------------------------------------------------------------------------


def observations(facts: dict[str, Any], manifest: dict[str, Any]) -> dict[str, list[str]]:
    """{contender key: sentences}: what each one wrote, in plain words."""
    total_bad = (
        sum(manifest["bad"].values()) if isinstance(manifest["bad"], dict) else len(manifest["bad"])
    )
    result = {}
    for key, found in facts.items():
        notes = []
        good = manifest["good"]
        rows = f"{found['rows']:,} rows"
        if found["good_lines_only"]:
            rows += f" from the {good:,} good lines it was given"
        else:
            rows += f" for {good:,} good lines and {total_bad:,} bad ones"
        if found["rows_without_id"]:
            rows += f", {found['rows_without_id']:,} of them rows of NULLs"
        notes.append(rows)
        for kind, details in found["bad_rows"].items():
            count = manifest["bad"][kind] if isinstance(manifest["bad"], dict) else 0
            kinds = sorted(set(details))
            notes.append(
                f"{len(details)} of the {count} {KIND_WORDS[kind]} written as if valid"
                f" ({', '.join(kinds)})"
            )
        errors = found["errors_file"]
        if errors is None:
            if not found["good_lines_only"]:
                notes.append("no report of the bad lines")
        elif errors["named"] == errors["bad"] and not errors["other"]:
            notes.append(f"its errors file names all {errors['bad']} bad lines, by file and line")
        else:
            notes.append(
                f"its errors file names {errors['named']} of the {errors['bad']} bad lines"
                + (f" and {errors['other']} other lines" if errors["other"] else "")
            )
        notes.extend(_timestamps(found))
        notes.extend(_unknown(found, manifest))
        by_file = found.get("types_by_file")
        if by_file:
            notes.extend(_types_by_file(by_file))
        failures = found.get("pyarrow")
        if failures:
            if failures["file_with_bad_lines"]:
                notes.append(
                    f'on a file with bad lines it fails the whole file ("{failures["file_with_bad_lines"]}")'
                )
            if failures["millisecond_schema"]:
                notes.append(
                    "with the millisecond schema it fails on a valid six-digit fraction"
                    f' ("{failures["millisecond_schema"]}"), so it runs with microseconds'
                )
        result[key] = notes
    return result


def _files(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{len(names)} files"


def _types_by_file(by_file: dict[str, Any]) -> list[str]:
    changes = []
    for column, kinds in by_file["differ"].items():
        shapes: dict[str, list[str]] = {}
        for kind, names in kinds.items():
            shapes.setdefault(shape(kind), []).extend(names)
        if len(shapes) == 1:
            described = f"{len(kinds)} different {next(iter(shapes))}"
        else:
            described = ", ".join(f"{words} in {_files(names)}" for words, names in shapes.items())
        changes.append(f"`{column}` {described}")
    notes = []
    if changes:
        notes.append(
            f"each of the {by_file['files']} files read alone gets other column types: "
            + "; ".join(changes)
        )
    for column, count in by_file["some_files_only"].items():
        if column != LATE_FIELD:
            notes.append(f"`{column}` is a column of {count} of the {by_file['files']} files only")
    for name, count in by_file.get("late_missing", {}).items():
        notes.append(
            f"read alone, {name} loses `{LATE_FIELD}`, which {count:,} of its records have:"
            " it first appears there after the sample"
        )
    return notes


def _type_words(kind: str) -> str:
    """An Arrow type in a few words."""
    if "arrow.json" in kind:
        return "JSON text"
    if kind in ("string", "large_string"):
        return "text"
    return kind


def _timestamps(found: dict[str, Any]) -> list[str]:
    right, notes = [], []
    for name, label in (("connected", "`connectedTime`"), ("message_times", "`messageTime`")):
        got, (count, total) = found[name], found["expected"][name]
        if got.get("missing"):
            notes.append(f"no {label} column")
        elif "count" not in got:
            notes.append(f"{label} stored as {_type_words(got['type'])}, not as timestamps")
        elif got["count"] == count and got["sum"] == total:
            right.append(label)
        else:
            notes.append(
                f"{label}: {got['count']:,} values of {count:,},"
                f" instants {'equal' if got['sum'] == total else 'different'}"
            )
    if right:
        notes.insert(
            0, f"every {' and '.join(right)} of the good records holds the instant its text names"
        )
    return notes


def _unknown(found: dict[str, Any], manifest: dict[str, Any]) -> list[str]:
    unknown = found["unknown"]
    expected = sum(manifest["unknown_at"].values())
    if unknown["kept_values"]:
        text = f"kept {unknown['kept_values']:,} of the {expected:,} unknown-field values as JSON"
        if manifest["late_field"]:
            text += (
                f" (`{LATE_FIELD}`, added in November, in {unknown['late_kept']:,} of"
                f" {manifest['late_field']:,} records)"
            )
        return [text]
    as_columns = [name for names in unknown["columns"].values() for name in names]
    as_text = unknown.get("as_text", [])
    if not as_columns and not as_text:
        return ["drops every unknown field"]
    lost = [
        name
        for place, names in UNKNOWN_NAMES.items()
        for name in names
        if name not in as_columns and place not in as_text
    ]
    text = f"unknown fields become columns ({', '.join(as_columns)})"
    if LATE_FIELD in as_columns and unknown["late_kept"] != manifest["late_field"]:
        text += (
            f", `{LATE_FIELD}` in {unknown['late_kept']:,} of the"
            f" {manifest['late_field']:,} records that have it"
        )
    if as_text:
        text += f", or stay inside a JSON text column ({', '.join(as_text)})"
    if lost:
        text += f"; lost: {', '.join(lost)}"
        if LATE_FIELD in lost:
            text += f" (`{LATE_FIELD}` is first seen after its sample)"
    return [text]
