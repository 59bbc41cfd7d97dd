"""How the benchmark's reports write figures, tables and the machine they came from."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import platform
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_bytes(count: float) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count:,.0f} B"


def markdown_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def machine(packages: Iterable[str]) -> str:
    """Where the figures come from: the interpreter, the CPU, and the packages' versions."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        if found:
            cpu = found.group(1).strip()
    versions = []
    for package in packages:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return (
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{cpu}, {os.cpu_count()} cores; {', '.join(versions)}"
    )


def commit() -> str | None:
    """The last commit that changed the package (``src/``), short, with ``+`` when the
    package's files have uncommitted changes: the code the figures are of."""
    root = Path(__file__).resolve().parents[1]

    def git(*arguments: str) -> str | None:
        out = subprocess.run(
            ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() if out.returncode == 0 else None

    last = git("log", "-1", "--format=%h", "--", "src")
    if not last:
        return None
    changed = git("status", "--porcelain", "--", "src")
    return last + ("+" if changed else "")
