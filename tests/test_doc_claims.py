"""What the pages quote in their prose and tables is what the code prints.

The pages' Python blocks and shell sessions run elsewhere (test_doc_examples.py,
test_doc_sessions.py); these are the messages quoted in a sentence or a table: each
is looked up on its page, then produced and compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from purecloud_internal_message import InternalMessage, Segment, ValidationError
from purecloud_internal_message.documents import iter_internal_messages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _error(decode: Callable[[], object]) -> str:
    try:
        decode()
    except ValidationError as error:
        return str(error)
    raise AssertionError("no ValidationError")


def _walker_problem() -> str:
    found = [item for _, item in iter_internal_messages({"participants": [{}, {}, 7]})]
    return "\n".join(str(item) for item in found if isinstance(item, ValidationError))


def _from_arrow_problem() -> str:
    pa = pytest.importorskip("pyarrow")
    from purecloud_internal_message.arrow import from_arrow, to_arrow

    table = to_arrow(
        [InternalMessage.from_dict({"messages": [{"messageId": "m-1"}]}) for _ in range(13)]
    )
    rows = table.to_pylist()
    rows[12]["messages"][0]["additionalProperties"] = "[1]"
    with pytest.raises(ValueError) as refused:
        from_arrow(pa.Table.from_pylist(rows, schema=table.schema))
    return str(refused.value)


#: (page, the text it quotes, what prints it)
CLAIMS: list[tuple[str, str, Callable[[], str]]] = [
    ("cli.md", "participants[2]: expected a participant object, got number 7", _walker_problem),
    (
        "decoding.md",
        "... and 199,950 more problems",
        lambda: _error(
            lambda: InternalMessage.from_dict({"messages": [{"messageTime": 1}] * 200_000})
        ),
    ),
    (
        "timestamps.md",
        "expected an ISO-8601 timestamp string, got number 1714564800",
        lambda: _error(lambda: Segment.from_dict({"startTime": 1714564800})),
    ),
    (
        "arrow.md",
        "from_arrow: row 12: messages[0].additionalProperties: expected a JSON object,"
        " got array [1]",
        _from_arrow_problem,
    ),
]


@pytest.mark.parametrize(("page", "text", "produce"), CLAIMS, ids=[c[1][:40] for c in CLAIMS])
def test_quoted_message_is_what_the_code_prints(
    page: str, text: str, produce: Callable[[], str]
) -> None:
    assert text in " ".join((DOCS / page).read_text(encoding="utf-8").split()), page
    assert text in produce()


def _refused_rows() -> list[tuple[str, str]]:
    """timestamps.md's table of refused inputs: (the text, the reason shown)."""
    page = (DOCS / "timestamps.md").read_text(encoding="utf-8")
    table = page.split("## What is refused, and why", 1)[1].split("\n\n")[2]
    rows = []
    for line in table.splitlines()[2:]:
        given, reason = (cell.strip() for cell in line.strip("|").split(" | "))
        text = re.match(r"`(.*?)`", given)
        assert text is not None, line
        rows.append(("" if text[1] == '""' else text[1], reason))
    return rows


REFUSED = _refused_rows()


def test_the_table_of_refused_timestamps_is_read() -> None:
    assert len(REFUSED) > 25
    assert ("2024-13-01", "month 13 is out of range") in REFUSED
    assert ("2024-05-01T12:00:00Z ", "unexpected ' ' after the offset") in REFUSED


@pytest.mark.parametrize(("text", "reason"), REFUSED, ids=[repr(row[0]) for row in REFUSED])
def test_each_refused_timestamp_gives_the_reason_shown(text: str, reason: str) -> None:
    shown = _error(lambda: Segment.from_dict({"startTime": text}))
    assert shown == f"startTime: expected an ISO-8601 timestamp, got string {text!r} ({reason})"


def test_the_report_of_a_newer_sdk_is_the_scripts(tmp_path: Path) -> None:
    # sdk-updates.md shows the report for the test suite's fake newer SDK ("..." where
    # it leaves the long description out).
    import test_sync_sdk_models as sync_tests

    page = (DOCS / "sdk-updates.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"^```\n(The field tables differ from fakesdk.*?)^```", page, re.M | re.S)
    tree = sync_tests.copy_tree(tmp_path / "tree")
    sdk = sync_tests.write_fake_sdk(
        tmp_path / "sdk", sync_tests.changed(sync_tests.our_tables(), sync_tests.newer_sdk)
    )
    result = sync_tests.run_script(tree, sdk, "--check")
    printed = result.stdout.splitlines()
    expected = shown.splitlines()
    assert len(printed) == len(expected), result.stdout
    for line, pattern in zip(printed, expected, strict=True):
        assert re.fullmatch(re.escape(pattern).replace(r"\.\.\.", ".*?"), line), (line, pattern)
