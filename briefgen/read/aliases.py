"""``aliases:``: the URLs a renamed briefing, page, source or region had before.

Each alias is an old key or slug ('old-slug', the page the item had in its own
section) or a path from the site root ('/2023/06/old-slug/', for a page moved in
from elsewhere). Either becomes a folder of the output, so every part of it must
pass the one rule for names (:func:`names.key_problem`).
"""

from __future__ import annotations

from collections.abc import Callable

from briefgen.diagnostics import Location
from briefgen.names import fold, key_problem
from briefgen.read.fields import Fields

Aliases = tuple[tuple[str, ...], tuple[Location, ...]]  # site paths, and where each was written


def read_aliases(fields: Fields, section: Callable[[str], str]) -> Aliases:
    """The site paths of the ``aliases`` of one item; ``section`` gives the path an
    old key had ('old' -> 'briefings/old/'). Problems are reported to ``fields``."""
    paths: dict[str, tuple[str, Location]] = {}
    for value, where in fields.text_list("aliases"):
        path, problem = alias_path(value, section)
        if problem:
            fields.diags.error(where, f"alias '{value}' {problem}", _HINT)
        else:
            paths.setdefault(fold(path), (path, where))
    return tuple(p for p, _ in paths.values()), tuple(w for _, w in paths.values())


_HINT = "write the old slug ('old-slug') or a path from the site root ('/2023/06/old-slug/')"


def alias_path(value: str, section: Callable[[str], str]) -> tuple[str, str]:
    """The site path of one alias, and '' or why it cannot be one."""
    if not value.startswith("/"):
        problem = key_problem(value)
        return (section(value), "") if not problem else ("", problem)
    if value.startswith("//"):  # a browser reads it as the address of another host
        return "", "begins with '//', which names another host ('//example.org/')"
    parts = value.strip("/").split("/")
    if parts == [""]:
        return "", "is the home page, which is never a redirect"
    if "" in parts:
        return "", "holds '//', an empty name between two slashes"
    for part in parts:
        problem = key_problem(part)
        if problem:
            return "", f"holds '{part}', which {problem}"
    return "/".join(parts) + "/", ""
