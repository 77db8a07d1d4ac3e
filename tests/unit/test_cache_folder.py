"""What every record of the cache folder is made with: the libraries' versions are
read from their installed metadata, without importing them."""

from __future__ import annotations

import jinja2
import markdown
import yaml

from briefgen.cache.folder import library_version, settings_fingerprint


def test_a_librarys_version_is_the_one_it_reports_itself() -> None:
    assert library_version("Jinja2") == jinja2.__version__
    assert library_version("Markdown") == markdown.__version__
    assert library_version("PyYAML") == yaml.__version__


def test_a_library_not_installed_has_no_version() -> None:
    assert library_version("briefgen-no-such-library") == ""


def test_the_fingerprint_holds_the_versions_of_the_libraries_that_parse() -> None:
    fingerprint = settings_fingerprint()
    assert markdown.__version__ in fingerprint and yaml.__version__ in fingerprint
    assert settings_fingerprint(file_urls=True) != fingerprint
