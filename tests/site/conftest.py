"""Fixtures of the whole-site tests."""

from __future__ import annotations

from typing import Any

import pytest
from site_corpus import BORDER


@pytest.fixture(scope="module")
def border(make_module_site: Any) -> Any:
    """The shared site, built once per test module; tests only read its output."""
    site = make_module_site(BORDER)
    site.ok()
    return site
