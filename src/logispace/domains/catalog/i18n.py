"""English and code labels of the catalogue pages (数据资源目录)."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "共享依据": "Sharing basis",
    "开放依据": "Opening basis",
    "联系邮箱": "Contact email",
    "数据目录": "Data catalogue",
    "数据资源目录": "Data resource catalogue",
    "共享开放清单": "Sharing and open list",
    "检索数据资源：中英文关键词，支持同义词与部分词。": (
        "Search data resources in Chinese or English; synonyms and partial words match."
    ),
    "输入关键词，如 货车、集装箱、waybill": "Keywords, e.g. 货车, 集装箱, waybill",
    "共 {n} 个资源": "{n} resources",
    "约 {n} 个资源": "About {n} resources",
    "排序": "Sort",
    "相关度": "Relevance",
    "最近更新": "Recently updated",
    "筛选": "Filters",
    "清除筛选": "Clear filters",
    "移除": "Remove",
    "没有找到匹配的数据资源。": "No data resource matches.",
    "数据分类": "Category",
    "数据分级": "Grade",
    "共享类型": "Sharing type",
    "开放类型": "Open type",
    "数据持有方": "Holder",
    "更新频率": "Update frequency",
    "本单位草稿": "Drafts you may see",
    "草稿只对持有方和数据主管部门可见，不参与检索。": (
        "Drafts are seen only by their holder and the data authority, and are not searched."
    ),
    "更新超期": "Overdue",
    "统一目录标识": "Catalogue code",
    "资源状态": "Status",
    "草稿": "Draft",
    "已发布": "Published",
    "已撤回": "Withdrawn",
    "自然属性": "Natural attributes",
    "法律属性": "Legal attributes",
    "价值属性": "Value attributes",
    "描述": "Description",
    "数据规模": "Data scale",
    "记录数": "Records",
    "关键词": "Keywords",
    "主题": "Theme",
    "空间范围": "Spatial coverage",
    "时间范围": "Temporal coverage",
    "权利类型": "Right type",
    "权利期限": "Right term",
    "数据质量": "Data quality",
    "所属行业": "Industry",
    "应用场景": "Application scenarios",
    "一数一源": "One item, one source",
    "数据项": "Data item",
    "权威来源": "Authoritative source",
    "本资源为权威来源": "This resource is the authoritative source",
    "派生自": "Derived from",
    "分类分级": "Classification and grading",
    "资源级别": "Resource grade",
    "最高共享": "Most open sharing",
    "最高开放": "Most open opening",
    "分级依据": "Grading basis",
    "数据结构": "Structure",
    "字段名": "Field",
    "中文名": "Chinese name",
    "类型": "Type",
    "字段级别": "Field grade",
    "同资源级别": "as the resource",
    "共享与开放": "Sharing and opening",
    "共享条件": "Sharing conditions",
    "开放条件": "Open conditions",
    "依据": "Legal basis",
    "数据分发与版本": "Distributions and versions",
    "行数": "Rows",
    "大小": "Size",
    "格式": "Format",
    "编码": "Encoding",
    "结构变化": "Schema drift",
    "无变化": "No change",
    "新增字段": "Added",
    "删除字段": "Removed",
    "类型变化": "Retyped",
    "上传时间": "Uploaded",
    "尚未上传数据。": "No data uploaded yet.",
    "数据预览": "Data preview",
    "前 {n} 行，共 {total} 行": "First {n} of {total} rows",
    "下载 CSV": "Download CSV",
    "下载 Parquet": "Download Parquet",
    "数据更新已超期：按声明的更新频率，应在 {since} 前更新。": (
        "The data is overdue: by its declared update frequency it was due before {since}."
    ),
    "最近数据更新": "Data last updated",
    "发布时间": "Published",
    "撤回原因": "Withdrawal reason",
    "修订次数": "Revision",
    "元数据": "Metadata",
    "持有方操作": "Holder actions",
    "发布": "Publish",
    "发布后统一目录标识不再改变，并写入存证账本。": (
        "Once published, the catalogue code never changes and the step is written to the ledger."
    ),
    "撤回": "Withdraw",
    "撤回后资源仍保留记录，不再出现在检索和清单中。": (
        "A withdrawn resource stays on record but leaves search and the list."
    ),
    "已发布。": "Published.",
    "已撤回。": "Withdrawn.",
    "清单版本": "List versions",
    "物流公共数据共享开放清单": "Logistics public data sharing and open list",
    "默认以发布单位命名": "named after the publisher when left empty",
    "清单是已发布目录的版本化快照，每个版本记录新增、变更和移出的资源。": (
        "The list is a versioned snapshot of the published catalogue; each version records the "
        "resources it added, changed and removed."
    ),
    "发布新版本": "Publish a new version",
    "发布时以当前已发布的目录生成新版本。": "A new version is made from the catalogue as published now.",
    "发布人": "Published by",
    "资源数": "Resources",
    "新增": "Added",
    "变更": "Changed",
    "移出": "Removed",
    "未变": "Unchanged",
    "清单条目": "Entries",
    "与上一版本相比": "Against the previous version",
    "首个版本": "First version",
    "共享情况通报": "Sharing report",
    "登录后查看共享情况通报。": "Log in to see the sharing report.",
    "清单资源数": "Listed",
    "无条件共享": "Shared unconditionally",
    "有条件共享": "Shared conditionally",
    "不予共享": "Not shared",
    "无条件开放": "Opened unconditionally",
    "有条件开放": "Opened conditionally",
    "不予开放": "Not opened",
    "变化": "Change",
    "数据资源": "Data resources",
    "检索目录、查看共享开放清单。": "Search the catalogue and see the sharing and open list.",
    "实时": "Real time",
    "每小时": "Hourly",
    "每日": "Daily",
    "每周": "Weekly",
    "每月": "Monthly",
    "每季度": "Quarterly",
    "每年": "Yearly",
    "不定期": "Irregular",
    "不更新": "Static",
    "数据资源持有权": "Right to hold the data resource",
    "数据加工使用权": "Right to process and use the data",
    "数据产品经营权": "Right to operate data products",
    "DCAT 元数据": "DCAT metadata",
    "版本说明": "Note",
    "编辑元数据": "Edit metadata",
    "编辑": "Edit",
    "取消": "Cancel",
    "多个值用逗号或顿号分隔": "Separate several values with commas or 、",
    "统一目录标识不会改变。": "The catalogue code never changes.",
    "联系人姓名": "Contact name",
    # publishing a resource: the new-resource form, uploads, the structure, the confirmation
    "{n} 个字段": "{n} fields",
    "上传中断，已完成 {percent}%。检查网络后点击“继续上传”。": (
        "The upload was interrupted at {percent}%. Check the network, then click “Resume upload”."
    ),
    "上传完成，正在读取数据并生成新版本…": "Upload complete; reading the data and making the new version…",
    "上传数据": "Upload data",
    "上传新版本": "Upload a new version",
    "上传未被接受：文件超过大小限制，或当前状态下不能上传。": (
        "The upload was not accepted: the file is over the size limit, or the resource takes no upload now."
    ),
    "不予共享或不予开放须写明法律、行政法规或国家政策依据。": (
        "Not sharing or not opening must cite a law, an administrative regulation or a national policy."
    ),
    "二进制": "Binary",
    "从 {percent}% 处继续上传": "Resuming the upload from {percent}%",
    "从业人员：从业资格、船员等数据，清单要求加强归集共享。": (
        "Practitioners: qualifications, seafarers and the like; the list asks for more collection and sharing"
        "."
    ),
    "价格：运价、收费、物流价格指数数据，清单要求加大开放力度。": (
        "Prices: freight rates, charges and logistics price indices; the list asks for more opening."
    ),
    "企业资质：经营许可、企业信用等数据，清单要求加强归集共享。": (
        "Enterprise qualifications: operating licences, enterprise credit and the like; the list asks for mor"
        "e collection and sharing."
    ),
    "保存草稿，下一步上传数据": "Save the draft, then upload data",
    "共 {n} 个版本，最新为第 {v} 版，{rows} 行": "{n} versions; the newest is version {v} with {rows} rows",
    "分级决定最高可共享、可开放的范围；资源分级不得低于其中最敏感字段的分级。": (
        "The grade sets the most open sharing and opening allowed; a resource is graded at least as high as i"
        "ts most sensitive field."
    ),
    "发布后任何人可在线预览和下载数据。": "Once published anyone may preview and download the data.",
    "发布后统一目录标识不再改变，并写入存证账本。发布前将请您核对。": (
        "Once published the catalogue code never changes and the step is written to the ledger. You will chec"
        "k everything first."
    ),
    "可在线预览和下载": "Preview and download online",
    "基础设施：物流枢纽、港口码头、货运场站、仓储设施等数据，清单要求加大开放力度。": (
        "Infrastructure: logistics hubs, ports, freight yards, warehouses and the like; the list asks for mor"
        "e opening."
    ),
    "填写目录信息": "Describe the resource",
    "多式联运单证：一单制、一箱制相关单证数据。": (
        "Multimodal transport documents: the single-waybill and single-container documents."
    ),
    "大文件分块上传，网络中断后可从中断处继续；单个文件最大 {size}。": (
        "Large files go up in chunks and resume where a network failure stopped them; at most {size} a file."
    ),
    "字段取自上传的数据；请为每个字段填写中文名和说明，字段名和类型随数据而定。": (
        "The fields come from the uploaded data; give each a Chinese name and a description. Names and types "
        "follow the data."
    ),
    "字段数": "Fields",
    "尚未上传": "Not uploaded yet",
    "尚未上传数据，上传后字段将从数据中取得。": (
        "No data uploaded yet; the fields are taken from the data once it is uploaded."
    ),
    "尚未上传数据：上传后字段将从数据中取得。": (
        "No data uploaded yet: the fields are taken from the data once it is uploaded."
    ),
    "尚未上传数据：发布后目录中将显示为暂无数据。建议先上传数据。": (
        "No data uploaded yet: once published the catalogue will show it without data. Upload the data first."
    ),
    "已上传数据": "Data uploaded",
    "已有版本": "Versions so far",
    "待填写中文名": "Chinese name to fill in",
    "所选类型超出该数据分级允许的最高共享或开放范围。": "The chosen type is more open than the grade allows.",
    "按共享开放清单的分类选择，可选大类或其下的小类。": (
        "Choose by the categories of the sharing and open list: a main category or one of its sub-categories."
    ),
    "数值": "Number",
    "数据已上传，成为新版本；数据结构已从数据中取得。": (
        "The data is uploaded as a new version; its structure is taken from the data."
    ),
    "数据文件": "Data file",
    "数据未能入库：文件内容无法读取或格式不受支持，请检查后重新上传。": (
        "The data was not stored: the file cannot be read or its format is not supported. Check it and upload"
        " again."
    ),
    "数据版本": "Data versions",
    "整数": "Integer",
    "文本": "Text",
    "新建数据资源": "New data resource",
    "日期": "Date",
    "日期时间": "Date and time",
    "是否": "Yes or no",
    "有 {n} 个字段尚未填写中文名。": "{n} fields have no Chinese name yet.",
    "有数据，需申请使用": "Data available on request",
    "有条件共享或开放须写明范围、用途和条件。": (
        "Conditional sharing or opening must state its scope, use and conditions."
    ),
    "核心数据不得共享。": "Core data is never shared.",
    "核心数据不得开放。": "Core data is never opened.",
    "正在上传：已完成 {percent}%": "Uploading: {percent}% done",
    (
        "每次上传成为一个新版本；字段从数据中取得。"
        "支持 CSV、XLSX、JSONL（每行一个 JSON 对象）和 Parquet 文件。"
    ): (
        "Each upload becomes a new version; the fields come from the data. CSV, XLSX, JSON Lines and Parquet "
        "files."
    ),
    "确认发布": "Confirm publishing",
    "空间位置": "Geometry",
    "第一步：填写目录信息并保存为草稿；第二步：上传数据；第三步：核对数据结构后确认发布。": (
        "Step 1: describe the resource and save a draft; step 2: upload the data; step 3: check the structure"
        " and confirm publishing."
    ),
    "继续上传": "Resume upload",
    "编辑数据结构": "Edit the structure",
    "草稿已保存。下一步：上传数据。": "Draft saved. Next: upload the data.",
    "请核对以下信息。发布后资源进入目录检索，统一目录标识不再改变，发布记录写入存证账本。": (
        "Check the following. Once published the resource is searchable, its catalogue code never changes and"
        " the step is written to the ledger."
    ),
    "资源分级不得低于其字段的最高分级。": (
        "A resource is graded at least as high as its most sensitive field."
    ),
    "路网：路况通行、收费公路等数据，要求扩大数据供给。": (
        "Road network: traffic status, toll roads and the like; supply is to be widened."
    ),
    "车船注册：营运车辆、船舶、集装箱等登记数据，清单要求加强归集共享。": (
        "Vehicle and vessel registration: commercial vehicles, vessels, containers; the list asks for more co"
        "llection and sharing."
    ),
    "轨迹：车辆、船舶轨迹和货物追踪数据，要求扩大数据供给。": (
        "Trajectories: vehicle and vessel tracks and cargo tracking; supply is to be widened."
    ),
    "运力：公路、铁路、水路、航空运力数据，清单要求加大开放力度。": (
        "Transport capacity: road, rail, waterway and air; the list asks for more opening."
    ),
    "返回": "Back",
    "返回修改": "Back to edit",
    "通关物流：报关单、舱单、查验放行等数据，清单要求加强归集共享。": (
        "Customs logistics: declarations, manifests, inspection and release; the list asks for more collectio"
        "n and sharing."
    ),
    "没有权限执行此操作。": "You may not do this.",
    "当前状态下不能执行此操作。": "This is not possible in the current state.",
    "文件超过大小限制。": "The file is over the size limit.",
    "不支持的文件格式：请上传 CSV、XLSX、JSON Lines 或 Parquet 文件。": (
        "Unsupported format: upload a CSV, XLSX, JSON Lines or Parquet file."
    ),
    "文件内容无法读取：请检查编码、表头和每行的列数。": (
        "The file cannot be read: check its encoding, header and the number of columns of each row."
    ),
    "填写的内容不符合要求。": "Some input is not valid.",
    "操作未完成。": "Not done.",
}

CATALOG_LABELS: dict[str, dict[str, str]] = {
    "field_type": {
        "string": "文本",
        "integer": "整数",
        "decimal": "数值",
        "boolean": "是否",
        "date": "日期",
        "datetime": "日期时间",
        "geometry": "空间位置",
        "binary": "二进制",
    },
    "status": {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"},
    "sharing_type": {"unconditional": "无条件共享", "conditional": "有条件共享", "not_shared": "不予共享"},
    "open_type": {"unconditional": "无条件开放", "conditional": "有条件开放", "not_opened": "不予开放"},
    "frequency": {
        "realtime": "实时",
        "hourly": "每小时",
        "daily": "每日",
        "weekly": "每周",
        "monthly": "每月",
        "quarterly": "每季度",
        "yearly": "每年",
        "irregular": "不定期",
        "static": "不更新",
    },
    "right_type": {
        "resource_holding": "数据资源持有权",
        "processing_use": "数据加工使用权",
        "product_operation": "数据产品经营权",
    },
    "change": {"added": "新增", "changed": "变更", "unchanged": "未变", "removed": "移出"},
    "category_help": {
        "ENT": "企业资质：经营许可、企业信用等数据，清单要求加强归集共享。",
        "PRAC": "从业人员：从业资格、船员等数据，清单要求加强归集共享。",
        "VEH": "车船注册：营运车辆、船舶、集装箱等登记数据，清单要求加强归集共享。",
        "CUS": "通关物流：报关单、舱单、查验放行等数据，清单要求加强归集共享。",
        "INFRA": "基础设施：物流枢纽、港口码头、货运场站、仓储设施等数据，清单要求加大开放力度。",
        "CAP": "运力：公路、铁路、水路、航空运力数据，清单要求加大开放力度。",
        "PRICE": "价格：运价、收费、物流价格指数数据，清单要求加大开放力度。",
        "ROAD": "路网：路况通行、收费公路等数据，要求扩大数据供给。",
        "TRACK": "轨迹：车辆、船舶轨迹和货物追踪数据，要求扩大数据供给。",
        "MULTI": "多式联运单证：一单制、一箱制相关单证数据。",
    },
    "rule": {
        "grade-below-fields": "资源分级不得低于其字段的最高分级。",
        "core-data-not-shareable": "核心数据不得共享。",
        "core-data-not-openable": "核心数据不得开放。",
        "grade-ceiling-exceeded": "所选类型超出该数据分级允许的最高共享或开放范围。",
        "conditions-required": "有条件共享或开放须写明范围、用途和条件。",
        "basis-required": "不予共享或不予开放须写明法律、行政法规或国家政策依据。",
    },
    "field": {
        "name": "名称",
        "description": "描述",
        "category": "数据分类",
        "grade": "数据分级",
        "update_frequency": "更新频率",
        "data_scale": "数据规模",
        "data_quality": "数据质量",
        "keywords": "关键词",
        "application_scenarios": "应用场景",
        "sharing_type": "共享类型",
        "sharing_conditions": "共享条件",
        "sharing_basis": "共享依据",
        "open_type": "开放类型",
        "open_conditions": "开放条件",
        "open_basis": "开放依据",
        "contact_name": "联系人姓名",
        "contact_phone": "联系电话",
        "contact_email": "电子邮箱",
        "title": "中文名",
        "fields": "数据结构",
        "reason": "撤回原因",
    },
    "facet": {
        "category": "数据分类",
        "grade": "数据分级",
        "sharing_type": "共享类型",
        "open_type": "开放类型",
        "holder": "数据持有方",
        "frequency": "更新频率",
    },
}
"""Labels of the catalogue's codes (数据资源目录), by kind; each label has its English entry."""

FIELD_LABELS: dict[str, str] = {
    **{name: label for name, label in CATALOG_LABELS["field"].items() if name != "fields"},
    # where the page forms name a field otherwise than the resource's metadata does
    "contact_email": "联系邮箱",
    "reason": "理由",
    "title": "标题",
    "note": "备注",
}
"""The Chinese name of each field of this domain's page forms (for the page that refuses one)."""
ENGLISH.update(
    {
        # field types (字段类型)
        "文本": "Text",
        "整数": "Integer",
        "小数": "Decimal",
        "是否": "Yes or no",
        "日期": "Date",
        "日期时间": "Date and time",
        "空间位置": "Geometry",
        "二进制": "Binary",
        # grading review (分级审核)
        "分级审核": "Grading review",
        "对已发布数据资源的分级进行确认或调整，并说明理由；审核结论记入存证，持有方可查看。": (
            "Approve or change the grade of published data res"
            "ources with a reason; each decision is notarized "
            "and shown to the holder."
        ),
        "待审核资源 {n} 个": "{n} resources to review",
        "资源名称": "Resource",
        "目录编码": "Catalogue code",
        "当前分级": "Current grade",
        "审核": "Review",
        "暂无待审核资源": "Nothing to review",
        "审核结论已保存并存证。": "The decision is saved and notarized.",
        "审核结论": "Decision",
        "分级": "Grade",
        "维持当前分级": "keep the current grade",
        "审核理由": "Reasons",
        "提交审核结论": "Submit the decision",
        "审核记录": "Decisions",
        "审核时间": "Decided at",
        "结论": "Outcome",
        "原分级": "Previous grade",
        "审核后分级": "Grade decided",
        "审核单位": "Decided by",
        "确认分级": "Grade approved",
        "调整分级": "Grade changed",
        "尚未审核": "Not reviewed yet",
    }
)
