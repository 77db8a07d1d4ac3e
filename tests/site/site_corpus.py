"""Realistic site content shared by the whole-site tests, as txtar strings.

Regions: Russia > Belgorod Oblast > Шебекино / Graivoron, and Russia > Kursk Oblast.
Three briefings: one in Shebekino (cites Gladkov twice and Meduza), one in Graivoron
(cites DW), one in Kursk (cites Meduza).
"""

from __future__ import annotations

REGISTRIES = """
-- content/site.yaml --
title: Сводки с границы
description: Sourced briefings on the border regions.
base_url: https://example.org/briefs/
language: en
per_page: 10
require_archive: false
-- content/regions.yaml --
russia:
  name: Russia
belgorod:
  name: Belgorod Oblast
  parent: russia
  url: "https://en.wikipedia.org/wiki/Belgorod_Oblast"
shebekino:
  name: Шебекино
  parent: belgorod
graivoron:
  name: Graivoron
  parent: belgorod
kursk:
  name: Kursk Oblast
  parent: russia
-- content/sources.yaml --
gladkov-telegram:
  name: Вячеслав Гладков (Telegram)
  kind: official
  url: https://t.me/vvgladkov
  country: RU
  reliability: C
meduza:
  name: Meduza
  kind: independent media
  url: https://meduza.io
  reliability: B
dw:
  name: Deutsche Welle
  kind: broadcaster
  url: https://www.dw.com
  country: DE
  reliability: A
"""

SHEBEKINO = """
-- content/briefings/2023/06/shebekino-evacuation.md --
---
title: Shebekino shelled; children evacuated
date: 2023-06-02T11:15:00+03:00
summary: Governor Gladkov announced the evacuation of children from Shebekino.
regions: [shebekino]
tags: [evacuation, drones]
citations:
  gladkov-0602:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3075
    title: Пост об обстреле Шебекино
    published: 2023-06-02
    quote: "Начинаем вывозить детей из Шебекино и Грайворонского округа."
    lang: ru
    translation: We are starting to take children out of Shebekino and Graivoron district.
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/3075
  meduza-0602:
    source: meduza
    url: https://meduza.io/news/2023/06/02/shebekino
    title: Жители Шебекино уезжают из города
    published: 2023-06-02
---

Governor Vyacheslav Gladkov said the town had been shelled overnight [@gladkov-0602].
Residents left by car and bus [@meduza-0602, para. 2]. Gladkov later repeated that
the children would be taken to Belgorod [@gladkov-0602].
"""

GRAIVORON = """
-- content/briefings/2023/05/graivoron-raid.md --
---
title: Armed group crosses the border near Graivoron
date: 2023-05-22
summary: Fighting was reported in several villages of Graivoron district.
regions: [graivoron]
tags: [raid]
citations:
  dw-0522:
    source: dw
    url: https://www.dw.com/en/russia-belgorod-raid/a-65700000
    title: Russia says it is fighting saboteurs in Belgorod region
    published: 2023-05-22
    quote: Russia has introduced a counterterrorism regime in Belgorod region.
---

An armed group crossed the border near Graivoron [@dw-0522].
"""

KURSK = """
-- content/briefings/2023/06/kursk-drones.md --
---
title: Drones hit an oil depot in Kursk Oblast
date: 2023-06-05
regions: [kursk]
tags: [drones]
citations:
  meduza-0605:
    source: meduza
    url: https://meduza.io/news/2023/06/05/kursk
    title: В Курской области беспилотник атаковал нефтебазу
    quote: "Беспилотник атаковал нефтебазу."
---

Governor Roman Starovoit reported a drone strike on an oil depot [@meduza-0605].
"""

BORDER = REGISTRIES + SHEBEKINO + GRAIVORON + KURSK
