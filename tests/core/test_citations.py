"""Policy citations as people read them (core/citations.py): the document and its article, never
``004:781``; the line table is what the texts in docs/sources give, and every citation in the code
names a document."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import pytest

from logispace.core import citation_articles
from logispace.core.citations import COMPILATION, DOCUMENTS, Citation, citation_of, cite
from tests.data import SOURCES

ROOT = SOURCES.parents[1]


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ("004:781", "《公共数据资源登记管理暂行办法》第九条"),
        ("004:798", "《公共数据资源登记管理暂行办法》第十二条"),
        (
            "004:794; 004:5412",
            "《公共数据资源登记管理暂行办法》第十条；《内蒙古自治区公共数据资源登记管理暂行办法》第十一条",
        ),
        ("004:4277; 004:4327", "《银行保险机构数据安全管理办法》第十八条、第三十四条"),
        ("004:783; 004:785", "《公共数据资源登记管理暂行办法》第九条"),  # one article once
        ("004:5623-5629", "《内蒙古自治区公共数据授权运营管理暂行办法》第十二条"),
        ("004:5223", "《内蒙古自治区公共数据资源登记管理暂行办法》"),  # the notice before article 1
        ("000:25", "《关于推动物流数据开放互联 有效降低全社会物流成本的实施方案》第（三）项"),
        ("000:46", "《关于推动物流数据开放互联 有效降低全社会物流成本的实施方案》附件"),
        ("002:13", "《交通运输部关于加快交通运输公共数据资源开发利用的实施意见》第（五）项"),
        ("001:35", "《加快数智供应链发展专项行动计划》第（十四）项"),
        ("004:3027", "《促进和规范数据跨境流动规定》第七条"),
        ("004:1", "《数据资产政策汇编》"),
        ("999:1", ""),
        ("V-REG-03", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_cite(refs: str | None, expected: str) -> None:
    assert cite(refs) == expected


def test_a_citation_reads_as_title_and_article() -> None:
    assert citation_of("004:812") == Citation("公共数据资源登记管理暂行办法", "第十五条")
    assert str(citation_of("004:812")) == "《公共数据资源登记管理暂行办法》第十五条"
    assert citation_of("not a line") is None


def _tool() -> ModuleType:
    path = ROOT / "tools" / "citation_articles.py"
    spec = importlib.util.spec_from_file_location("citation_articles_tool", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_line_table_is_what_the_texts_give() -> None:
    """citation_articles.py is generated from docs/sources: a document added to DOCUMENTS or a text
    changed without running tools/citation_articles.py fails here."""
    tool = _tool()
    assert (ROOT / "src/logispace/core/citation_articles.py").read_text(encoding="utf-8") == tool.render(
        tool.articles(SOURCES)
    )
    assert citation_articles.ARTICLES["004"][:1] == ((154, "一"),)


def test_each_document_starts_at_its_heading() -> None:
    """The line ranges of DOCUMENTS: each document's first lines carry its title (spaces and the
    notice's wording aside)."""
    for doc in DOCUMENTS:
        [path] = SOURCES.glob(f"{doc.source}_*.txt")
        head = "".join(path.read_text(encoding="utf-8").splitlines()[doc.first - 1 : doc.first + 14])
        words = re.sub(r"\s", "", head)
        key = re.sub(r"\s|（.*?）|^.*?关于", "", doc.title)[:8]
        if doc.source in ("000", "001", "002"):
            continue  # published in traditional characters: checked by hand (docs/sources.md)
        assert key in words, (doc.title, head[:80])


def test_every_citation_in_the_code_names_a_document() -> None:
    cited = set()
    for path in (ROOT / "src" / "logispace").rglob("*.py"):
        cited.update(re.findall(r"\b(00[0-4]:\d+)\b", path.read_text(encoding="utf-8")))
    assert len(cited) > 100
    unnamed = sorted(ref for ref in cited if (c := citation_of(ref)) is None or c.title == COMPILATION)
    assert unnamed == []
