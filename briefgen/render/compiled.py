"""Templates compiled once per user and version, not once per build.

Jinja compiles each template to Python the first time a build uses it: 0.25-0.3 s
of a rebuild for the theme's templates, and every build (and every rebuild of the
preview) makes a new environment. Jinja's own ``FileSystemBytecodeCache`` keeps the
compiled code in a folder of the user's own, which it makes private (mode 0700) in
the system's temporary folder and refuses if another user owns it or it is a link.

The code is never kept in the site's ``.briefgen-cache/``: what is read back here
runs, and a site's folder can come from elsewhere (a CI cache, a repository), so it
is trusted only as far as the user's own files are. Each entry's name holds
briefgen's fingerprint (its code and the libraries' versions, which make the
environment's options) and Jinja's version (its compiler); Jinja itself checks the
template's source against the checksum in the entry.

A build without the cache (``--no-cache``) reads and writes none of that folder; the
templates it compiles are kept in its process alone (:func:`compiled_here`), for the
next build the same process makes (a program or a test that builds site after site).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable

import jinja2
from jinja2.bccache import Bucket

from briefgen.cache.folder import settings_fingerprint


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache, where each entry holds the digest of its code: one whose code
    does not match (a disk's damage, a write cut short) is compiled again, never
    loaded (damaged code can crash the interpreter), and one that cannot be written
    is only not kept. The digest guards against damage, not against someone who can
    write the user's own folder."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                entry = file.read()
        except OSError:
            return
        digest, code = entry[:_DIGEST_SIZE], entry[_DIGEST_SIZE:]
        if hashlib.sha256(code).digest() != digest:
            return
        try:
            bucket.bytecode_from_string(code)
        except Exception:  # what Jinja's own checks let through: pickle raises many kinds
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        name = self._get_cache_filename(bucket)
        with contextlib.suppress(OSError):
            with tempfile.NamedTemporaryFile(
                "wb", dir=os.path.dirname(name), suffix=".tmp", delete=False
            ) as file:
                file.write(hashlib.sha256(code).digest() + code)
            try:
                os.replace(file.name, name)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(file.name)


_DIGEST_SIZE = 32  # bytes of a SHA-256 digest


def template_cache() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates; None when no private folder can be had."""
    made_by = f"{settings_fingerprint()}\0{jinja2.__version__}"
    name = hashlib.sha256(made_by.encode()).hexdigest()[:16]
    try:
        return _CompiledTemplates(pattern=f"__briefgen_{name}_%s.cache")
    except (RuntimeError, OSError):
        return None


class _CompiledHere(jinja2.BytecodeCache):
    """Templates compiled by this process's builds without the cache, in its memory
    only; Jinja checks each against its template's source, as it does the folder's."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self._code) >= _HELD_HERE:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()

    def __reduce__(self) -> tuple[Callable[[], jinja2.BytecodeCache], tuple[()]]:
        """A worker process keeps its own."""
        return compiled_here, ()


_HELD_HERE = 500  # templates: a theme has about thirty, a test's sites a few more each
_HERE = _CompiledHere()


def compiled_here() -> jinja2.BytecodeCache:
    """The templates compiled by this process's builds without the cache."""
    return _HERE
