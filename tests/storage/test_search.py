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
