"""How a long build tells how far it is: ``progress(phase, done, total)``, called as
work is done in each phase (the command line shows it; tests and the preview pass
nothing)."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
PARSING = "Parsing"
RENDERING = "Rendering"
