"""briefgen: a static site generator for curated, sourced briefings."""

__version__ = "0.1.0"
