"""English of the page shell (页面框架): title, footer, pager, error page."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "物流可信数据空间": "Logistics Trusted Data Space",
    "上一页": "Previous",
    "下一页": "Next",
    "出错了": "Something went wrong",
    "返回工作台": "Back to the dashboard",
    "返回首页": "Back to the home page",
    "需要检查的参数": "Parameters to check",
    "追踪编号": "Trace id",
    "从未": "Never",
    "让物流数据可信流通，降低全社会物流成本": (
        "Trusted circulation of logistics data, to lower the cost of logistics"
    ),
}
