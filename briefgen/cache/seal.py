"""Seals on the bodies the store keeps, so that a body this user's builds wrote is
not sanitised again every time a page shows it.

Everything read back from ``.briefgen-cache/`` is untrusted: the folder can come from
a CI cache or a repository, or be edited by anyone who can write the site. So each
body read back is sanitised again before a page shows it (0.2–0.26 ms a body),
once in every process that renders it: a briefing's page and each feed that holds
it. A seal is an HMAC of a body and its key in the store, keyed by a secret that
lives outside the site, in a folder only the user can read (``briefgen`` in
``$XDG_CACHE_HOME``, or in ``~/.cache``). A build seals each body it parsed, and a
body whose seal holds is one this user's builds made, unchanged since, which
sanitising would give back as it is. Anyone who can change the store but not read
the user's files cannot make a seal that holds; a body without one is sanitised as
before.

Without a private folder (another user owns it, it is open to others or a link, or
the system has no user ids, as on Windows), nothing is sealed and every body is
sanitised.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import os
import secrets
import stat
from pathlib import Path

_KEY_FILE = "seal-key"
_KEY_BYTES = 32


def seal(*parts: str) -> str | None:
    """The seal of ``parts`` (a key in the store, and the body kept under it); None
    when this user has no secret to seal with."""
    secret = _secret()
    if secret is None:
        return None
    text = "\0".join(parts).encode("utf-8", "surrogateescape")
    return hmac.digest(secret, text, "sha256").hex()


def holds(found: object, *parts: str) -> bool:
    """True when ``found``, read back from the store, is the seal of ``parts``."""
    made = seal(*parts)
    return made is not None and type(found) is str and hmac.compare_digest(found, made)


def _private_folder() -> Path | None:
    """briefgen's folder among the user's caches, made if need be; None unless only
    the user can use it."""
    if not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base, "briefgen")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return None
    return folder


@functools.cache
def _secret() -> bytes | None:
    """The user's secret, made on first use; None when it cannot be had safely."""
    folder = _private_folder()
    if folder is None:
        return None
    path = folder / _KEY_FILE
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    # Written whole under a name of its own, then linked to its name, which fails if a
    # build beside this one made it first: no build ever reads half a secret.
    made = folder / f"{_KEY_FILE}.{secrets.token_hex(8)}"
    try:
        fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(_KEY_BYTES))
        os.link(made, path)
    except FileExistsError:
        pass
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            made.unlink()
    return _read_secret_or_none(path)


def _read_secret_or_none(path: Path) -> bytes | None:
    try:
        return _read_secret(path)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    """The secret in ``path``; None unless it is a file of the user's that only the user
    can read, holding a secret whole. Raises OSError when it cannot be read."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        found = os.fstat(file.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
            return None
        secret = file.read(_KEY_BYTES + 1)
    return secret if len(secret) == _KEY_BYTES else None
