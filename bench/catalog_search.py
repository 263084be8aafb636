"""Catalogue search latency at 100k documents, against a plain LIKE scan of the same rows.

Indexes synthetic catalogue-like documents (Chinese and English logistics titles, descriptions,
keywords and field names, six facets) with :mod:`logispace.storage.search`, then times a set of
Chinese and English queries, with and without filters and facet counts. The baseline, run on the
same database in the same run, is ``LIKE '%term%'`` over a table holding the same text (every
term ANDed, page by recency plus the total). DuckDB's fts extension is not available offline.

Writes ``bench/results/catalog_search-<backend>.json`` (p50/p95 in milliseconds, the machine and
its load average at start and end). ``LOGISPACE_BENCH_KEEP=1`` keeps the indexed database (a SQLite
file in the temp directory or a database on the server, named by the document count) and reuses it
on the next run, which then only applies new migrations and times the queries.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchkit
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.core.db import backend_name, make_engine
from logispace.storage.search import SearchDocument, SearchQuery, index, load_synonyms, optimize, search

DOCS = int(os.environ.get("LOGISPACE_BENCH_DOCS", "100000"))
ROUNDS = int(os.environ.get("LOGISPACE_BENCH_ROUNDS", "30"))
SCOPE = "catalog"

PROVINCES = ["广西", "内蒙古", "广东", "上海", "浙江", "江苏", "山东", "四川", "湖北", "河南", "云南", "新疆"]
PLACES = [
    "北部湾港",
    "钦州港",
    "防城港",
    "满洲里",
    "二连浩特",
    "南宁",
    "包头",
    "宁波舟山港",
    "洋山港",
    "郑州",
]
MODES = ["道路运输", "铁路", "港口", "航空货运", "内河航运", "多式联运", "海关", "冷链", "仓储", "快递"]
SUBJECTS = [
    "集装箱吞吐量",
    "载货汽车轨迹",
    "货运车辆资质",
    "铁路托运单",
    "危险货物运输许可",
    "报关单",
    "船舶进出港报告",
    "冷藏车温度记录",
    "仓库库存",
    "运单明细",
    "半挂车登记",
    "码头作业计划",
    "通关时效",
    "运价指数",
    "从业人员资格",
]
PHRASES = [
    "按日更新的{p}{m}数据",
    "覆盖{p}主要物流园区",
    "数据来源于{m}管理系统",
    "包含车牌号、车辆识别代号与行驶轨迹",
    "用于供应链金融与信用评价",
    "经脱敏后按条件共享",
    "记录{s}与作业时间",
]
EN_SUBJECTS = [
    "container terminal throughput",
    "truck GPS trajectories",
    "railway waybills",
    "customs declarations",
    "cold chain temperature logs",
    "warehouse inventory",
    "vessel port calls",
    "dangerous goods permits",
    "freight rate index",
]
EN_PLACES = ["Guangxi", "Qinzhou", "Beibu Gulf", "Inner Mongolia", "Manzhouli", "Shanghai", "Ningbo"]
FIELDS = [
    "车牌号 vehicle_plate",
    "车辆识别代号 vin",
    "箱号 container_no",
    "运单号 waybill_no",
    "船名 vessel_name",
    "报关单号 declaration_no",
    "经度 longitude",
    "纬度 latitude",
    "温度 temperature",
    "发货人 shipper",
    "收货人 consignee",
    "到达时间 arrival_time",
]
FACETS = {
    "category": ["port", "rail", "road", "customs", "air", "waterway", "warehouse", "cold-chain"],
    "grade": ["core", "important", "general-sensitive", "general"],
    "sharing_type": ["unconditional", "conditional", "not-shared"],
    "open_type": ["open", "conditional-open", "not-open"],
    "frequency": ["realtime", "daily", "weekly", "monthly", "yearly"],
}
HOLDERS = [f"holder-{n:03d}" for n in range(200)]

QUERIES: list[tuple[str, str, dict[str, list[str]], list[str]]] = [
    # (label, q, filters, facets)
    ("zh 集装箱", "集装箱", {}, []),
    ("zh 广西 货车 (synonyms)", "广西 货车", {}, []),
    ("zh 冷链 温度", "冷链 温度", {}, []),
    ("zh 车牌 (sub-word)", "车牌", {}, []),
    ("zh 托运单", "托运单", {}, []),
    ("zh 危险品 许可", "危险品 许可", {}, []),
    ("en container", "container", {}, []),
    ("en truck gps", "truck gps", {}, []),
    ("en rail waybill", "railway waybill", {}, []),
    ("en customs decl (prefix)", "customs decl", {}, []),
    ("zh 集装箱 + filters", "集装箱", {"category": ["port"], "grade": ["general", "important"]}, []),
    ("zh 港口 + facets", "港口", {}, ["category", "grade", "holder", "frequency"]),
    ("en container + filters + facets", "container", {"open_type": ["open"]}, ["category", "grade"]),
    ("empty q + facets (browse)", "", {}, ["category", "grade", "sharing_type", "open_type"]),
]


def document(rng: random.Random, n: int, t0: datetime) -> tuple[SearchDocument, str]:
    province, place, mode, subject = (rng.choice(x) for x in (PROVINCES, PLACES, MODES, SUBJECTS))
    if rng.random() < 0.3:
        en = rng.choice(EN_SUBJECTS)
        title = f"{rng.choice(EN_PLACES)} {en}"
        description = (
            f"{title.capitalize()} updated {rng.choice(['daily', 'hourly', 'monthly'])}; {en} by route."
        )
        keywords = " ".join(rng.sample(["port", "rail", "truck", "customs", "logistics", "trade", "box"], 3))
    else:
        title = f"{province}{place}{mode}{subject}"
        description = "，".join(rng.choice(PHRASES).format(p=province, m=mode, s=subject) for _ in range(3))
        keywords = " ".join([*rng.sample(MODES, 2), province])
    fields = " ".join(rng.sample(FIELDS, rng.randint(3, 6)))
    facets: dict[str, str | list[str]] = {name: rng.choice(values) for name, values in FACETS.items()}
    facets["holder"] = rng.choice(HOLDERS)
    doc = SearchDocument(
        scope=SCOPE,
        doc_id=f"r{n:06d}",
        fields={"title": title, "keywords": keywords, "description": description, "fields": fields},
        facets=facets,
        updated_at=t0 + timedelta(minutes=n),
    )
    return doc, " ".join((title, keywords, description, fields)).lower()


def percentiles(samples: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """p50/p95/max of wall-clock seconds in milliseconds; with ``cpu`` (this process's CPU seconds
    per sample) also its p50/p95, which other load on the shared machine disturbs far less (on
    PostgreSQL it leaves out the server's own work)."""
    out = {
        "p50_ms": _ms(statistics.median(samples)),
        "p95_ms": _ms(_p95(samples)),
        "max_ms": _ms(max(samples)),
    }
    if cpu:
        out |= {"cpu_p50_ms": _ms(statistics.median(cpu)), "cpu_p95_ms": _ms(_p95(cpu))}
    return out


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def timed(fn: Callable[[], object], rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and process CPU seconds of ``rounds`` calls, after one warm-up call."""
    fn()
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def make_database(folder: Path) -> tuple[str, Callable[[], None]]:
    """The bench database: throwaway by default; with ``LOGISPACE_BENCH_KEEP=1`` a kept one named by
    the document count (a SQLite file in the temp directory, or a database on the server) that later
    runs reuse instead of indexing again (``migrations.upgrade`` still applies new migrations)."""
    server = os.environ.get("LOGISPACE_BENCH_DATABASE_URL")
    keep = os.environ.get("LOGISPACE_BENCH_KEEP") == "1"
    kept_name = f"logispace_bench_catalog_search_{DOCS}"
    if not server:
        if keep:
            return f"sqlite:///{Path(tempfile.gettempdir()) / (kept_name + '.sqlite3')}", lambda: None
        return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: None
    name = kept_name if keep else f"logispace_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def loaded_stats(session: Session) -> dict[str, float] | None:
    """The indexing figures of a kept database that already holds the documents, else ``None``."""
    try:
        row = session.execute(text("SELECT index_seconds, docs FROM bench_search_meta")).first()
    except DBAPIError:  # no such table: a fresh database
        session.rollback()
        return None
    if row is None or int(row[1]) != DOCS:
        return None
    return {"index_seconds": float(row[0]), "docs_per_second": round(DOCS / float(row[0])), "reused": True}


def load(session: Session) -> dict[str, float]:
    rng = random.Random(20261122)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    session.execute(
        text("CREATE TABLE bench_like_docs (doc_id VARCHAR(64) PRIMARY KEY, body TEXT, updated_at TIMESTAMP)")
    )
    session.execute(text("CREATE INDEX ix_bench_like_docs_updated ON bench_like_docs (updated_at)"))
    insert_like = text(
        "INSERT INTO bench_like_docs (doc_id, body, updated_at) VALUES (:doc_id, :body, :updated_at)"
    )
    indexing = 0.0
    for start in range(0, DOCS, 2000):
        batch = [document(rng, n, t0) for n in range(start, min(start + 2000, DOCS))]
        began = time.perf_counter()
        index(session, [doc for doc, _ in batch])
        indexing += time.perf_counter() - began
        session.execute(
            insert_like,
            [
                {"doc_id": d.doc_id, "body": body, "updated_at": d.updated_at.replace(tzinfo=None)}
                for d, body in batch
            ],
        )
        if session.get_bind().dialect.name == "postgresql" and start % 20000 == 0:
            # Fresh tables have no statistics: without them the planner scans whole tables for the
            # upsert's DELETE ... IN (...), as it would before autovacuum's first ANALYZE.
            session.commit()
            session.execute(text("ANALYZE search_documents"))
            session.execute(text("ANALYZE search_facets"))
        print(f"\rindexed {start + len(batch)}/{DOCS}", end="", file=sys.stderr)
    print(file=sys.stderr)
    session.execute(text("CREATE TABLE bench_search_meta (index_seconds FLOAT, docs INTEGER)"))
    session.execute(
        text("INSERT INTO bench_search_meta VALUES (:s, :d)"), {"s": round(indexing, 1), "d": DOCS}
    )
    return {"index_seconds": round(indexing, 1), "docs_per_second": round(DOCS / indexing)}


def like_baseline(session: Session, q: str) -> Callable[[], object]:
    terms = [t for t in q.lower().split() if t]
    where = " AND ".join(f"body LIKE :t{i}" for i in range(len(terms))) or "1 = 1"
    params = {f"t{i}": f"%{t}%" for i, t in enumerate(terms)}
    page = text(f"SELECT doc_id FROM bench_like_docs WHERE {where} ORDER BY updated_at DESC LIMIT 20")  # noqa: S608
    count = text(f"SELECT count(*) FROM bench_like_docs WHERE {where}")  # noqa: S608

    def run() -> object:
        return session.execute(page, params).all(), session.execute(count, params).scalar_one()

    return run


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(Path(tmp))
        engine = make_engine(url, pool=False)
        try:
            migrations.upgrade(url)
            with Session(engine) as session:
                stats = loaded_stats(session) or load(session)
                session.commit()
                began = time.perf_counter()
                optimize(session)  # the maintenance step after a bulk load (FTS5 segment merge)
                session.commit()
                stats["optimize_seconds"] = round(time.perf_counter() - began, 1)
                if engine.dialect.name == "postgresql":
                    session.execute(text("ANALYZE"))
                    session.commit()
            synonyms = load_synonyms()
            results: dict[str, object] = {
                "backend": backend_name(url),
                "docs": DOCS,
                "rounds": ROUNDS,
                "count_limit": SearchQuery(SCOPE).count_limit,
                "python": sys.version.split()[0],
                **stats,
                "machine": benchkit.machine(engine),
            }
            rows: list[dict[str, object]] = []
            all_search: list[float] = []
            all_search_cpu: list[float] = []
            all_like: list[float] = []
            with Session(engine) as session:
                for label, q, filters, facets in QUERIES:
                    query = SearchQuery(SCOPE, q=q, filters=filters, facets=facets, limit=20)
                    found = search(session, query, synonyms)
                    samples, cpu = timed(lambda query=query: search(session, query, synonyms), ROUNDS)
                    all_search += samples
                    all_search_cpu += cpu
                    row: dict[str, object] = {
                        "query": label,
                        "total": found.total,
                        "total_exact": found.total_exact,
                        "search": percentiles(samples, cpu),
                    }
                    if not filters and not facets:
                        like = like_baseline(session, q)
                        like_samples, like_cpu = timed(like, ROUNDS)
                        all_like += like_samples
                        row["like_baseline"] = percentiles(like_samples, like_cpu)
                        row["like_total"] = like()[1]  # type: ignore[index]
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
            results["queries"] = rows
            results["all_search"] = percentiles(all_search, all_search_cpu)
            results["all_like_baseline"] = percentiles(all_like)
            results["target_p95_ms"] = 50
            results["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
            out = Path(__file__).parent / "results" / f"catalog_search-{results['backend']}.json"
            out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
            print(json.dumps(results, indent=2, ensure_ascii=False))
        finally:
            engine.dispose()
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
