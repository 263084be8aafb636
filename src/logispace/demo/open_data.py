"""Demo open data (演示开放数据): rows for a few 无条件开放 demo resources, generated here.

Deterministic (a seeded :class:`random.Random` per table), nothing downloaded. Each generator
gives the CSV bytes (UTF-8) of a table of 10,000+ made-up but plausible rows whose columns match
the resource's declared fields in ``data/catalog_resources.tsv``. :mod:`logispace.demo`
uploads them as version 1 of each resource's data.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone

from logispace.core.identifiers import uscc_with_check_character

PROVINCES = ["京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫"]
CITIES = [
    "北京", "天津", "石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "上海", "南京", "杭州", "合肥",
    "福州", "南昌", "济南", "郑州", "武汉", "长沙", "广州", "南宁", "海口", "重庆", "成都", "贵阳",
    "昆明", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "宁波", "青岛", "厦门", "深圳", "大连", "苏州",
]  # fmt: skip
COMPANY_WORDS = [
    "顺达",
    "通远",
    "恒运",
    "安捷",
    "华储",
    "联运",
    "速通",
    "中邦",
    "长风",
    "远洋",
    "畅行",
    "金桥",
]
COMPANY_KINDS = ["物流有限公司", "运输有限公司", "供应链管理有限公司", "货运代理有限公司", "冷链物流有限公司"]
SCOPES = ["普通货运", "货物专用运输（集装箱）", "大型物件运输", "危险货物运输（2类、3类）", "冷藏保鲜运输"]
HUB_TYPES = ["陆港型", "港口型", "空港型", "生产服务型", "商贸服务型", "陆上边境口岸型"]
STATIONS = [
    "郑州圃田", "西安国际港", "成都城厢", "重庆团结村", "武汉吴家山", "长沙霞凝", "苏州西", "义乌西",
    "天津新港", "青岛前湾", "连云港", "昆明王家营西", "乌鲁木齐西", "兰州东川", "南宁南", "沈阳东",
]  # fmt: skip

ROWS = 10_000


def _csv(header: list[str], rows: Iterator[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _company(rng: random.Random) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}"


def road_transport_licences() -> bytes:
    """道路运输经营许可信息: licence_no, company, uscc, scope, valid_to (12,000 rows)."""
    rng = random.Random(3501)  # noqa: S311 (made-up demo rows, not secrets)

    def rows() -> Iterator[list[object]]:
        for n in range(12_000):
            province = rng.choice(PROVINCES)
            region = f"{rng.randint(11, 65):02d}{rng.randint(1, 20):02d}{rng.randint(1, 30):02d}"
            uscc = uscc_with_check_character(f"9{region[:1]}{region}MA{n:07d}"[:17])
            valid_to = date(2027, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))
            yield [
                f"{province}交运管许可货字{region}{n:06d}号",
                _company(rng),
                uscc,
                rng.choice(SCOPES),
                valid_to,
            ]

    return _csv(["licence_no", "company", "uscc", "scope", "valid_to"], rows())


def freight_train_plan() -> bytes:
    """货运列车开行计划: train_no, origin, destination, departure, wagons (10,000 rows)."""
    rng = random.Random(3502)  # noqa: S311 (made-up demo rows, not secrets)
    start = datetime(2026, 11, 1, 0, 0, tzinfo=timezone(timedelta(hours=8)))  # Beijing time

    def rows() -> Iterator[list[object]]:
        for n in range(ROWS):
            origin, destination = rng.sample(STATIONS, 2)
            departure = start + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            yield [
                f"X{8000 + n % 1999}",
                origin,
                destination,
                departure.isoformat(sep=" "),
                rng.randint(30, 55),
            ]

    return _csv(["train_no", "origin", "destination", "departure", "wagons"], rows())


def logistics_hubs() -> bytes:
    """国家物流枢纽与货运场站名录: hub_id, name, type, lng, lat, area (10,000 rows)."""
    rng = random.Random(3503)  # noqa: S311 (made-up demo rows, not secrets)

    def rows() -> Iterator[list[object]]:
        for n in range(ROWS):
            city = rng.choice(CITIES)
            kind = rng.choice(HUB_TYPES)
            lng = round(rng.uniform(87.0, 126.0), 6)
            lat = round(rng.uniform(20.0, 46.0), 6)
            yield [
                f"HUB{n:06d}",
                f"{city}{kind}货运场站{n % 97 + 1}号",
                kind,
                lng,
                lat,
                round(rng.uniform(2, 300), 2),
            ]

    return _csv(["hub_id", "name", "type", "lng", "lat", "area"], rows())


def road_freight_price_index() -> bytes:
    """公路货运价格指数: week, corridor, index, change (208 corridors x 52 weeks = 10,816 rows)."""
    rng = random.Random(3504)  # noqa: S311 (made-up demo rows, not secrets)
    corridors = [f"{a}—{b}" for a in CITIES[:16] for b in CITIES[16:29]]

    def rows() -> Iterator[list[object]]:
        for corridor in corridors:
            level = rng.uniform(95, 105)
            for week in range(1, 53):
                change = round(rng.gauss(0, 0.8), 2)
                level = level * (1 + change / 100)
                yield [f"2026-W{week:02d}", corridor, round(level, 2), change]

    return _csv(["week", "corridor", "index", "change"], rows())


TABLES: dict[tuple[str, str], Callable[[], bytes]] = {
    ("transport", "道路运输经营许可信息"): road_transport_licences,
    ("rail", "货运列车开行计划"): freight_train_plan,
    ("transport", "国家物流枢纽与货运场站名录"): logistics_hubs,
    ("transport", "公路货运价格指数"): road_freight_price_index,
}
"""(holder key, resource name) of the demo resources that get data, and their generators."""
