"""Every Python block of the README and of docs/ runs, and shows what it prints.

pytest-examples (pydantic's) finds the blocks, runs each one and compares what each
`print` writes with the `#>` lines below it (a `\"\"\"` block for longer output);
`pytest tests/test_doc_examples.py --update-examples` rewrites those lines from a
run. ruff checks each block as well (undefined or unused names, imports), and formats
it as the project's code is formatted (`ruff format` itself skips Markdown, which would
turn `#>` into `# >`).

A block that is deliberately not run says so, and why, on the line before its fence:
`<!-- not run: pyspark needs Java -->`. Nothing else is left out.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from tools import tool_or_skip

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: The marker of a block that is not run, on the line before its fence.
NOT_RUN = re.compile(r"<!-- not run: (?P<reason>\S.*?) -->")


def not_run_reason(example: CodeExample) -> str | None:
    """The reason given on the line before the block's fence, if there is one."""
    text = example.path.read_text(encoding="utf-8")
    fence = text.rfind("\n", 0, example.start_index - 1)  # the end of the line before it
    before = text[: max(fence, 0)].rsplit("\n", 1)[-1]
    found = NOT_RUN.fullmatch(before.strip())
    return found["reason"] if found else None


def _examples() -> list[CodeExample]:
    examples = [example for page in PAGES for example in find_examples(page)]
    return sorted(examples, key=lambda example: (str(example.path), example.start_line))


def _id(example: CodeExample) -> str:
    return f"{example.path.relative_to(ROOT)}:{example.start_line}"


EXAMPLES = _examples()
#: Each block left out, with the reason its page gives (read with the blocks).
LEFT_OUT = {_id(example): not_run_reason(example) for example in EXAMPLES}
LEFT_OUT = {where: reason for where, reason in LEFT_OUT.items() if reason is not None}
RUN = [example for example in EXAMPLES if _id(example) not in LEFT_OUT]


@pytest.mark.parametrize("example", RUN, ids=_id)
def test_example_runs_and_prints_what_it_shows(
    example: CodeExample, eval_example: EvalExample, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a reader runs it: from the root of a checkout (examples/conversation.json).
    monkeypatch.chdir(ROOT)
    eval_example.set_config(line_length=100, target_version="py310", ruff_ignore=["D"])
    eval_example.lint_ruff(example)
    if eval_example.update_examples:
        eval_example.run_print_update(example)
    else:
        eval_example.run_print_check(example)


OUTPUT_LINE = re.compile(r"^( *#)> ", re.M)


def ruff_formatted(source: str) -> str:
    """`source` as `ruff format` writes it with the project's settings, `#>` lines kept."""
    ruff = tool_or_skip("ruff", "ruff is not installed (the test extra)")
    result = subprocess.run(
        [ruff, "format", "--stdin-filename", "example.py", "-"],
        input=OUTPUT_LINE.sub(r"\1 > ", source),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,  # pyproject.toml: line length, target version
    )
    return re.sub(r"^( *#) > ", r"\1> ", result.stdout, flags=re.M)


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_is_formatted(example: CodeExample) -> None:
    assert example.source == ruff_formatted(example.source), (
        f"{_id(example)} is not formatted as ruff formats it:\n{ruff_formatted(example.source)}"
    )


def test_the_pages_have_examples_and_each_one_left_out_says_why() -> None:
    assert len(RUN) >= 20
    assert {example.path.name for example in RUN} >= {"README.md", "index.md", "arrow.md"}
    # Only the Spark recipe (it needs Java and pyspark; tests/test_spark.py runs its
    # function on the batches Spark would hand it).
    assert [where.split(":")[0] for where in LEFT_OUT] == ["docs/arrow.md"], LEFT_OUT
    assert "Java" in next(iter(LEFT_OUT.values()))


def test_the_marker_is_read_from_the_line_before_the_fence(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n<!-- not run: needs Java -->\n```python\nx = 1\n```\n\n"
        "<!-- not run: a comment further up does not count -->\n\n```python\ny = 2\n```\n",
        encoding="utf-8",
    )
    first, second = find_examples(page)
    assert not_run_reason(first) == "needs Java"
    assert not_run_reason(second) is None
