"""``briefgen serve``: the preview.

``preview`` holds the current snapshot of the site and rebuilds it, ``http``
answers the browser (pages on demand, the live-reload event stream), and ``watch``
turns file-system events into rebuilds.
"""
