"""scripts/sync_sdk_models.py: the field tables follow the SDK, and --check names what differs.

The "newer SDK" here is a fake: a package shaped like the SDK's models
(``swagger_types`` and ``attribute_map`` set in ``__init__``, a description in
each getter's docstring, ``allowed_values`` in each enum setter), written from
our own field tables plus the changes a test wants.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purecloud_internal_message as pim
from strategies import examples

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "sync_sdk_models.py"
PACKAGE = Path("src") / "purecloud_internal_message"
PAGES = ["InternalMessage.md", "Segment.md", "Address.md", "InternalMessageDetails.md"]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_sdk_models", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sync = _load_script()

Tables = dict[str, list["sync.SdkField"]]


def our_tables() -> Tables:
    """Our own field tables as SDK rows: the starting point of every fake SDK."""
    return {
        name: [
            sync.SdkField(spec.name, spec.key, spec.swagger_type, spec.doc, spec.enum)
            for spec in pim.fields(getattr(pim, name))
        ]
        for name in sync.MODELS
    }


def _fake_model_source(class_name: str, fields: list[sync.SdkField]) -> str:
    types = {field.name: field.swagger_type for field in fields}
    keys = {field.name: field.key for field in fields}
    lines = [
        f"class {class_name}:",
        "    def __init__(self):",
        f"        self.swagger_types = {types!r}",
        f"        self.attribute_map = {keys!r}",
        "",
    ]
    for field in fields:
        lines += [
            "    @property",
            f"    def {field.name}(self):",
            '        """',
            f"        Gets the {field.name} of this {class_name}.",
            f"        {field.doc}",
            "",
            f"        :return: The {field.name} of this {class_name}.",
            f"        :rtype: {field.swagger_type}",
            '        """',
            f"        return self._{field.name}",
            "",
            f"    @{field.name}.setter",
            f"    def {field.name}(self, value):",
        ]
        if field.enum is not None:
            lines.append(f"        allowed_values = {list(field.enum)!r}")
        lines += [f"        self._{field.name} = value", ""]
    return "\n".join(lines)


def write_fake_sdk(directory: Path, tables: Tables) -> Path:
    """A package ``fakesdk`` in ``directory`` whose ``models`` hold ``tables``."""
    models = directory / "fakesdk" / "models"
    models.mkdir(parents=True)
    (directory / "fakesdk" / "__init__.py").write_text('__version__ = "999.0.0"\n')
    (models / "__init__.py").write_text("")
    for class_name, module_name in sync.MODELS.items():
        source = _fake_model_source(class_name, tables[class_name])
        (models / f"{module_name}.py").write_text(source, encoding="utf-8")
    return directory


def copy_tree(directory: Path) -> Path:
    """The parts of the repository the script reads and writes, copied to ``directory``."""
    directory.mkdir(exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", directory)
    shutil.copytree(
        REPO / PACKAGE, directory / PACKAGE, ignore=shutil.ignore_patterns("__pycache__")
    )
    (directory / "scripts").mkdir()
    for script in ("gen_model_docs.py", "gen_codecs.py"):
        shutil.copy(REPO / "scripts" / script, directory / "scripts")
    (directory / "docs").mkdir()
    for page in PAGES:
        shutil.copy(REPO / "docs" / page, directory / "docs")
    (directory / "examples").mkdir()  # the model pages' example payloads come from here
    shutil.copy(REPO / "examples" / "conversation.json", directory / "examples")
    return directory


def run_script(
    tree: Path, sdk_dir: Path | None, *args: str, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--root", str(tree), *args]
    environment = dict(os.environ)
    if sdk_dir is not None:
        command += ["--sdk-module", "fakesdk"]
        environment["PYTHONPATH"] = str(sdk_dir)
    return subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=environment, check=False
    )


def snapshot(tree: Path) -> dict[str, bytes]:
    """The tree's sources and pages (not the caches that ruff and Python leave)."""
    return {
        str(path.relative_to(tree)): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.suffix in (".py", ".md", ".toml")
        and not any(part.startswith((".", "__pycache__")) for part in path.relative_to(tree).parts)
    }


def changed(tables: Tables, change: Callable[[Tables], None]) -> Tables:
    tables = {name: list(fields) for name, fields in tables.items()}
    change(tables)
    return tables


def _replace(tables: Tables, class_name: str, name: str, **facts: object) -> None:
    fields = tables[class_name]
    index = next(i for i, field in enumerate(fields) if field.name == name)
    fields[index] = dataclasses.replace(fields[index], **facts)


def newer_sdk(tables: Tables) -> None:
    """One more field (after ``disconnected_time``) and one more ``disconnect_type`` value."""
    fields = tables["InternalMessage"]
    at = 1 + next(i for i, field in enumerate(fields) if field.name == "disconnected_time")
    fields.insert(
        at,
        sync.SdkField(
            "wrapup_time",
            "wrapupTime",
            "datetime",
            "The timestamp when after-communication work was done. Date time is represented as"
            " an ISO-8601 string. For example: yyyy-MM-ddTHH:mm:ss[.mmm]Z",
            None,
        ),
    )
    values = (*pim.INTERNAL_MESSAGE_DISCONNECT_TYPES, "error")
    _replace(tables, "InternalMessage", "disconnect_type", enum=values)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return copy_tree(tmp_path / "repo")


def _import_report(tree: Path) -> dict[str, object]:
    """What the rewritten package, imported in a fresh interpreter, says about itself."""
    code = """
import json, typing
import purecloud_internal_message as pim
from purecloud_internal_message import enums
from purecloud_internal_message._codecs import codec
print(json.dumps({
    "file": pim.__file__,
    "swagger_types": list(pim.InternalMessage.swagger_types.items()),
    "attribute_map": pim.InternalMessage.attribute_map,
    "disconnect_types": enums.INTERNAL_MESSAGE_DISCONNECT_TYPES,
    "literal": typing.get_args(enums.InternalMessageDisconnectType),
    "decoded": pim.InternalMessage.from_dict(
        {"wrapupTime": "2024-05-01T12:00:00Z", "disconnectType": "error"}, strict=True
    ).to_api_dict(),
    # The written-out codecs were regenerated too: the new field is on the fast path.
    "fast": codec(pim.InternalMessage).fast_decode(
        {"wrapupTime": "2024-05-01T12:00:00.000Z"}, True
    ) is not None,
}))
"""
    environment = dict(os.environ, PYTHONPATH=str(tree / "src"))
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=tree,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# -- the newer SDK: a new field and a new enum value


def test_check_names_the_new_field_and_enum_value_and_writes_nothing(
    tree: Path, tmp_path: Path
) -> None:
    sdk = write_fake_sdk(tmp_path / "sdk", changed(our_tables(), newer_sdk))
    before = snapshot(tree)
    result = run_script(tree, sdk, "--check")
    assert result.returncode == 1, result.stderr
    assert "The field tables differ from fakesdk 999.0.0:" in result.stdout
    assert (
        "  InternalMessage.wrapup_time (wrapupTime): field added in the SDK (datetime):"
        " 'The timestamp when after-communication work was done." in result.stdout
    )
    assert (
        "  InternalMessage.disconnect_type (disconnectType): enum value added in the SDK: 'error'"
        in result.stdout
    )
    assert "2 difference(s)." in result.stdout
    assert snapshot(tree) == before


def test_rewrite_adds_them_keeps_ours_and_is_then_a_no_op(tree: Path, tmp_path: Path) -> None:
    sdk = write_fake_sdk(tmp_path / "sdk", changed(our_tables(), newer_sdk))
    module = tree / PACKAGE / "internal_message.py"
    # Hand-written extras around the table must survive the rewrite.
    source = module.read_text(encoding="utf-8").replace(
        '    """\n\n    state:', '    """\n\n    # Ours: a comment before the table.\n    state:'
    )
    source += '\n\ndef _ours() -> str:\n    """Ours."""\n    return "kept"\n'
    module.write_text(source, encoding="utf-8")

    result = run_script(tree, sdk)
    assert result.returncode == 0, result.stderr
    assert "rewrote src/purecloud_internal_message/internal_message.py" in result.stdout
    assert "rewrote src/purecloud_internal_message/enums.py" in result.stdout
    assert "wrote " in result.stdout and "InternalMessage.md" in result.stdout

    # The new declaration is the only change: docstrings, imports and our extras stay.
    new_lines = module.read_text(encoding="utf-8").splitlines()
    at = new_lines.index("    wrapup_time: datetime | None = field(")
    assert new_lines[at : at + 5] == [
        "    wrapup_time: datetime | None = field(",
        '        "The timestamp when after-communication work was done."',
        '        " Date time is represented as an ISO-8601 string. For example:'
        ' yyyy-MM-ddTHH:mm:ss[.mmm]Z",',
        "        default=None,",
        "    )",
    ]
    assert new_lines[:at] + new_lines[at + 5 :] == source.splitlines()
    assert new_lines[at - 1] == "    )"  # after disconnected_time's declaration
    # In enums.py only the constant and its Literal alias change.
    enums_diff = [
        line
        for line in difflib.unified_diff(
            (REPO / PACKAGE / "enums.py").read_text(encoding="utf-8").splitlines(),
            (tree / PACKAGE / "enums.py").read_text(encoding="utf-8").splitlines(),
            n=0,
            lineterm="",
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert enums_diff == [
        '-    InternalMessageDisconnectType: TypeAlias = Literal["client", "system", "peer", "transfer"]',
        "+    InternalMessageDisconnectType: TypeAlias = Literal[",
        '+        "client", "system", "peer", "transfer", "error"',
        "+    ]",
        '+    "error",',
    ]
    # The other three models did not change.
    for name in ("segment.py", "address.py", "internal_message_details.py"):
        assert (tree / PACKAGE / name).read_bytes() == (REPO / PACKAGE / name).read_bytes()

    # Formatted and clean by the repository's own ruff settings.
    for step in (["format", "--check"], ["check"]):
        lint = subprocess.run(
            [sys.executable, "-m", "ruff", *step, str(tree / "src")],
            capture_output=True,
            text=True,
            cwd=tree,
            check=False,
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr

    report = _import_report(tree)
    assert report["file"] == str(tree / PACKAGE / "__init__.py")
    names = [name for name, _ in report["swagger_types"]]  # type: ignore[attr-defined]
    assert names[names.index("disconnected_time") + 1] == "wrapup_time"
    assert ["wrapup_time", "datetime"] in report["swagger_types"]  # type: ignore[operator]
    assert report["attribute_map"]["wrapup_time"] == "wrapupTime"  # type: ignore[index]
    assert report["disconnect_types"] == ["client", "system", "peer", "transfer", "error"]
    assert report["literal"] == report["disconnect_types"]
    assert report["decoded"] == {
        "disconnectType": "error",
        "wrapupTime": "2024-05-01T12:00:00.000Z",
    }
    assert report["fast"] is True
    page = (tree / "docs" / "InternalMessage.md").read_text(encoding="utf-8")
    assert (
        "| **wrapup_time** | `wrapupTime` | datetime | The timestamp when after-communication"
        in page
    )

    after_rewrite = snapshot(tree)
    again = run_script(tree, sdk)
    assert again.returncode == 0, again.stderr
    assert "The field tables match fakesdk 999.0.0; nothing written." in again.stdout
    assert snapshot(tree) == after_rewrite
    check = run_script(tree, sdk, "--check")
    assert check.returncode == 0, check.stdout
    assert check.stdout == "The field tables match fakesdk 999.0.0.\n"


# -- every other kind of difference


def other_changes(tables: Tables) -> None:
    """A field removed, a JSON key, a description and a type changed, a new enum field,
    fields reordered, and new model and list-of-model fields.
    """
    internal = tables["InternalMessage"]
    internal[:] = [field for field in internal if field.name != "provider"]
    _replace(tables, "InternalMessage", "peer_id", key="peerID")
    _replace(tables, "InternalMessage", "id", doc='A new description with a "quote" and é')
    _replace(tables, "Segment", "how_ended", swagger_type="datetime")
    _replace(tables, "Segment", "type", enum=("Interact", "Alert"))
    segment = tables["Segment"]
    segment[0], segment[1] = segment[1], segment[0]
    tables["InternalMessageDetails"] += [
        sync.SdkField("sender", "sender", "Address", "Who sent it.", None),
        sync.SdkField("parts", "parts", "list[Segment]", "", None),
    ]


def test_every_kind_of_difference_is_named_and_rewritten(tree: Path, tmp_path: Path) -> None:
    sdk = write_fake_sdk(tmp_path / "sdk", changed(our_tables(), other_changes))
    result = run_script(tree, sdk, "--check")
    assert result.returncode == 1
    expected = [
        "InternalMessage.provider (provider): field removed: in the table, not in the SDK",
        "InternalMessage.peer_id (peerId): JSON key: the table has 'peerId', the SDK 'peerID'",
        "InternalMessage.id (id): description: the table has 'A globally unique identifier for"
        " this communication.', the SDK 'A new description with a \"quote\" and é'",
        "Segment.how_ended (howEnded): type: the table has 'str', the SDK 'datetime'",
        "Segment.type (type): enum value added in the SDK: 'Interact'",
        "Segment.type (type): enum value added in the SDK: 'Alert'",
        "Segment: field order: the SDK's is end_time, start_time, type, how_ended, disconnect_type",
        "InternalMessageDetails.sender (sender): field added in the SDK (Address): 'Who sent it.'",
        "InternalMessageDetails.parts (parts): field added in the SDK (list[Segment]): ''",
    ]
    for line in expected:
        assert f"  {line}\n" in result.stdout
    assert f"{len(expected)} difference(s)." in result.stdout

    result = run_script(tree, sdk)
    assert result.returncode == 0, result.stderr
    assert (
        "note: enums.py has the new SEGMENT_TYPES; export it from __init__.py if it should be"
        " public" in result.stdout
    )
    internal = (tree / PACKAGE / "internal_message.py").read_text(encoding="utf-8")
    assert "    provider:" not in internal
    assert 'key="peerID"' in internal
    assert "field('A new description with a \"quote\" and \\xe9', default=None)" in internal
    segment = (tree / PACKAGE / "segment.py").read_text(encoding="utf-8")
    assert "from .enums import SEGMENT_TYPES" in segment
    assert segment.index("end_time:") < segment.index("start_time:")
    assert "how_ended: datetime | None" in segment
    details = (tree / PACKAGE / "internal_message_details.py").read_text(encoding="utf-8")
    assert "from .address import Address\n" in details
    assert "from .segment import Segment\n" in details
    assert '    parts: list[Segment] | None = field("", default=None)\n' in details
    enums = (tree / PACKAGE / "enums.py").read_text(encoding="utf-8")
    assert '    SegmentType: TypeAlias = Literal["Interact", "Alert"]\n' in enums
    assert '    "SegmentType": SEGMENT_TYPES,\n' in enums
    assert (
        'SEGMENT_TYPES: tuple[SegmentType, ...] = (\n    "Interact",\n    "Alert",\n)\n'
        '"""The documented values of `Segment.type`."""\n'
    ) in enums
    assert '    """A documented value of `Segment.type`."""\n' in enums

    code = (
        "import typing, purecloud_internal_message as pim; from purecloud_internal_message import"
        " enums; assert typing.get_args(enums.SegmentType) == enums.SEGMENT_TYPES =="
        " ('Interact', 'Alert'); print(pim.InternalMessageDetails.swagger_types,"
        " pim.InternalMessage.attribute_map['peer_id'])"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tree / "src")),
        check=True,
    )
    assert imported.stdout == (
        "{'message_id': 'str', 'message_time': 'datetime', 'sender': 'Address',"
        " 'parts': 'list[Segment]'} peerID\n"
    )
    assert run_script(tree, sdk, "--check").returncode == 0


# -- what the script refuses, clearly and before writing anything


def _with_field(class_name: str, field: sync.SdkField) -> Callable[[Tables], None]:
    return lambda tables: tables[class_name].append(field)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _with_field("Segment", sync.SdkField("wrapup", "wrapup", "Wrapup", "d", None)),
            "the SDK's Segment.wrapup (wrapup) has type 'Wrapup', and the package has no Wrapup"
            " model",
        ),
        (
            _with_field("Segment", sync.SdkField("codes", "codes", "list[Wrapup]", "d", None)),
            "has type 'list[Wrapup]', and the package has no Wrapup model",
        ),
        (
            _with_field("Address", sync.SdkField("count", "count", "int", "d", None)),
            "the SDK's Address.count (count) has type 'int'; the package declares only str,"
            " datetime, a model and list[model] fields",
        ),
        (
            _with_field("Address", sync.SdkField("owner", "owner", "Address", "d", None)),
            "the SDK's models refer to each other in a cycle (Address -> Address)",
        ),
        (
            _with_field("Segment", sync.SdkField("parent", "p", "InternalMessage", "d", None)),
            "in a cycle (InternalMessage -> Segment -> InternalMessage)",
        ),
        (
            lambda tables: _replace(tables, "InternalMessage", "state", enum=("a", "b")),
            "InternalMessage.state and InternalMessage.initial_state share the enum constant"
            " INTERNAL_MESSAGE_STATES, but the SDK now allows different values",
        ),
    ],
)
def test_what_cannot_be_declared_stops_the_rewrite(
    tree: Path, tmp_path: Path, change: Callable[[Tables], None], message: str
) -> None:
    sdk = write_fake_sdk(tmp_path / "sdk", changed(our_tables(), change))
    before = snapshot(tree)
    result = run_script(tree, sdk)
    assert result.returncode == 2
    assert result.stderr.startswith("sync_sdk_models: error: ")
    assert message in result.stderr
    assert snapshot(tree) == before
    check = run_script(
        tree, sdk, "--check"
    )  # names the difference, and says the rewrite would stop
    assert check.returncode == 1
    assert f"The rewrite would stop here: {result.stderr.split(': error: ', 1)[1]}" in check.stdout


def test_a_comment_inside_the_table_is_not_lost(tree: Path, tmp_path: Path) -> None:
    module = tree / PACKAGE / "address.py"
    source = module.read_text(encoding="utf-8")
    module.write_text(
        source.replace("    name_raw:", "    # ours\n    name_raw:"), encoding="utf-8"
    )
    sdk = write_fake_sdk(tmp_path / "sdk", changed(our_tables(), newer_sdk))
    result = run_script(tree, sdk)
    assert result.returncode == 2
    assert "address.py:" in result.stderr
    assert "a comment inside the field table of Address would be lost" in result.stderr


def test_a_hand_edit_out_of_the_scripts_form_fails_the_check(tree: Path, tmp_path: Path) -> None:
    sdk = write_fake_sdk(tmp_path / "sdk", our_tables())
    module = tree / PACKAGE / "internal_message_details.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace("\n\n\nclass", "\n\nclass"), encoding="utf-8"
    )
    result = run_script(tree, sdk, "--check")
    assert result.returncode == 1
    assert (
        "src/purecloud_internal_message/internal_message_details.py: the table matches fakesdk"
        " 999.0.0, but the module is not in the script's form"
    ) in result.stdout
    assert run_script(tree, sdk).returncode == 0
    assert module.read_bytes() == (REPO / PACKAGE / module.name).read_bytes()


def test_without_the_sdk_the_script_says_what_to_install(tree: Path, tmp_path: Path) -> None:
    result = run_script(tree, tmp_path, "--check")  # no fakesdk there
    assert result.returncode == 2
    assert "cannot import fakesdk.models.internal_message" in result.stderr
    assert 'install the SDK to compare against (`pip install -e ".[test]"`' in result.stderr


# -- the repository itself, against the SDK the test extra pins


def test_the_repository_matches_the_installed_sdk() -> None:
    pytest.importorskip("PureCloudPlatformClientV2")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("The field tables match PureCloudPlatformClientV2 ")


# -- the rendering, for any description, key and enum values


names = st.from_regex(r"[a-z][a-z0-9]{0,7}(_[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
    lambda name: not __import__("keyword").iskeyword(name)
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=250)


@st.composite
def address_tables(draw: st.DrawFn) -> Tables:
    """Our tables with Address replaced by random str fields (keys, descriptions, enums)."""
    field_names = draw(st.lists(names, min_size=1, max_size=5, unique=True))
    fields = [
        sync.SdkField(
            name,
            draw(st.one_of(st.just(sync.camel_case(name)), texts.filter(bool))),
            "str",
            draw(texts),
            draw(st.none() | st.lists(texts, min_size=1, max_size=4, unique=True).map(tuple)),
        )
        for name in field_names
    ]
    tables = our_tables()
    tables["Address"] = fields
    return tables


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=address_tables())
def test_rendered_tables_read_back_as_the_sdks(tables: Tables) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = copy_tree(Path(directory))
        for path, (_, new) in sync.rendered_files(root, sync.read_tables(root), tables).items():
            path.write_text(new, encoding="utf-8")
        read = sync.read_tables(root)
        assert sync.differences(read, tables) == []
        # and the rendering from the same facts is the text now on disk: a no-op
        rendered = sync.rendered_files(root, read, tables)
        assert all(old == new for old, new in rendered.values())


@given(text=texts)
def test_description_chunks_join_back_and_fit(text: str) -> None:
    chunks = sync.description_chunks(text)
    assert "".join(chunks) == text
    for chunk in chunks:
        literal = sync.string_literal(chunk)
        assert ast.literal_eval(literal) == chunk
        assert literal.isascii()
        assert len(literal) <= sync.LITERAL_WIDTH or len(chunk.split()) <= 1
