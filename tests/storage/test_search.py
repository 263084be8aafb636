"""Full-text search: the same table of queries and the same expected ids on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from logispace.core.errors import InvalidInput
from logispace.storage.search import (
    SearchDocument,
    SearchQuery,
    Synonyms,
    index,
    load_synonyms,
    optimize,
    parse_synonyms_file,
    remove,
    search,
)
from logispace.storage.search.text import BUILTIN_SYNONYMS

T0 = datetime(2026, 11, 1, tzinfo=UTC)
SCOPE = "catalog"

# id -> (title, keywords, description, fields, facets); later ids are more recent.
CORPUS: dict[str, tuple[str, str, str, str, dict[str, str | list[str]]]] = {
    "d1": (
        "上海港集装箱吞吐量",
        "港口 集装箱",
        "上海港每日集装箱进出港数据",
        "箱号 container_no",
        {"category": "port", "grade": "general", "holder": "sh-port"},
    ),
    "d2": (
        "广西载货汽车轨迹",
        "道路 运输",
        "重点营运载货汽车的实时位置",
        "车牌号 vehicle_plate",
        {"category": "road", "grade": "sensitive", "holder": "gx-transport"},
    ),
    "d3": (
        "铁路货运托运单",
        "铁路 单证",
        "铁路货物托运单与运到期限",
        "运单号 waybill_no",
        {"category": "rail", "grade": "general", "holder": "rail-group"},
    ),
    "d4": (
        "Container terminal throughput",
        "port container",
        "Daily container moves at Qinzhou terminal",
        "container_no berth",
        {"category": "port", "grade": "general", "holder": "gx-port"},
    ),
    "d5": (
        "Lorry GPS tracks",
        "road freight",
        "Positions of heavy lorries in Guangxi",
        "vehicle_plate speed",
        {"category": "road", "grade": "sensitive", "holder": "gx-transport"},
    ),
    "d6": (
        "Consignment note registry",
        "rail documents",
        "Consignment notes issued by railway stations",
        "note_no station",
        {"category": "rail", "grade": "important", "holder": "rail-group"},
    ),
    "d7": (
        "冷藏车辆资质",
        "冷链 资质",
        "冷链运输企业的货柜车与冷藏车",
        "车辆识别代号 vin",
        {"category": ["road", "cold-chain"], "grade": "general", "holder": "gx-transport"},
    ),
    "d8": (
        "船舶进出港报告",
        "码头 船舶",
        "船舶靠泊与离港时间",
        "船名 vessel_name",
        {"category": "port", "grade": "important", "holder": "sh-port"},
    ),
}


def _docs(scope: str = SCOPE) -> list[SearchDocument]:
    return [
        SearchDocument(
            scope=scope,
            doc_id=doc_id,
            fields={"title": t, "keywords": k, "description": d, "fields": f},
            facets=facets,
            updated_at=T0 + timedelta(days=n),
        )
        for n, (doc_id, (t, k, d, f, facets)) in enumerate(CORPUS.items())
    ]


@pytest.fixture
def corpus(db: Session) -> Session:
    index(db, _docs())
    index(db, [SearchDocument("other", "x1", {"title": "集装箱 container"}, {"category": "port"}, T0)])
    return db


QUERIES = [
    # Chinese words, sub-words and partial words
    ("集装箱", {"d1", "d7"}),  # d7 through the synonym 货柜
    ("集装", {"d1"}),
    ("装箱", {"d1"}),
    ("上海港 集装箱", {"d1"}),
    ("托运单", {"d3"}),
    ("运单", {"d3"}),
    ("车牌", {"d2"}),
    # synonyms: 货车/载货汽车, 港口/码头, 冷链/冷藏, 车辆/车, 船舶/船
    ("货车", {"d2"}),
    ("码头", {"d1", "d8"}),
    ("冷藏", {"d7"}),
    ("车", {"d2", "d7"}),
    ("船", {"d8"}),
    ("轨迹", {"d2", "d5"}),  # 轨迹/gps
    # English, with prefix matching of the last term and synonyms
    ("container", {"d1", "d4"}),  # d1 through its field name container_no
    ("contain", {"d1", "d4"}),
    ("terminal throughput", {"d4"}),
    ("truck", {"d5"}),
    ("waybill", {"d3", "d6"}),  # waybill_no, and consignment note
    ("consignment note", {"d3", "d6"}),  # and waybill_no through the synonym waybill
    ("vehicle_plate", {"d2", "d5"}),
    ("guangxi lorr", {"d5"}),
    # mixed, AND of all terms, nothing found
    ("广西 vehicle", {"d2"}),
    ("集装箱 铁路", set()),
    ("zzzz", set()),
]


@pytest.mark.parametrize(("q", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_query_table(corpus: Session, q: str, expected: set[str]) -> None:
    result = search(corpus, SearchQuery(SCOPE, q=q, limit=50))
    assert set(result.ids) == expected
    assert result.total == len(expected)


HOSTILE = ['"', "AND(", "*", "'", "a OR", "NOT", ":*", "(((", "\\", "\x00", "NEAR(a b)", "col:x", "'&|!"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_do_not_error(corpus: Session, q: str) -> None:
    result = search(corpus, SearchQuery(SCOPE, q=q, limit=50))
    assert result.total == len(result.ids)


def test_syntax_words_are_plain_words(corpus: Session) -> None:
    assert search(corpus, SearchQuery(SCOPE, q="terminal AND")).ids == []
    assert search(corpus, SearchQuery(SCOPE, q="terminal OR zzz")).ids == []


def test_empty_query_lists_by_recency_with_facets(corpus: Session) -> None:
    result = search(corpus, SearchQuery(SCOPE, q="  ", facets=["category", "grade"], limit=3))
    assert result.ids == ["d8", "d7", "d6"]
    assert result.total == 8
    assert result.facets["category"] == [("port", 3), ("road", 3), ("rail", 2), ("cold-chain", 1)]
    assert result.facets["grade"] == [("general", 4), ("important", 2), ("sensitive", 2)]


def test_filters_and_across_facets_or_within(corpus: Session) -> None:
    def ids(**filters: list[str]) -> set[str]:
        return set(search(corpus, SearchQuery(SCOPE, filters=filters, limit=50)).ids)

    assert ids(category=["port"]) == {"d1", "d4", "d8"}
    assert ids(category=["port", "rail"]) == {"d1", "d3", "d4", "d6", "d8"}
    assert ids(category=["port", "rail"], grade=["important"]) == {"d6", "d8"}
    assert ids(category=["cold-chain"]) == {"d7"}
    assert ids(holder=["nobody"]) == set()


def test_facet_counts_cover_all_matches_not_only_the_page(corpus: Session) -> None:
    query = SearchQuery(SCOPE, q="车", filters={"holder": ["gx-transport"]}, facets=["category", "holder"])
    result = search(corpus, SearchQuery(**{**query.__dict__, "limit": 1}))
    assert len(result.ids) == 1
    assert result.total == 2
    assert result.facets == {
        "category": [("road", 2), ("cold-chain", 1)],
        "holder": [("gx-transport", 2)],
    }


def test_relevance_puts_title_matches_first_and_recency_the_newest(corpus: Session) -> None:
    relevance = search(corpus, SearchQuery(SCOPE, q="container", limit=50))
    assert relevance.ids == ["d4", "d1"]  # d4 in title, d1 in a field name only
    by_rank = search(corpus, SearchQuery(SCOPE, q="集装箱", limit=50)).ids
    assert by_rank == ["d1", "d7"]  # title and keywords beat a synonym in the description
    by_date = search(corpus, SearchQuery(SCOPE, q="集装箱", sort="recency", limit=50)).ids
    assert by_date == ["d7", "d1"]


def test_pagination(corpus: Session) -> None:
    pages = [search(corpus, SearchQuery(SCOPE, limit=3, offset=o, sort="recency")) for o in (0, 3, 6, 9)]
    assert [p.ids for p in pages] == [["d8", "d7", "d6"], ["d5", "d4", "d3"], ["d2", "d1"], []]
    assert {p.total for p in pages} == {8}


def test_upsert_replaces_text_and_facets(corpus: Session) -> None:
    index(corpus, [SearchDocument(SCOPE, "d1", {"title": "宁波港 散货"}, {"category": "bulk"}, T0)])
    assert search(corpus, SearchQuery(SCOPE, q="集装")).ids == []
    assert search(corpus, SearchQuery(SCOPE, q="散货")).ids == ["d1"]
    result = search(corpus, SearchQuery(SCOPE, filters={"category": ["bulk"]}, facets=["category"]))
    assert result.ids == ["d1"]
    assert result.facets["category"] == [("bulk", 1)]


def test_remove(corpus: Session) -> None:
    remove(corpus, SCOPE, ["d1", "no-such-id"])
    assert search(corpus, SearchQuery(SCOPE, q="上海港")).ids == []
    assert search(corpus, SearchQuery(SCOPE)).total == 7
    assert search(corpus, SearchQuery("other", q="集装箱")).ids == ["x1"]


def test_scopes_do_not_see_each_other(corpus: Session) -> None:
    assert search(corpus, SearchQuery("other", q="container")).ids == ["x1"]
    assert set(search(corpus, SearchQuery(SCOPE, q="container")).ids) == {"d1", "d4"}
    other = search(corpus, SearchQuery("other", facets=["category"]))
    assert other.total == 1
    assert other.facets == {"category": [("port", 1)]}
    assert search(corpus, SearchQuery("nobody")).total == 0


def test_configured_synonym_file(corpus: Session, tmp_path: Path) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text("# 同义词\n吞吐量, 作业量\nberth / quay   # English\n\nlonely\n", encoding="utf-8")
    synonyms = load_synonyms(path)
    assert search(corpus, SearchQuery(SCOPE, q="作业量"), synonyms).ids == ["d1"]
    assert search(corpus, SearchQuery(SCOPE, q="quay"), synonyms).ids == ["d4"]
    assert search(corpus, SearchQuery(SCOPE, q="作业量")).ids == []  # not in the built-in list


def test_synonym_file_format() -> None:
    text = "货车，卡车、载货汽车\n# comment\na|b;c\nsingle\n x / y # tail\n"
    assert parse_synonyms_file(text) == [["货车", "卡车", "载货汽车"], ["a", "b", "c"], ["x", "y"]]
    assert Synonyms([["x", "y"]]).longest_match(["x"], 0) == (1, [("x",), ("y",)])
    assert any("货柜" in group for group in BUILTIN_SYNONYMS)


@pytest.mark.parametrize(
    "bad",
    [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"sort": "price"}, {"filters": {"a": ["v"] * 51}}],
)
def test_query_validates_itself(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        SearchQuery(SCOPE, **bad)  # type: ignore[arg-type]


def test_document_validates_itself() -> None:
    with pytest.raises(ValueError, match="unknown search fields"):
        SearchDocument(SCOPE, "a", {"body": "x"}, {}, T0)
    with pytest.raises(ValueError, match="timezone"):
        SearchDocument(SCOPE, "a", {}, {}, T0.replace(tzinfo=None))


# --- bounded work: count_limit ------------------------------------------------------------------

WAYBILL_DOCS = [
    SearchDocument(
        SCOPE,
        f"w{n:02d}",
        {"title": f"运单 批次 {n}", "description": "waybill batch" if n % 2 else "托运单 明细"},
        {"category": "rail" if n % 3 else "road", "grade": "general"},
        T0 + timedelta(hours=n),
    )
    for n in range(12)
]


@pytest.mark.parametrize("sort", ["relevance", "recency"])
def test_more_matches_than_count_limit_give_a_lower_bound_and_every_match_once(
    db: Session, sort: str
) -> None:
    index(db, WAYBILL_DOCS)
    query = SearchQuery(SCOPE, q="运单", facets=["category"], sort=sort, count_limit=5, limit=4)
    first = search(db, query)
    assert (first.total, first.total_exact, first.facets_exact) == (5, False, False)
    # The facets count the window of 5 matches, not all 12.
    assert sum(n for _, n in first.facets["category"]) == 5
    # Pages cross the window's end without repeating or losing a match.
    pages = [search(db, SearchQuery(**{**query.__dict__, "offset": o})).ids for o in (0, 4, 8, 12)]
    seen = [doc_id for page in pages for doc_id in page]
    assert sorted(seen) == sorted(d.doc_id for d in WAYBILL_DOCS)
    if sort == "recency":
        assert seen == [d.doc_id for d in reversed(WAYBILL_DOCS)]


def test_a_window_that_holds_every_match_is_exact(db: Session) -> None:
    index(db, WAYBILL_DOCS)
    capped = search(db, SearchQuery(SCOPE, q="运单", facets=["category"], count_limit=12))
    assert (capped.total, capped.total_exact, capped.facets_exact) == (12, True, True)
    assert capped.facets["category"] == [("rail", 8), ("road", 4)]
    filtered = search(db, SearchQuery(SCOPE, q="运单", filters={"category": ["road"]}, count_limit=3))
    assert (filtered.total, filtered.total_exact) == (3, False)
    # The window holds the first three road matches in index order; the page goes on past it.
    assert set(filtered.ids[:3]) == {"w00", "w03", "w06"}
    assert filtered.ids[3:] == ["w09"]
    only_filters = search(db, SearchQuery(SCOPE, filters={"category": ["road"]}, count_limit=3, limit=10))
    assert (only_filters.total, only_filters.total_exact) == (3, False)
    assert only_filters.ids == ["w09", "w06", "w03", "w00"]


def test_count_limit_is_validated() -> None:
    for bad in (0, 10_001):
        with pytest.raises(InvalidInput):
            SearchQuery(SCOPE, count_limit=bad)


def test_listing_a_scope_reads_kept_counts_that_follow_every_write(corpus: Session) -> None:
    def listing() -> tuple[int, dict[str, list[tuple[str, int]]]]:
        result = search(corpus, SearchQuery(SCOPE, facets=["category"], count_limit=1))
        assert result.total_exact and result.facets_exact  # never capped
        return result.total, result.facets

    assert listing() == (8, {"category": [("port", 3), ("road", 3), ("rail", 2), ("cold-chain", 1)]})
    index(corpus, [SearchDocument(SCOPE, "d1", {"title": "散货"}, {"category": "bulk"}, T0)])  # upsert
    index(corpus, [SearchDocument(SCOPE, "d9", {"title": "新"}, {"category": ["rail", "bulk"]}, T0)])
    remove(corpus, SCOPE, ["d7", "d8", "nope"])
    assert listing() == (7, {"category": [("rail", 3), ("bulk", 2), ("road", 2), ("port", 1)]})
    remove(corpus, SCOPE, [f"d{n}" for n in range(1, 10)])
    assert listing() == (0, {"category": []})
    assert search(corpus, SearchQuery("other", facets=["category"])).facets == {"category": [("port", 1)]}


def test_facet_values_are_any_text(db: Session) -> None:
    odd = ["a b", "中文 值", "x\x1fy", "'\"*", "AND", "col:v"]
    index(db, [SearchDocument(SCOPE, f"o{n}", {"title": "集装箱"}, {"k": v}, T0) for n, v in enumerate(odd)])
    for n, value in enumerate(odd):
        found = search(db, SearchQuery(SCOPE, q="集装箱", filters={"k": [value]}, facets=["k"]))
        assert found.ids == [f"o{n}"]
        assert found.facets == {"k": [(value, 1)]}
    assert search(db, SearchQuery(SCOPE, q="集装箱", filters={"k": []})).ids == []


def test_optimize_keeps_every_match(corpus: Session) -> None:
    before = {q: search(corpus, SearchQuery(SCOPE, q=q, limit=50)).ids for q, _ in QUERIES}
    optimize(corpus)
    assert {q: search(corpus, SearchQuery(SCOPE, q=q, limit=50)).ids for q, _ in QUERIES} == before
