"""The files the compiled extensions are built from, and their digest.

The digest tells a stale build from a current one. ``scripts/gen_codecs.py``
writes it into ``_codecs_py.COMPILED_DIGEST`` (from the ``.pyx`` it generates
and the other files as they are); ``setup.py`` computes it again from the files
it compiles and passes it to the compiler of both extensions (the codecs and the
value-end scanner), and each refuses to load when the two differ. So a header or
the scanner edited, or a ``.pyx`` regenerated, without a rebuild leaves the
package in pure Python instead of running old code.

A leaf module (the standard library only): ``setup.py`` runs it by path, before
the package can be imported.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["COMPILED_SOURCES", "HEADERS", "SCANNER_SOURCES", "digest", "files_digest"]

#: The headers ``_codecs_c.pyx`` includes, beside it in the package directory: the
#: codecs' helpers, the Arrow column builders, the line route, and the JSON text
#: pieces the line route shares with the scanner.
HEADERS = ("_codecs_c_helpers.h", "_columns_c.h", "_lines_c.h", "_jsonbytes_c.h")

#: The value-end scanner's sources (hand-written): its Cython face and its C.
SCANNER_SOURCES = ("_scan_c.pyx", "_scan_c.h")

#: Every file the compiled extensions are built from: the generated Cython source
#: first, then the hand-written files.
COMPILED_SOURCES = ("_codecs_c.pyx", *HEADERS, *SCANNER_SOURCES)


def digest(texts: dict[str, str]) -> str:
    """The digest of ``texts`` (each file of `COMPILED_SOURCES` by name: its text)."""
    hashed = hashlib.sha256()
    for name in COMPILED_SOURCES:
        # Line ends as in the repository, whatever a checkout on Windows made of them.
        text = texts[name].replace("\r\n", "\n")
        hashed.update(f"{name}\0{text}\0".encode())
    return hashed.hexdigest()[:32]


def files_digest(directory: str | Path) -> str:
    """The digest of the `COMPILED_SOURCES` in ``directory`` as they are now."""
    folder = Path(directory)
    return digest({name: (folder / name).read_text(encoding="utf-8") for name in COMPILED_SOURCES})
