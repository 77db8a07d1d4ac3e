"""Stage 3, rendering: the linked site to pages.

``routes`` maps the site to its pages, ``theme`` makes the Jinja2 environment,
``page`` renders one page, ``keys`` says which pages a change reaches, ``job``
renders them all (in parallel where it pays), and ``linkcheck`` checks the links
and ids of what was rendered.
"""
