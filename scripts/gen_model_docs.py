"""Generate the SDK-style model documentation pages from the models' field tables.

Each model gets a page in `docs/` laid out like the model pages of the
Genesys Cloud Python SDK (`PureCloudPlatformClientV2`): a properties table
with one row per field, in declaration order, giving the Python name, the
SDK's type, the API's description and `[optional]`. Two deliberate
differences in the table: a JSON key column after the name (the API's name for
the field, what a reader coming from API JSON looks for), and model types
linking to `Model.md` rather than `Model`, so the links work both on GitHub
and in mkdocs. Models with enum fields get an extra `Enum values` section
after the table. Every page ends with an example payload in API form, taken
from `examples/conversation.json` (`EXAMPLES`); tests/test_docs.py checks that
`from_dict` reads each page's example and `to_api_dict()` gives it back
unchanged. (The script itself does not refuse one: after a change of field
types, `sync_sdk_models.py` must still be able to rewrite the pages.)

The pages are rendered from the imported package (`fields(Model)`), never
from its source text, so they always follow the code.

Usage:

    python scripts/gen_model_docs.py            # write the pages that changed
    python scripts/gen_model_docs.py --check    # exit 1 if any page is out of date
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

try:
    import purecloud_internal_message as pim
except ModuleNotFoundError:  # run from a checkout where the package is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import purecloud_internal_message as pim

from purecloud_internal_message._fields import summary

__all__ = ["DEFAULT_DOCS_DIR", "EXAMPLES", "PAGES", "example_payload", "main", "render_page"]

REPO = Path(__file__).resolve().parents[1]

#: The repository's `docs/` folder, where the pages are written by default.
DEFAULT_DOCS_DIR = REPO / "docs"

#: The real-shaped conversation document the example payloads come from.
EXAMPLES_FILE = REPO / "examples" / "conversation.json"

# Bob's side of the example conversation: every InternalMessage field the
# API sends for a message that alerted and was then answered.
_BOBS_MESSAGE: tuple[str | int, ...] = ("participants", 1, "internalMessages", 0)

#: Where in `EXAMPLES_FILE` each model's example payload is: keys and indexes.
EXAMPLES: dict[str, tuple[str | int, ...]] = {
    "InternalMessage": _BOBS_MESSAGE,
    "Segment": (*_BOBS_MESSAGE, "segments", 1),
    "Address": (*_BOBS_MESSAGE, "toAddress"),
    "InternalMessageDetails": (*_BOBS_MESSAGE, "messages", 0),
}

#: The pages this script owns: file name (in the docs folder) -> model class.
PAGES: dict[str, type[pim.Model]] = {
    "InternalMessage.md": pim.InternalMessage,
    "Segment.md": pim.Segment,
    "Address.md": pim.Address,
    "InternalMessageDetails.md": pim.InternalMessageDetails,
}

SDK_VERSION = "269.0.0"

FOOTER = (
    "_Generated from the field table of purecloud-internal-message by "
    "scripts/gen_model_docs.py; field types and descriptions as in "
    f"PureCloudPlatformClientV2 {SDK_VERSION}._"
)

# MkDocs reads this; the site shows the page without its table of contents (three
# headings), so that the five-column table has the room to fit a 1280 px window.
FRONT_MATTER = ("---", "hide:", "  - toc", "---", "")

TABLE_HEADER = (
    "|Name | JSON key | Type | Description | Notes|",
    "|------------ | ------------- | ------------- | ------------- | -------------|",
)

# The SDK's templates escape descriptions as HTML (mustache's {{ }}): these
# characters, with & first so the others' entities are not escaped again. The
# pipe is escaped for Markdown, so that a description cannot split its row.
_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#39;"),
    ("|", "\\|"),
)

#: How many lines of unified diff `--check` prints per out-of-date page.
MAX_DIFF_LINES = 40


def escape_description(text: str) -> str:
    """A description as the SDK's page writes it, safe inside a table cell."""
    text = " ".join(text.splitlines())  # a line break would end the table row
    for char, replacement in _ESCAPES:
        text = text.replace(char, replacement)
    return text


def type_cell(spec: pim.FieldSpec) -> str:
    """The Type column: the SDK's type string, linked to the page of a nested model."""
    if spec.model is None:
        return spec.swagger_type
    return f"[{spec.swagger_type}]({spec.model.__name__}.md)"


def example_payload(model: type[pim.Model]) -> dict[str, object]:
    """The model's example payload from `EXAMPLES_FILE`.

    Raises ValueError when there is no example, or it is not a JSON object.
    """
    name = model.__name__
    where = EXAMPLES.get(name)
    if where is None:
        raise ValueError(f"no example payload for {name}: add one to EXAMPLES")
    value: object = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    for step in where:
        try:
            value = value[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            raise ValueError(
                f"{EXAMPLES_FILE.name} has nothing at {where!r} for the {name} example"
            ) from None
    if not isinstance(value, dict):
        raise ValueError(f"the {name} example at {where!r} is not a JSON object")
    return value


def example_section(model: type[pim.Model]) -> list[str]:
    """The page's Example section: the payload as API JSON."""
    name = model.__name__
    text = json.dumps(example_payload(model), indent=2, ensure_ascii=False)
    return [
        "## Example",
        "",
        "A payload in API form, from the conversation document `examples/conversation.json`:"
        f" `{name}.from_dict` reads it, and `to_api_dict()` gives it back unchanged.",
        "",
        "```json",
        text,
        "```",
        "",
        f"Its methods and types: [{name} in the API reference]"
        f"(reference.md#purecloud_internal_message.{name}).",
    ]


def render_page(model: type[pim.Model]) -> str:
    """The complete Markdown page of `model`, ending with a newline."""
    name = model.__name__
    specs = pim.fields(model)
    lines = [*FRONT_MATTER, f"# {name}", "", f"## {name}", ""]
    paragraph = summary(model)  # the same sentence the JSON Schema gives
    if paragraph:
        lines += [paragraph, ""]
    lines += ["## Properties", "", *TABLE_HEADER]
    lines += [
        f"| **{spec.name}** | `{spec.key}` | {type_cell(spec)} "
        f"| {escape_description(spec.doc)} | [optional] |"
        for spec in specs
    ]
    enums = [spec for spec in specs if spec.enum]
    if enums:
        lines += ["", "## Enum values", ""]
        lines += [
            f"- **{spec.name}**: " + ", ".join(f"`{value}`" for value in spec.enum or ())
            for spec in enums
        ]
    lines += ["", *example_section(model)]
    lines += ["", "", "", FOOTER]
    return "\n".join(lines) + "\n"


def _short_diff(old: str, new: str, filename: str) -> list[str]:
    diff = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=f"{filename} (on disk)",
            tofile=f"{filename} (generated)",
            n=1,
            lineterm="",
        )
    )
    if len(diff) > MAX_DIFF_LINES:
        hidden = len(diff) - MAX_DIFF_LINES
        diff = [*diff[:MAX_DIFF_LINES], f"... ({hidden} more diff lines)"]
    return diff


def main(argv: list[str] | None = None) -> int:
    """Write the pages that changed, or with `--check` report those out of date."""
    parser = argparse.ArgumentParser(
        description="Generate docs/<Model>.md from the models' field tables."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the pages that are out of date (with a diff) and exit 1 if any",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DEFAULT_DOCS_DIR,
        help=f"folder of the pages (default: {DEFAULT_DOCS_DIR})",
    )
    args = parser.parse_args(argv)
    docs_dir: Path = args.docs_dir

    stale: list[str] = []
    for filename, model in PAGES.items():
        path = docs_dir / filename
        expected = render_page(model)
        try:
            current: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = None
        if current == expected:
            continue
        stale.append(filename)
        if args.check:
            if current is None:
                print(f"{path}: missing")
            else:
                print(f"{path}: out of date")
                for line in _short_diff(current, expected, filename):
                    print("    " + line)
        else:
            docs_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(expected, encoding="utf-8", newline="\n")
            print(f"wrote {path}")

    if args.check:
        if stale:
            print(
                f"{len(stale)} of {len(PAGES)} model pages out of date; "
                "run `python scripts/gen_model_docs.py` to regenerate them."
            )
            return 1
        print(f"all {len(PAGES)} model pages are up to date.")
        return 0
    if not stale:
        print(f"all {len(PAGES)} model pages are up to date; nothing written.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
