"""Site settings from ``content/site.yaml`` and the command line."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.fields import Fields, is_web_url
from briefgen.read.yamldoc import load_yaml, read_text

SITE_FILE = "content/site.yaml"
_FIELDS = (
    "title",
    "base_url",
    "description",
    "language",
    "per_page",
    "author",
    "feed_size",
)


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Briefings"
    base_url: str = "http://localhost/"
    description: str = ""
    language: str = "en"
    per_page: int = 10
    author: str = ""
    feed_size: int = 20

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/briefs/' (always ends with '/')."""
        path = urlsplit(self.base_url).path
        return path if path.endswith("/") else path + "/"

    def absolute(self, path: str) -> str:
        """The full URL of a site path like 'regions/x/' (no leading slash)."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def load_config(root: Path, diags: Diagnostics) -> SiteConfig:
    path = root / SITE_FILE
    if not path.is_file():
        return SiteConfig()
    text = read_text(path, SITE_FILE, diags)
    if text is None:
        return SiteConfig()
    loaded = load_yaml(text, Location(SITE_FILE, 1, 1), diags)
    if loaded is None:
        return SiteConfig()
    data, positions = loaded
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        diags.error(Location(SITE_FILE, 1, 1), "site.yaml must be a mapping of settings")
        return SiteConfig()
    fields = Fields(data, positions, diags)
    fields.check_known(_FIELDS, "site.yaml")
    defaults = SiteConfig()
    base_url = fields.text("base_url", default=defaults.base_url)
    if not is_web_url(base_url):
        fields.error("base_url", f"'base_url' must be an http or https URL, not '{base_url}'")
        base_url = defaults.base_url
    title = fields.text("title", default=defaults.title)
    return SiteConfig(
        title=title,
        base_url=normalise_base_url(base_url),
        description=fields.text("description"),
        language=fields.text("language", default=defaults.language),
        per_page=fields.integer("per_page", defaults.per_page),
        author=fields.text("author", default=title),
        feed_size=fields.integer("feed_size", defaults.feed_size),
    )
