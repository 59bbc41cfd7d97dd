"""Write the models' generated codecs out ahead of time, or check they have not drifted.

    python scripts/gen_codecs.py           # rewrite _codecs_py.py and _codecs_c.pyx
    python scripts/gen_codecs.py --check   # exit 1 if the written-out code differs

Both files (in src/purecloud_internal_message/) are generated from the models'
field tables by ``purecloud_internal_message._codegen``, from one plan: the
pure-Python codecs by its ``emit_py``, the Cython ones (compiled with the C
helpers of ``_codecs_c_helpers.h`` when the package is built) by ``emit_cy``.
``_codecs_py.py`` records the digest of the Cython source and the headers it is
generated with, so this reports it out of date after a header was edited too.
Run this after changing a model or a header (CI runs it with ``--check``), then
rebuild the package (``pip install -e .``) so that the compiled module follows.
"""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "purecloud_internal_message"


def _import_package() -> None:
    """The package, imported without the written-out codecs (which may be stale or absent)."""
    sys.path.insert(0, str(ROOT / "src"))
    empty = types.ModuleType("purecloud_internal_message._codecs_py")
    empty.CODECS = {}  # type: ignore[attr-defined]
    sys.modules["purecloud_internal_message._codecs_py"] = empty
    sys.modules["purecloud_internal_message._codecs_c"] = None  # type: ignore[assignment]
    import purecloud_internal_message  # noqa: F401


def render(package_dir: Path = PACKAGE) -> dict[str, str]:
    """{file name: its generated text}, with the headers as they are in ``package_dir``."""
    _import_package()
    from purecloud_internal_message._codegen import digest, emit_cy, emit_py, plan

    models = plan.plan(plan.package_models())
    compiled = emit_cy.module_source(models)
    written = (*digest.HEADERS, *digest.SCANNER_SOURCES)  # hand-written: as they are
    sources = {name: (package_dir / name).read_text(encoding="utf-8") for name in written}
    sources["_codecs_c.pyx"] = compiled
    return {
        "_codecs_py.py": emit_py.module_source(models, digest.digest(sources)),
        "_codecs_c.pyx": compiled,
    }


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the generated modules."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on drift")
    args = parser.parse_args(argv)
    stale = []
    for name, text in render().items():
        path = PACKAGE / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run `python scripts/gen_codecs.py`",
            file=sys.stderr,
        )
        return 1
    if args.check:
        print("the generated codecs are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
