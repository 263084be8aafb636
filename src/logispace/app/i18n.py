"""English of the composed pages (工作台): the navigation and the dashboard."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "登录": "Log in",
    "退出": "Log out",
    "工作台": "Dashboard",
    "主体管理": "Parties",
    "用户管理": "Users",
    "访问令牌": "API tokens",
    "接口文档": "API docs",
    "欢迎": "Welcome",
    "角色": "Roles",
    "数据目录、登记、授权运营与交易将在这里汇总。": (
        "The catalogue, registration, authorized operation and trading will be summarised here."
    ),
    "您的主体": "Your party",
    "本单位": "My party",
    "数据目录": "Data catalogue",
    "数据资源目录": "Data resource catalogue",
    "共享开放清单": "Sharing and open list",
    "检索目录、查看共享开放清单。": "Search the catalogue and see the sharing and open list.",
    "单证存证": "Documents",
    "全程追溯": "Full-chain trace",
    "数据登记": "Registration",
    "登记申请、审核、公示与异议，登记结果查询和统计季报。": (
        "Applications, review, publicity and objections; the public registry and quarterly statistics."
    ),
    "登记申请": "Registration applications",
    "统计季报": "Statistics",
    "审核队列": "Review queue",
    "登记结果查询": "Public registry",
    "登记公示": "Publicity",
    "公共数据资源登记": "Public data resource registration",
}
