"""A Ctrl-C, as it reaches briefgen's code: told apart from any other exception, by
the command line and by the process around it (``__main__``), which catches one that
comes while briefgen itself is still loading."""

from __future__ import annotations

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def interrupted(exc: BaseException) -> bool:
    """True for a Ctrl-C, even one that came while a module was being imported: Python
    3.11 hands that on as the RuntimeError of the class it was making."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__
    return False
