"""English of the page shell (页面框架): title, footer, pager, error page; the error page's titles."""

from __future__ import annotations

STATUS_TITLES: dict[int, str] = {
    400: "请求有误",
    401: "请先登录",
    403: "无权进行此操作",
    404: "未找到",
    405: "不支持此操作",
    409: "与当前状态冲突",
    413: "提交的内容过大",
    415: "不支持的提交格式",
    422: "提交的内容不符合要求",
    429: "尝试过于频繁",
    500: "系统内部错误",
}
"""The error page's title for each status, in Chinese (the problem's English title is for the API)."""

ENGLISH: dict[str, str] = {
    "物流可信数据空间": "Logistics Trusted Data Space",
    "上一页": "Previous",
    "下一页": "Next",
    "依据": "Legal basis",
    "下载 CSV（中文表头）": "Download CSV (Chinese column names)",
    "下载 CSV（字段名表头）": "Download CSV (field names)",
    "出错了": "Something went wrong",
    "返回工作台": "Back to the dashboard",
    "返回首页": "Back to the home page",
    "需要检查的参数": "Parameters to check",
    "追踪编号": "Trace id",
    "请求有误": "Bad request",
    "请先登录": "Please log in",
    "无权进行此操作": "You may not do this",
    "未找到": "Not found",
    "不支持此操作": "This is not supported here",
    "与当前状态冲突": "Conflicts with the current state",
    "提交的内容过大": "What you sent is too large",
    "不支持的提交格式": "This format is not accepted",
    "提交的内容不符合要求": "What you sent is not valid",
    "尝试过于频繁": "Too many attempts",
    "系统内部错误": "Internal error",
    "填写的内容": "What you entered",
    "「{field}」中含有空字符，无法保存。请删除该字符后重新提交。": (
        "“{field}” contains a NUL character and cannot be saved. Remove it and submit again."
    ),
    "「{field}」中含有无效的字符（不成对的代理码位），无法保存。请删除该字符后重新提交。": (
        "“{field}” contains an invalid character (a lone surrogate) and cannot be saved. Remove it and"
        " submit again."
    ),
    "从未": "Never",
    "让物流数据可信流通，降低全社会物流成本": (
        "Trusted circulation of logistics data, to lower the cost of logistics"
    ),
}
