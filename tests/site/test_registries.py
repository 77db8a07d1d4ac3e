"""Registries: absent means free-form keys; present means authoritative (SPEC section 3)."""

from __future__ import annotations

from site_corpus import REGISTRIES

FREE_FORM = """
-- content/site.yaml --
title: Free-form
require_archive: false
-- content/briefings/a.md --
---
title: Эвакуация из Шебекино
date: 2023-06-02
regions: [shebekino, belgorod]
citations:
  post:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3075
  dw:
    source: dw
    url: https://www.dw.com/a
---

Evacuation [@post; @dw].
-- content/briefings/b.md --
---
title: Курск
date: 2023-06-03
regions: [kursk]
citations:
  post:
    source: starovoit-telegram
    url: https://t.me/gubernator_46/1
---

Drones [@post].
"""


def test_without_registries_every_used_key_gets_a_page(make_site):
    site = make_site(FREE_FORM)
    site.ok("--strict")
    for key in ("shebekino", "belgorod", "kursk"):
        assert site.exists(f"/regions/{key}/"), key
        assert site.exists(f"/regions/{key}/feed.xml"), key
    for key in ("gladkov-telegram", "dw", "starovoit-telegram"):
        assert site.exists(f"/sources/{key}/"), key
        assert site.exists(f"/sources/{key}/feed.xml"), key
    titles = [a.text for a in site.html("/regions/kursk/").main.find_all("a")]
    assert "Курск" in titles
    assert "Эвакуация из Шебекино" not in titles
    regions = site.html("/regions/").main
    assert all(regions.links_to(f"regions/{k}/") for k in ("shebekino", "belgorod", "kursk"))
    sources = site.html("/sources/").main
    assert all(sources.links_to(f"sources/{k}/") for k in ("dw", "gladkov-telegram"))
    assert not site.exists("/regions/russia/")


UNKNOWN_REGION = """
-- content/briefings/2023/06/a.md --
---
title: A
date: 2023-06-02
regions:
  - shebekino
  - belgorot
---

Text.
"""

UNKNOWN_SOURCE = """
-- content/briefings/b.md --
---
title: B
date: 2023-06-02
regions: [belgorod]
citations:
  post:
    url: https://t.me/vvgladkov/3075
    source: gladkov-telegam
---

Text [@post].
"""


def test_unknown_region_names_file_line_and_nearest_key(make_site):
    site = make_site(REGISTRIES, UNKNOWN_REGION)
    code, _, err = site.build()
    assert code == 1
    [line] = [x for x in err.splitlines() if "belgorot" in x]
    assert line.startswith("content/briefings/2023/06/a.md:6:5: error: ")
    assert "did you mean 'belgorod'?" in line
    assert not site.out.exists()


def test_unknown_region_in_a_flow_list(make_site):
    site = make_site(
        REGISTRIES,
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [shebekino, belgorot]
        ---
        Text.
        """,
    )
    code, _, err = site.build()
    assert code == 1
    assert "content/briefings/a.md:4:22: error: unknown region 'belgorot'" in err
    assert "did you mean 'belgorod'?" in err


def test_unknown_source_names_file_line_and_nearest_key(make_site):
    site = make_site(REGISTRIES, UNKNOWN_SOURCE)
    code, _, err = site.build()
    assert code == 1
    [line] = [x for x in err.splitlines() if "gladkov-telegam" in x]
    assert line.startswith("content/briefings/b.md:8:13: error: ")
    assert "did you mean 'gladkov-telegram'?" in line


def test_both_unknown_keys_are_reported_in_one_run(make_site):
    site = make_site(REGISTRIES, UNKNOWN_REGION, UNKNOWN_SOURCE)
    result = site.build()
    assert result.code == 1
    assert len(result.errors) == 2, result.err
    assert result.errors[0].startswith("content/briefings/2023/06/a.md:6:5: error: ")
    assert result.errors[1].startswith("content/briefings/b.md:8:13: error: ")


def test_only_the_sources_registry_present(make_site):
    site = make_site(REGISTRIES, UNKNOWN_REGION.replace("belgorot", "новая-таволжанка"))
    site.remove("content/regions.yaml")
    site.ok()
    assert site.exists("/regions/новая-таволжанка/")
    assert site.exists("/regions/shebekino/")


def test_registry_url_schemes_are_checked(make_site):
    site = make_site(
        REGISTRIES,
        """
        -- content/sources.yaml --
        evil:
          name: Evil
          url: javascript:alert(1)
        """,
    )
    code, _, err = site.build()
    assert code == 1
    assert "content/sources.yaml:3:8: error: 'url' must be an http, https or mailto URL" in err


def test_region_and_citation_url_schemes_are_checked(make_site):
    site = make_site(
        REGISTRIES,
        """
        -- content/regions.yaml --
        belgorod:
          name: Belgorod Oblast
          url: "data:text/html,<script>alert(1)</script>"
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [belgorod]
        citations:
          k:
            source: dw
            url: https://www.dw.com/k
            archive: "javascript:alert(1)"
        ---
        Text [@k].
        """,
    )
    result = site.build()
    assert result.code == 1
    assert len(result.errors) == 2, result.err
    assert result.errors[0].startswith("content/briefings/a.md:9:14: error: 'archive' must be")
    assert result.errors[1].startswith("content/regions.yaml:3:8: error: 'url' must be")
