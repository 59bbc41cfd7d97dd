"""MkDocs hooks (mkdocs.yml, `hooks:`): the built site works from the file system.

MkDocs renders 404.html, which has no page of its own, with the site root as `/`, so
its links and assets are root-relative (`/assets/...`): from `file://` they point at
the file system's root and the page shows unstyled, with no working link. It sits at
the root of the site, beside index.html, so the same links written relative to the
root, as index.html has them, work from the file system (and from a server that
serves it at the root).
"""

from __future__ import annotations

import re
from typing import Any

# href="/x" and src="/x", not protocol-relative "//host/x".
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
# The theme's configuration: "base": "/", "search": "/assets/...".
_CONFIG_BASE = re.compile(r'("base":\s*")/(")')
_CONFIG_PATHS = re.compile(r'("search":\s*")/(?!/)')


def relative_to_root(html: str) -> str:
    """A page at the site's root, with its root-relative URLs made relative."""
    html = _ROOT_RELATIVE.sub(r"\1", html)
    html = _CONFIG_BASE.sub(r"\1.\2", html)
    return _CONFIG_PATHS.sub(r"\1", html)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Makes 404.html's links relative (the other templates are not HTML pages)."""
    if template_name == "404.html":
        return relative_to_root(output_content)
    return output_content
