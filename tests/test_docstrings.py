"""Docstrings are Markdown for mkdocstrings: no Sphinx roles or reST markup anywhere in
the package, and the docstrings the reference renders use one code style.

A Sphinx role (":meth:`from_dict`") renders raw in the reference; a reST literal block
("::") shows its colons. Cross-references are written the mkdocstrings way:
[`from_dict`][purecloud_internal_message.Model.from_dict].
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
from pathlib import Path

import pytest

import purecloud_internal_message as pim
from purecloud_internal_message import cli, enums

SRC = Path(pim.__file__).resolve().parent
GENERATED = {"_codecs_py.py"}  # written by scripts/gen_codecs.py from the field tables

SPHINX_ROLE = re.compile(r":(?:py:)?(?:meth|class|func|attr|mod|data|exc|obj|ref|const|term):`")
REST_DIRECTIVE = re.compile(r"^\s*\.\. [a-z-]+::", re.MULTILINE)
REST_LITERAL_BLOCK = re.compile(r"\S::\s*$", re.MULTILINE)
DOUBLE_BACKTICKS = re.compile(r"(?<!`)``(?!`)")


def _docstrings(tree: ast.Module) -> list[tuple[int, str]]:
    """Every docstring in a module: of the module, classes and functions, and the
    attribute docstrings griffe reads (a string right after an assignment)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for index, statement in enumerate(body):
            if not (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                continue
            first = index == 0 and isinstance(
                node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
            )
            after_assignment = index > 0 and isinstance(body[index - 1], ast.Assign | ast.AnnAssign)
            if first or after_assignment:
                found.append((statement.lineno, statement.value.value))
    return found


def _source_files() -> list[Path]:
    return sorted(path for path in SRC.glob("*.py") if path.name not in GENERATED)


def _problems(text: str) -> list[str]:
    problems = [f"Sphinx role {match.group()!r}" for match in SPHINX_ROLE.finditer(text)]
    problems += [f"reST directive {m.group().strip()!r}" for m in REST_DIRECTIVE.finditer(text)]
    problems += ["reST literal block marker '::'" for _ in REST_LITERAL_BLOCK.finditer(text)]
    return problems


@pytest.mark.parametrize("path", _source_files(), ids=lambda path: path.name)
def test_no_sphinx_markup_in_docstrings(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [
        f"{path.name}:{line}: {problem}"
        for line, text in _docstrings(tree)
        for problem in _problems(text)
    ]
    assert not found, "docstrings are Markdown for mkdocstrings:\n" + "\n".join(found)


def test_the_check_sees_sphinx_markup() -> None:
    assert _problems("See :meth:`from_dict`.")
    assert _problems("See :py:class:`Model`.")
    assert _problems("Example::\n\n    x = 1\n")
    assert _problems(".. note::\n   careful\n")
    assert not _problems("See [`from_dict`][purecloud_internal_message.Model.from_dict].")
    assert not _problems("Keys: `a::b` and `{python name: JSON key}`.")
    assert DOUBLE_BACKTICKS.search("a ``b`` c")
    assert not DOUBLE_BACKTICKS.search("```python\nx = 1\n```")
    tree = ast.parse('X = 1\n"""Holds :attr:`y`."""\n')
    assert [_problems(text) for _, text in _docstrings(tree)] == [["Sphinx role ':attr:`'"]]


def _rendered_docstrings() -> list[tuple[str, str]]:
    """The docstrings the API reference shows: what the package exports, the public
    members of its classes, the enums module and the command line's entry point."""
    found: list[tuple[str, str]] = [("enums", enums.__doc__ or ""), ("cli.main", cli.main.__doc__)]
    for name in pim.__all__:
        if name.startswith("_"):
            continue
        obj = getattr(pim, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue  # constants and aliases: their docstrings are in enums.py's source
        found.append((name, obj.__doc__ or ""))
        if inspect.isclass(obj):
            for member_name, member in vars(obj).items():
                if member_name.startswith("_"):
                    continue
                target = member.__func__ if isinstance(member, classmethod) else member
                doc = getattr(target, "__doc__", None)
                if isinstance(doc, str) and doc is not type(target).__doc__:
                    found.append((f"{name}.{member_name}", doc))
    return found


def test_rendered_docstrings_use_single_backticks() -> None:
    # ``x`` renders as code in Markdown too, but one style reads better and keeps
    # reST habits (and their roles) out.
    found = [where for where, doc in _rendered_docstrings() if DOUBLE_BACKTICKS.search(doc)]
    assert not found, f"use `code`, not ``code``, in: {', '.join(found)}"


def test_every_rendered_docstring_is_there() -> None:
    rendered = dict(_rendered_docstrings())
    for name in ("InternalMessage", "Model", "Model.from_dict", "ValidationError", "FieldSpec"):
        assert rendered.get(name, "").strip(), f"{name} has no docstring"


def test_attribute_docstrings_of_the_constants() -> None:
    # griffe reads a string after an assignment as its docstring (not `#:` comments).
    tree = ast.parse((SRC / "enums.py").read_text(encoding="utf-8"))
    documented = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for before, after in itertools.pairwise(body):
            if (
                isinstance(before, ast.AnnAssign)
                and isinstance(before.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
            ):
                documented.add(before.target.id)
    assert set(enums.__all__) <= documented
