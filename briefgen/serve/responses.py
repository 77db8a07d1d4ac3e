"""What the preview answers: the site path of a request, content types, the error
page, and the scripts put into every page it serves (live reload, problems panel)."""

from __future__ import annotations

import html
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from briefgen.serve.problems import Problems

_LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
_PANEL_JS = (Path(__file__).parent / "panel.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    location: str = ""


HTML = "text/html; charset=utf-8"


def site_path(raw: str) -> str | None:
    """The site path of a request path, or None when it tries to leave the site.

    The path is decoded once: '%2e%2e' is refused like '..', and a double-encoded
    '%252e%252e' stays the literal, harmless text '%2e%2e'.
    """
    try:
        path = unquote(urlsplit(raw).path, errors="strict")
    except UnicodeDecodeError:
        return None  # '%ff', or an overlong '%c0%ae': not a path of the site
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = path.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return None
    return "/".join(parts)


def content_type(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    if path.endswith("feed.xml"):
        kind = "application/atom+xml"
    elif suffix == ".xml":
        kind = "application/xml"
    else:
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))
    return f"{kind}; charset=utf-8" if textual else kind


def inject(
    page: bytes,
    version: int,
    errors: tuple[str, ...],
    problems: Problems | None = None,
    kept: bool = True,
) -> bytes:
    """Add before ``</body>`` the panel of ``problems``, if there are any, then the
    live-reload script, which restores the scroll position once the panel has made
    room for itself (serve only; builds stay clean). ``kept``: the page is of the
    last good build, which the overlay of ``errors`` says; else it is an error page."""
    script = b""
    if problems:
        data = {"page": problems.page, "elsewhere": problems.elsewhere, "more": problems.more}
        script = _script("briefgen-problems-data", data, _PANEL_JS)
    live = {"version": version, "errors": errors, "kept": kept}
    script += _script("briefgen-live-data", live, _LIVE_JS)
    index = page.lower().rfind(b"</body>")
    if index < 0:
        return page + script
    return page[:index] + script + page[index:]


def _script(data_id: str, data: dict[str, object], code: str) -> bytes:
    """A script and the data it reads, as JSON that no text in it can end early."""
    text = json.dumps(data).replace("<", "\\u003c")
    carrier = f'<script type="application/json" id="{data_id}">{text}</script>\n'
    return (carrier + f"<script>{code}</script>\n").encode()


def error_page(errors: tuple[str, ...]) -> bytes:
    items = "\n".join(html.escape(e) for e in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build error</title></head><body><main><h1>The site has errors</h1>"
        f"<pre>{items}</pre></main></body></html>\n"
    ).encode()
