"""Page language (界面语言): Chinese first, English on request.

Templates write Chinese and wrap it in ``_()``; :data:`ENGLISH` maps each such string to English.
A test checks that every ``_()`` string in the templates has an English entry.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "logispace_lang"

ENGLISH: dict[str, str] = {
    "物流可信数据空间": "Logistics Trusted Data Space",
    "登录": "Log in",
    "退出": "Log out",
    "用户名": "User name",
    "密码": "Password",
    "工作台": "Dashboard",
    "主体管理": "Parties",
    "用户管理": "Users",
    "访问令牌": "API tokens",
    "账户": "Account",
    "接口文档": "API docs",
    "欢迎": "Welcome",
    "所属主体": "Party",
    "角色": "Roles",
    "实名认证": "Real-name verification",
    "已认证": "Verified",
    "未认证": "Unverified",
    "未通过": "Rejected",
    "新建主体": "New party",
    "名称": "Name",
    "主体类型": "Party type",
    "统一社会信用代码": "Unified social credit code",
    "法人": "Legal person",
    "是": "Yes",
    "否": "No",
    "联系人": "Contact",
    "联系电话": "Phone",
    "电子邮箱": "Email",
    "地址": "Address",
    "创建": "Create",
    "保存": "Save",
    "查看": "View",
    "搜索": "Search",
    "全部": "All",
    "共 {n} 条": "{n} in all",
    "上一页": "Previous",
    "下一页": "Next",
    "认证结论": "Decision",
    "通过": "Verify",
    "不通过": "Reject",
    "核验方式": "Method",
    "备注": "Note",
    "认证记录": "Verification history",
    "决定人": "Decided by",
    "时间": "Time",
    "状态": "Status",
    "新建用户": "New user",
    "显示名": "Display name",
    "启用": "Active",
    "停用": "Disabled",
    "最近登录": "Last login",
    "令牌名称": "Token name",
    "有效天数": "Valid for (days)",
    "前缀": "Prefix",
    "创建时间": "Created",
    "到期时间": "Expires",
    "最近使用": "Last used",
    "吊销": "Revoke",
    "有效": "Active",
    "已过期": "Expired",
    "已吊销": "Revoked",
    "新令牌只显示这一次，请立即复制保存。": "The new token is shown only this once: copy it now.",
    "新建令牌": "New token",
    "修改密码": "Change password",
    "当前密码": "Current password",
    "新密码": "New password",
    "密码已修改。": "Password changed.",
    "出错了": "Something went wrong",
    "返回工作台": "Back to the dashboard",
    "追踪编号": "Trace id",
    "数据目录、登记、授权运营与交易将在这里汇总。": (
        "The catalogue, registration, authorized operation and trading will be summarised here."
    ),
    "您的主体": "Your party",
    "暂无数据": "Nothing here yet",
    "从未": "Never",
    "演示账号": "Demo logins",
    "数据主管部门": "Data authority",
    "登记机构": "Registration authority",
    "党政机关": "Public agency",
    "事业单位": "Public institution",
    "公用企事业单位": "Public utility",
    "企业": "Enterprise",
    "金融机构": "Financial institution",
    "其他组织": "Other organization",
    "主管部门管理员": "Authority administrator",
    "审核员": "Reviewer",
    "主体管理员": "Party administrator",
    "数据管理员": "Data steward",
    "数据分析员": "Analyst",
    "让物流数据可信流通，降低全社会物流成本": (
        "Trusted circulation of logistics data, to lower the cost of logistics"
    ),
    "用户名或密码错误": "User name or password is wrong",
    "登录失败次数过多，账户已临时锁定，请稍后再试。": (
        "Too many failed logins: the account is locked for a while. Try again later."
    ),
    "已保存。": "Saved.",
    "本单位": "My party",
    # documents (单证存证与鉴真)
    "单证存证": "Documents",
    "本单位签名存证的单证：只保存文件的哈希值，不保存文件本身。": (
        "Documents your party signed and notarized: only their hashes are kept, never the files."
    ),
    "标题": "Title",
    "单证编号": "Reference",
    "版本": "Version",
    "签名时间": "Signed at",
    "签名存证": "Sign and notarize",
    "文件": "File",
    "默认为文件名": "Defaults to the file name",
    "作为新版本加入": "Add as a new version of",
    "新单证": "A new document",
    "真实": "Authentic",
    "篡改": "Tampered",
    "未知": "Unknown",
    "文件与已存证的版本一致。": "The file matches a notarized version.",
    "文件与本单证的任何已存证版本都不一致：可能已被篡改。": (
        "The file matches none of this document's notarized versions: it may have been tampered with."
    ),
    "没有找到与该文件一致的存证。": "No notarized document matches this file.",
    "签名主体": "Signer",
    "已被新版本取代": "Superseded by a later version",
    "签名验证": "Signature",
    "有效签名": "Valid",
    "无效签名": "Invalid",
    "验证失败": "Failed",
    "存证序号": "Ledger index",
    "账本包含证明": "Ledger inclusion proof",
    "已验证": "Verified",
    "树大小": "tree size",
    "签发主体": "Issuer",
    "扫码打开本页核验": "Scan to open this page and verify",
    "密钥": "key",
    "当前版本": "Current version",
    "核验文件": "Verify a file",
    "选择要核验的文件": "File to verify",
    "核验": "Verify",
}

PARTY_TYPE_LABELS = {
    "data_authority": "数据主管部门",
    "registration_authority": "登记机构",
    "public_agency": "党政机关",
    "public_institution": "事业单位",
    "public_utility": "公用企事业单位",
    "enterprise": "企业",
    "financial_institution": "金融机构",
    "other_organization": "其他组织",
}
ROLE_LABELS = {
    "authority_admin": "主管部门管理员",
    "reviewer": "审核员",
    "party_admin": "主体管理员",
    "data_steward": "数据管理员",
    "analyst": "数据分析员",
}
STATUS_LABELS = {
    "unverified": "未认证",
    "verified": "已认证",
    "rejected": "未通过",
    "active": "有效",
    "expired": "已过期",
    "revoked": "已吊销",
}


def translator(language: str) -> Callable[..., str]:
    """The ``_()`` of a page: Chinese as written, or its English entry; ``{name}`` fields filled."""

    def translate(text: str, **fields: object) -> str:
        out = ENGLISH.get(text, text) if language == "en" else text
        return out.format(**fields) if fields else out

    return translate


def pick_language(cookie_value: str | None) -> str:
    return cookie_value if cookie_value in LANGUAGES else DEFAULT_LANGUAGE
