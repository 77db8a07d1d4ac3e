"""What a build keeps between runs, and why none of it is trusted.

``store`` is the persistent cache in ``.briefgen-cache/`` (SQLite), ``codec`` turns
parsed values into JSON and back, ``trust`` checks what is read back, and
``memory`` is the preview's in-memory cache of parsed files.
"""
