"""``briefgen serve``: the preview.

``preview`` holds the current snapshot of the site and rebuilds it, ``responses``
turns a request path into what the preview answers, ``http`` serves it (pages on
demand, the live-reload event stream), and ``watch`` turns file-system events into
rebuilds.
"""
