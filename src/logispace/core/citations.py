"""Policy citations as people read them (政策依据): 《公共数据资源登记管理暂行办法》第九条, not ``004:781``.

The code cites its rules as ``NNN:LINE`` into the policy texts of ``docs/sources/`` (docs/sources.md):
exact for developers, meaningless to a data officer. :data:`DOCUMENTS` names the document each line
range of a source belongs to (one document per file for 000-003; the compilation 004 holds many), and
:data:`~logispace.core.citation_articles.ARTICLES` (generated from the texts by
``tools/citation_articles.py``) the line where each article (第X条), numbered item (（X）) or annex
(附件) starts. :func:`cite` turns ``"004:781; 004:5385"`` into
``《公共数据资源登记管理暂行办法》第九条；《内蒙古自治区公共数据资源登记管理暂行办法》第十条``;
the pages show that wherever they name the rule behind a refusal, a help text or a deadline.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from logispace.core.citation_articles import ARTICLES


class Numbering(StrEnum):
    """How a document numbers its provisions."""

    ARTICLES = "articles"  # 第一条, 第二条, ... (办法, 规定, 规范)
    ITEMS = "items"  # （一）, （二）, ... (意见, 方案, 计划)


@dataclass(frozen=True)
class Document:
    """A document of a source file: its lines ``first``..``last`` (1-based, inclusive) and title."""

    source: str
    first: int
    last: int
    title: str
    numbering: Numbering


_A, _I = Numbering.ARTICLES, Numbering.ITEMS
COMPILATION = "数据资产政策汇编"
"""The title of source 004 itself (兴安盟《数据资产政策汇编》), for a line outside the documents below."""

DOCUMENTS: tuple[Document, ...] = (
    Document("000", 1, 46, "关于推动物流数据开放互联 有效降低全社会物流成本的实施方案", _I),
    Document("001", 1, 38, "加快数智供应链发展专项行动计划", _I),
    Document("002", 1, 31, "交通运输部关于加快交通运输公共数据资源开发利用的实施意见", _I),
    Document("003", 1, 44, "广西“互联网+”高效物流实施方案", _I),
    Document("004", 138, 203, "中共中央办公厅 国务院办公厅关于加快公共数据资源开发利用的意见", _I),
    Document("004", 204, 271, "中共中央办公厅 国务院办公厅关于加快建设统一开放的交通运输市场的意见", _I),
    Document("004", 434, 613, "可信数据空间发展行动计划（2024—2028年）", _I),
    Document("004", 614, 680, "国家数据局等部门关于促进企业数据资源开发利用的意见", _I),
    Document("004", 681, 724, "关于完善数据流通安全治理 更好促进数据要素市场化价值化的实施方案", _I),
    Document("004", 725, 846, "公共数据资源登记管理暂行办法", _A),
    Document("004", 847, 1006, "公共数据资源授权运营实施规范（试行）", _A),
    Document(
        "004", 1007, 1046, "国家发展改革委 国家数据局关于建立公共数据资源授权运营价格形成机制的通知", _I
    ),
    Document("004", 2989, 3048, "促进和规范数据跨境流动规定", _A),
    Document("004", 4179, 4522, "银行保险机构数据安全管理办法", _A),
    Document(
        "004",
        4607,
        4686,
        "内蒙古自治区党委、自治区人民政府关于构建数据基础制度更好发挥数据要素作用的实施意见",
        _I,
    ),
    Document("004", 4687, 4742, "内蒙古自治区促进数据和人工智能产业高质量发展若干政策", _I),
    Document("004", 4743, 4838, "全区一体化政务大数据体系建设工作方案", _I),
    Document("004", 4839, 5005, "内蒙古自治区科学数据管理办法", _A),
    Document("004", 5006, 5212, "内蒙古自治区数据流通交易管理暂行办法", _A),
    Document("004", 5213, 5528, "内蒙古自治区公共数据资源登记管理暂行办法", _A),
    Document("004", 5529, 5716, "内蒙古自治区公共数据授权运营管理暂行办法", _A),
)
"""Every document a citation may point into, in source and line order."""

ANNEX = "附件"
"""The label of a document's annex (附件: the sharing/open list of source 000)."""

_REF = re.compile(r"^\s*(\d{3}):(\d+)(?:\s*[-–]\s*(\d+))?\s*$")


@dataclass(frozen=True)
class Citation:
    """Where a line stands: the document's title and the article (or item) it belongs to, if any."""

    title: str
    article: str | None

    def __str__(self) -> str:
        return f"《{self.title}》{self.article or ''}"


def document_of(source: str, line: int) -> Document | None:
    """The document holding ``line`` of ``source``, or None."""
    for doc in DOCUMENTS:
        if doc.source == source and doc.first <= line <= doc.last:
            return doc
    return None


def _ends(ref: str) -> list[Citation]:
    """The citations of a reference: one line, or both ends of a range ``NNN:FIRST-LAST``."""
    found = _REF.match(ref)
    if found is None:
        return []
    lines = [found.group(2)] + ([found.group(3)] if found.group(3) else [])
    return [c for line in lines if (c := citation_of(f"{found.group(1)}:{line}")) is not None]


def citation_of(ref: str) -> Citation | None:
    """One ``NNN:LINE`` reference as a citation (a range ``NNN:FIRST-LAST`` by its first line);
    None for text that is no such reference."""
    found = _REF.match(ref)
    if found is None:
        return None
    source, line = found.group(1), int(found.group(2))
    doc = document_of(source, line)
    if doc is None:
        return Citation(COMPILATION, None) if source == "004" else None
    starts = ARTICLES.get(source, ())
    at = bisect.bisect_right(starts, (line, "\uffff")) - 1
    if at < 0 or starts[at][0] < doc.first:
        return Citation(doc.title, None)  # the document's preamble: no article yet
    label = starts[at][1]
    if label == ANNEX:
        return Citation(doc.title, ANNEX)
    return Citation(doc.title, f"第{label}条" if doc.numbering is Numbering.ARTICLES else f"第（{label}）项")


def cite(refs: str | None) -> str:
    """``"004:781; 004:5385"`` as the documents and articles people recognise, each once, joined by
    "；" (articles of one document after one title: 《办法》第十条、第十二条). Text that is not a
    reference is left out; nothing citable gives ""."""
    by_title: dict[str, list[str]] = {}
    for part in re.split(r"[;；,，]", refs or ""):
        for found in _ends(part):
            articles = by_title.setdefault(found.title, [])
            if found.article and found.article not in articles:
                articles.append(found.article)
    return "；".join(f"《{title}》{'、'.join(articles)}" for title, articles in by_title.items())
