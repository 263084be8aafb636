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

ENGLISH.update(
    {
        # portal home, verification, footer (门户首页、核验服务、页脚)
        "物流公共数据目录、共享开放、资源登记与单证存证核验的一站式门户。": (
            "One portal for the logistics public data catalogue, shar"
            "ing and opening, registration and document verification."
        ),
        "检索": "Search",
        "检索数据资源": "Search data resources",
        "检索数据资源，如：港口、班列、运价": "Search data resources, e.g. port, freight train, freight rate",
        "进入工作台": "Go to my dashboard",
        "开放数据集": "Open datasets",
        "存证单证": "Notarized documents",
        "开放数据精选": "Featured open data",
        "共 {n} 条记录": "{n} rows",
        "更新于": "updated",
        "暂无开放数据": "No open data yet",
        "精选开放数据记录数": "Rows of the featured open data",
        "已发布资源的分类分布": "Published resources by category",
        "当前没有公示中的登记": "No registration is in publicity now",
        "查看全部公示": "All publicity",
        "登记公告": "Registration notices",
        "撤销公告": "Revocation notice",
        "注销公告": "Cancellation notice",
        "暂无公告": "No notices",
        "核验服务": "Verification",
        "登记证书编码": "Certificate code",
        "如：DJR-2026-00000000-0": "e.g. DJR-2026-00000000-0",
        "核验证书": "Verify the certificate",
        "扫描单证或证书上的二维码，即可打开其核验页面。": (
            "Scan the QR code on a document or certificate to open its verification page."
        ),
        "上传文件核验单证": "Verify a document by its file",
        "核验单证是否与存证版本一致，或核验登记证书是否有效。": (
            "Check that a document matches its notarized vers"
            "ion, or that a registration certificate is valid."
        ),
        "上传的文件仅用于计算摘要并比对存证记录，平台不保存文件。": (
            "The file is only hashed and compared with the notarized records; the platform keeps no copy."
        ),
        "选择文件": "Choose files",
        "按编码核验登记证书": "Verify a certificate by its code",
        "单证和证书上的二维码指向各自的核验页面，用手机扫描即可打开。": (
            "The QR codes on documents and certificates lead to"
            " their verification pages: scan them with a phone."
        ),
        "运营单位": "Operator",
        "联系方式": "Contact",
        "使用帮助": "Help",
        "接口指南": "API guide",
        "ICP备案号": "ICP filing number",
        # navigation groups (菜单分组)
        "物流追溯": "Logistics trace",
        "系统管理": "Administration",
        "分级审核": "Grading review",
        "辖区运单": "Waybills in the jurisdiction",
        "辖区单证": "Documents in the jurisdiction",
        # dashboard and to-do lists (工作台、待办事项)
        "待办事项": "To do",
        "暂无待办事项": "Nothing to do",
        "分级审核结论": "Grading decisions",
        "确认分级": "Grade approved",
        "调整分级": "Grade changed",
        "辖区监管": "Supervision of the jurisdiction",
        "查看辖区内主体的运单和存证单证。": (
            "See the waybills and notarized documents of the parties in your jurisdiction."
        ),
        "待核验主体": "Parties to verify",
        "待审核分级": "Grades to review",
        "待纳入清单的新发布资源": "Resources published since the last list version",
        "待受理申请": "Applications to accept",
        "待审核申请": "Applications under review",
        "异议待复核": "Objections to review",
        "三日内到期事项": "Deadlines due within three days",
        "已超期事项": "Overdue steps",
        "待发布的资源草稿": "Draft resources to publish",
        "待补正的登记申请": "Applications to supplement",
        "公示中的登记申请": "Applications in publicity",
        "收到的分级审核结论": "Grading decisions received",
        "本单位存证单证": "My party's notarized documents",
        "待报送的年度经营情况报告": "Annual price and operation reports to send",
        # jurisdiction views (辖区监管)
        "辖区": "Jurisdiction",
        "托运人、收货人或承运人在辖区内登记的多式联运“一单制”运单，只读。": (
            "Multimodal waybills whose consignor, consignee or ca"
            "rrier is registered in the jurisdiction (read only)."
        ),
        "辖区内登记主体存证的单证，只读。": (
            "Documents notarized by the parties registered in the jurisdiction (read only)."
        ),
        "运单号": "Waybill number",
        "运单状态": "Waybill status",
        "运段": "Legs",
        "更新时间": "Updated",
        "单证名称": "Document",
        "单证名称或编号": "Document title or reference",
        "存证主体": "Notarized by",
        "核验页面": "Verification page",
        # help (使用帮助)
        "按您的身份找到要办的事。": "Find what you do on the platform by who you are.",
        "社会公众": "The public",
        "检索数据资源目录": "Search the data resource catalogue",
        "预览和下载无条件开放的数据": "preview and download the unconditionally open data",
        "查询登记结果": "Search the registry",
        "在公示期内对登记提出异议": "object to a registration during its publicity",
        "核验单证和登记证书": "Verify documents and registration certificates",
        "在数据资源目录中编目、上传数据并发布。": "Catalogue resources, upload their data and publish them.",
        "提交公共数据资源登记申请，按要求补正材料。": (
            "File registration applications and supplement the materials when asked."
        ),
        "在工作台查看分级审核结论。": "Read the grading decisions on your dashboard.",
        "数据主管部门与登记机构": "Data authority and registration authority",
        "在工作台查看待办事项：待核验主体、待受理申请、到期和超期事项、异议。": (
            "Your dashboard lists what waits: parties to verify, app"
            "lications to accept, due and overdue steps, objections."
        ),
        "审核数据资源分级，发布共享开放清单。": (
            "Review the grades of data resources and publish the sharing and open list."
        ),
        "查看辖区内的运单和存证单证。": "See the waybills and documents of your jurisdiction.",
        "物流企业": "Logistics companies",
        "签发和交接多式联运“一单制”运单，跟踪“一箱制”集装箱。": (
            "Issue and hand over multimodal waybills (one waybill) and follow containers (one container)."
        ),
        "对单证存证，供上下游和金融机构核验。": "Notarize documents for partners and banks to verify.",
        # API guide (接口指南)
        "平台的全部功能都可以通过接口调用，本页说明调用方法；逐个接口的字段说明见登录后的接口文档。": (
            "Everything on the platform can be done through th"
            "e API; this page explains how. The fields of each "
            "endpoint are in the API docs after login."
        ),
        "一、身份认证": "1. Authentication",
        "登录后在“系统管理 → 访问令牌”中创建令牌，调用时在请求头中携带：": (
            "After login, create a token under Administration → API tokens and send it in a request header:"
        ),
        "令牌代表创建它的用户及其所属主体，权限与该用户在页面上的权限相同；令牌可随时撤销。": (
            "A token acts for the user who created it and their party, with the same rights as on the pages; "
            "it can be revoked at any time."
        ),
        "二、地址与格式": "2. Addresses and formats",
        (
            "接口地址以 /api/v1 开头，请求和响应均为 JSO"
            "N，时间采用带时区的标准格式（平台页面按北京时间显示）。"
        ): (
            "Endpoints start with /api/v1; requests and respo"
            "nses are JSON; times carry their zone (the pages "
            "show Beijing time)."
        ),
        "列表接口用 limit（每页条数）和 offset（起始位置）分页，响应中的 total 为总条数。": (
            "Lists page with limit and offset; total in the response is the number of items."
        ),
        (
            "出错时返回统一的问题详情：status 为状态码，code 为稳定的错误代码，t"
            "itle 和 detail 说明原因；请求字段不合规时返回 422 并逐项列出。"
        ): (
            "Errors are problem details: status, a stable code"
            ", title and detail; invalid request fields answer "
            "422 with one line each."
        ),
        "三、接口分组": "3. Groups of endpoints",
        "分组": "Group",
        "用途": "Purpose",
        "地址前缀": "Path prefix",
        "主体与用户": "Parties and users",
        "主体实名核验、用户、角色和访问令牌": "Party verification, users, roles and API tokens",
        "资源编目、分类分级、共享开放清单、数据上传与下载": (
            "Cataloguing, classification and grading, the sharing and open list, data upload and download"
        ),
        "登记申请、审核、公示、异议、证书核验和统计": (
            "Applications, review, publicity, objections, certificate verification and statistics"
        ),
        "单证存证、版本和鉴真": "Document notarization, versions and verification",
        "存证账本": "Evidence ledger",
        "签名树头、包含证明和一致性证明，可离线核验": (
            "Signed tree heads, inclusion and consistency proofs, verifiable offline"
        ),
        "多式联运“一单制”": "Multimodal waybills (one waybill)",
        "运单、运段、交接签名和监管链": "Waybills, legs, signed handovers and the chain of custody",
        "集装箱“一箱制”": "Containers (one container)",
        "集装箱信息和使用记录": "Container data and history",
        "物流事件": "Logistics events",
        "按国际通行的物流事件标准采集和查询": (
            "Capture and query by the international logistics event standard"
        ),
        "按运单、集装箱或货物标识追溯全程": "Trace a waybill, a container or goods end to end",
        "四、公开接口": "4. Public endpoints",
        "已发布的目录、无条件开放数据的预览和下载、登记证书核验、单证鉴真和账本证明无需登录即可调用。": (
            "The published catalogue, open data preview and do"
            "wnload, certificate and document verification and "
            "the ledger's proofs need no login."
        ),
        "打开接口文档": "Open the API docs",
        "登录后查看接口文档": "Log in to read the API docs",
    }
)
