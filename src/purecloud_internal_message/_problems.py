"""Problems found in inputs, as data: the rows of an errors file, and their counts.

A conversion (to Parquet, a partition of a Dask job, a batch on Spark) and the
command line report every problem they find as a
[`Problem`][purecloud_internal_message.arrow.Problem] and count what they read
in [`Counts`][purecloud_internal_message.arrow.Counts]; an errors file holds one
problem per line, as JSON. Pure Python: no optional dependency is imported here
(``purecloud_internal_message.arrow`` re-exports both classes, where they are
documented).
"""

from __future__ import annotations

from ._jsontext import JSON
from ._values import text_ok

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, BinaryIO

__all__ = [
    "INVALID",
    "NOT_JSON",
    "UNREADABLE",
    "Counts",
    "OpenedOnFirstWrite",
    "Problem",
    "problem_json",
    "problem_writer",
]

#: A record that is not a valid payload (or does not fit the output's schema).
INVALID = "invalid"
#: A line or document that is not JSON text.
NOT_JSON = "not-json"
#: An input that cannot be opened or read.
UNREADABLE = "unreadable"


class Problem:
    """One problem found in the inputs: a row of the errors file.

    Attributes:
        file: The input's name as given (``<stdin>`` for standard input).
        line: The 1-based line of the problem: the line of the offending value
            where it can be found (in a JSON document, a bad field's own line),
            else the line the record starts on; None for an input that could
            not be read.
        kind: ``"invalid"`` (a bad record), ``"not-json"`` (a line or document
            that is not JSON) or ``"unreadable"`` (an input that could not be read).
        path: Where in the line's value the problem is
            (``participants[0].internalMessages[1].messages[2].messageTime``);
            ``""`` for the value as a whole.
        message: What was expected and what was found, in the package's words.
    """

    __slots__ = ("file", "kind", "line", "message", "path")

    def __init__(self, file: str, line: int | None, kind: str, path: str, message: str) -> None:
        # Every text in a row can be written as UTF-8 (a file name from the
        # file system may hold undecodable bytes as lone surrogates).
        self.file = _writable(file)
        self.line = line
        self.kind = kind
        self.path = _writable(path)
        self.message = _writable(message)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Problem:
        """The problem of a row as [`as_dict`][purecloud_internal_message.arrow.Problem.as_dict]
        gives it (a row of an errors file, parsed)."""
        return cls(row["file"], row["line"], row["kind"], row["path"], row["message"])

    def as_dict(self) -> dict[str, Any]:
        """The row as the errors file holds it (``file``, ``line``, ``kind``, ``path``,
        ``message``).
        """
        return {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        """The problem as ``validate`` prints it: ``FILE:LINE: PATH: message``."""
        if self.kind == UNREADABLE:
            return f"{self.file}: {self.message}"
        if self.kind == NOT_JSON:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}:{self.line}: {self.path or '(root)'}: {self.message}"

    def __repr__(self) -> str:
        return (
            f"Problem(file={self.file!r}, line={self.line!r}, kind={self.kind!r}, "
            f"path={self.path!r}, message={self.message!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]


def _writable(text: str) -> str:
    if text_ok(text):
        return text
    # A lone surrogate becomes its \\udXXX escape, which inside a JSON string
    # is the JSON escape for that code unit.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Counts:
    """What a conversion read and wrote.

    Attributes:
        records: Internal messages found in the inputs (valid or not).
        written: Records written to the output.
        invalid: Records left out because they are invalid (or do not fit the
            output's schema).
        not_json: Lines or documents that are not JSON text.
        not_json_documents: Of those, documents (inputs read as one JSON
            document, of which nothing after the problem could be read).
        unreadable: Inputs that could not be read.
        problems: Rows written to the errors file (a record may have several).
    """

    __slots__ = (
        "invalid",
        "not_json",
        "not_json_documents",
        "problems",
        "records",
        "unreadable",
        "written",
    )

    def __init__(self) -> None:
        self.records = 0
        self.written = 0
        self.invalid = 0
        self.not_json = 0
        self.not_json_documents = 0
        self.unreadable = 0
        self.problems = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return {name: getattr(self, name) for name in _COUNTS}

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value}" for name, value in self.as_dict().items())
        return f"Counts({inner})"


_COUNTS = (
    "records",
    "written",
    "invalid",
    "not_json",
    "not_json_documents",
    "unreadable",
    "problems",
)


def problem_json(problem: Problem) -> str:
    """A problem as one line of an errors file: JSON text, without the newline."""
    return JSON.dumps(problem.as_dict())


def problem_writer(
    stream: BinaryIO | OpenedOnFirstWrite | None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Callable[[Problem], None]:
    """A reporter that writes each problem to ``stream`` as a JSON line (if any)
    and passes it to ``on_problem`` (if any).
    """

    def report(problem: Problem) -> None:
        if stream is not None:
            stream.write(problem_json(problem).encode("utf-8") + b"\n")
        if on_problem is not None:
            on_problem(problem)

    return report


class OpenedOnFirstWrite:
    """A binary file opened by ``opener`` on its first write, so that a run without
    problems leaves no errors file at all.
    """

    def __init__(self, opener: Callable[[], BinaryIO]) -> None:
        self._opener = opener
        self.stream: BinaryIO | None = None

    def write(self, data: bytes) -> int:
        """Write ``data``, opening the file first if it is not open yet."""
        if self.stream is None:
            self.stream = self._opener()
        return self.stream.write(data)

    def close(self) -> None:
        """Close the file, if it was opened."""
        if self.stream is not None:
            self.stream.close()
