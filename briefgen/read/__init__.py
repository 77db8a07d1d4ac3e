"""Stage 1, reading: the site's files to checked values.

Content files are found (``files``), split into front matter and body
(``frontmatter``, ``yamldoc``), their fields checked (``fields``) and parsed into
briefings and pages (``parse``); ``config`` and ``registry`` read ``site.yaml`` and
the region and source registries; ``load`` runs it all, in parallel and through the
caches.
"""
