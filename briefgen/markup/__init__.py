"""Bodies: Markdown to safe HTML, with Pandoc citations turned into numbered markers.

``body`` renders one body; ``citations`` is the citation grammar, ``extension``
turns it into markers, ``ids`` owns every id a page uses, ``sanitize`` keeps only
harmless markup, and ``budget`` stops a body that takes too long.
"""
