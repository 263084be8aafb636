"""Each pricing rule cites the seed line that says it (docs/sources/004), and the article pages show."""

from __future__ import annotations

import pytest

from logispace.domains.operation.pricing import RuleSource
from logispace.domains.operation.pricing import sources as rules
from tests.data import SOURCES

SEED_004 = next(SOURCES.glob("004_*.txt")).read_text(encoding="utf-8").splitlines()

CITED: list[tuple[RuleSource, str, str]] = [
    (rules.SCOPE, "用于公共治理、公益事业的，免费提供", "第一条"),
    (rules.PROCEDURE, "在不高于上限收费标准的范围内，确定具体收费标准", "第二条"),
    (rules.TRIAL, "尚无完整年度运营情况的", "第二条第二款"),
    (rules.REVENUE, "扣除政府补助后的合理费用支出", "第三条第（一）项"),
    (rules.RATE, "10 年期国债平均收益率加不超过 6 个百分点", "第三条第（一）项"),
    (rules.CAPS, "按产品数量、服务次数、服务时间、数据调用量", "第三条第（二）项"),
    (rules.CYCLE, "评估周期原则上不超过 3 年", "第四条"),
    (rules.DEVIATION, "偏离最高准许收入 10%及以下的", "第四条第二款"),
    (rules.REPORT, "每年 3 月底前", "第五条第二款"),
]


@pytest.mark.parametrize(("source", "phrase", "article"), CITED, ids=[c[0].line for c in CITED])
def test_source_line_says_the_rule(source: RuleSource, phrase: str, article: str) -> None:
    number = int(source.line.removeprefix("004:"))
    assert phrase in SEED_004[number - 1]
    assert source.citation == f"{rules.NOTICE}{article}"
