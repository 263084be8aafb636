"""Where each pricing rule is written (价格规则出处): the seed line for the API and logs, and the document and
article for people (Chinese pages name the document and article, never a ``004:1025``-style citation)."""

from __future__ import annotations

from dataclasses import dataclass

NOTICE = "《国家发展改革委 国家数据局关于建立公共数据资源授权运营价格形成机制的通知》"


@dataclass(frozen=True, slots=True)
class RuleSource:
    """A rule's source (规则出处): ``line`` as ``FFF:LINE``, ``article`` as the notice numbers it."""

    line: str
    article: str

    @property
    def citation(self) -> str:
        """The document and article in Chinese, e.g. 《…通知》第三条第（一）项."""
        return f"{NOTICE}{self.article}"


SCOPE = RuleSource("004:1015", "第一条")
"""Free for public governance and welfare, a service fee for industry development; government-guided price."""
PROCEDURE = RuleSource("004:1017", "第二条")
"""MAR set by the price authority; caps within it by the authorizing subject; prices within the caps."""
TRIAL = RuleSource("004:1019", "第二条第二款")
"""No full operating year: a trial price; a full year: a written application, then formal prices."""
REVENUE = RuleSource("004:1023", "第三条第（一）项")
"""MAR = operating cost (net of government subsidies) + allowed profit + tax."""
RATE = RuleSource("004:1025", "第三条第（一）项")
"""Allowed profit = cost x r; r <= last year's 10-year treasury yield + up to 6 percentage points."""
CAPS = RuleSource("004:1027", "第三条第（二）项")
"""Caps from resource use, human input and sales scale; charged per product, call, time or volume."""
CYCLE = RuleSource("004:1029", "第四条")
"""Evaluation cycle <= 3 years; revenue above MAR deducted from the next cycle's MAR, smoothing allowed."""
DEVIATION = RuleSource("004:1031", "第四条第二款")
"""Yearly: deviation <= 10% the operator adjusts its specific prices; > 10% the caps are adjusted."""
REPORT = RuleSource("004:1035", "第五条第二款")
"""By the end of March each year, last year's operation report (revenue, deviation from MAR, adjustments)."""
