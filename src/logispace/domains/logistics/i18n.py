"""English and code labels of the trace pages (全程追溯)."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "全程追溯": "Full-chain trace",
    "输入运单号、集装箱箱号或 EPC": "Waybill number, container number or EPC",
    "查询": "Trace",
    "按运单号、箱号或 EPC 查询全程轨迹：区段、交接、单证核验、位置与状态；只显示本单位可见的记录。": (
        "Trace goods by waybill number, container number or EPC: legs, handovers, document verdicts, "
        "current position and status. Only what your party may see is shown."
    ),
    "没有找到可见的运单、集装箱或追溯记录。": "No waybill, container or trace record that you may see.",
    "运单": "Waybill",
    "集装箱": "Container",
    "托运人": "Consignor",
    "收货人": "Consignee",
    "签发": "Issued",
    "关闭": "Closed",
    "单证链核验": "Chain of custody",
    "当前位置": "Current position",
    "最新状态": "Latest status",
    "暂无定位": "No position yet",
    "暂无事件": "No event yet",
    "运输时间线": "Timeline",
    "第 {n} 段": "Leg {n}",
    "承运人": "Carrier",
    "起止": "From / to",
    "运输工具": "Means",
    "开始": "Started",
    "结束": "Ended",
    "进行中": "Under way",
    "未开始": "Not started",
    "交接": "Handover",
    "交接地点": "Handover point",
    "交接单证": "Handover document",
    "事件": "Events",
    "{n} 条事件": "{n} events",
    "区段外事件": "Events outside the legs",
    "签发后起运前、交付后关闭前的事件。": "Events after issue and before pick-up, or after delivery.",
    "事件时间": "Event time",
    "业务步骤": "Business step",
    "地点": "Place",
    "采集方": "Captured by",
    "运单单证": "Waybill documents",
    "序号": "No.",
    "环节": "Step",
    "核验结论": "Verdict",
    "单证": "Document",
    "打开": "Open",
    "装载": "Loaded",
    "卸载": "Unloaded",
    "相关运单": "Waybills",
    "区段": "Legs",
    "最近事件": "Latest events",
    "只显示最近 {n} 条。": "Only the latest {n} are shown.",
    "来自 EPCIS 事件的运输区段。": "Legs from the EPCIS events.",
    "全部事件": "All events",
    "缺失": "Missing",
    "公路": "Road",
    "铁路": "Rail",
    "水路": "Water",
    "航空": "Air",
    "其他": "Other",
    "已签发": "Issued",
    "在途": "In transit",
    "已交付": "Delivered",
    "已关闭": "Closed",
    "已作废": "Cancelled",
    "延误": "Delayed",
    "货损": "Damaged",
    "拒收": "Refused",
    "交付": "Deliver",
    "作废": "Cancel",
    "使用状态": "In use",
    "供应链金融贸易真实性核验": "Trade authenticity check for supply-chain finance",
    "共 {n} 个集装箱": "{n} containers",
    "共 {n} 票运单": "{n} waybills",
    "共享": "Share",
    "共享单位": "Shared by",
    "共享对象": "Shared with",
    "共享对象统一社会信用代码": "Unified social credit code of the party to share with",
    "共享截止日期": "Shared until (date)",
    "共享期限": "Shared for",
    "共享运单": "Share this waybill",
    "再次交付": "Redeliver",
    "单证链与存证版本不一致": "The chain of custody does not match the notarized versions",
    "单证链真实完整": "The chain of custody is authentic and complete",
    "地点代码": "Place code",
    (
        "多式联运“一单制”：本单位作为托运人、收货人、承运人或制单方的运单，点击运单号查看全程追溯与单证核验。"
    ): (
        "Multimodal one-waybill shipments (一单制) your party ships, receives, carries or drafted; "
        "open a number for its full-chain trace and document checks."
    ),
    (
        "将本运单的全程追溯和单证链共享给指定单位（如融资银行）在期限内"
        "查阅，用于贸易真实性核验；可随时撤销，授权和撤销均记入存证账本。"
    ): (
        "Let a named party (such as the bank financing the trade) read this waybill's full-chain "
        "trace and chain of custody for a period, to check that the trade is real; revocable at "
        "any time, and both the share and its revocation are written to the evidence ledger."
    ),
    "已到期或未开始": "Ended or not yet started",
    "当前运单": "Current waybill",
    "恢复": "Resume",
    "我的运单": "My waybills",
    "我的集装箱": "My containers",
    "截止日期": "To (date)",
    (
        "托运人等单位共享给本单位的运单：逐票核验单证链是否完整、签名是否"
        "有效、是否与存证账本一致，用于供应链金融业务的真实贸易背景审查。"
    ): (
        "Waybills that shippers and others shared with your party: each chain of custody is "
        "checked for completeness, valid signatures and agreement with the evidence ledger, for "
        "the trade background review of supply-chain finance."
    ),
    "撤销": "Revoke",
    "更新时间": "Updated",
    "最近运单": "Latest waybill",
    "期限": "Period",
    "本单位登记": "Registered by us",
    "没有符合条件的运单。": "No waybill matches.",
    "没有符合条件的集装箱。": "No container matches.",
    "清除条件": "Clear filters",
    "物流服务": "Logistics services",
    "用途": "Purpose",
    "目前没有共享给本单位的运单。": "No waybill is shared with your party now.",
    "目的地": "Destination",
    "空闲": "Idle",
    "签收": "Accept",
    "箱号": "Container number",
    "箱号或其开头": "Container number or its beginning",
    "箱型": "Size and type",
    "纬度": "Latitude",
    "线路": "Route",
    "线路与轨迹": "Route and track",
    "线路与轨迹图：按经纬度绘制各运输区段的定位轨迹和当前位置": (
        "Route and track chart: the GPS track of each leg and the current position by longitude and latitude"
    ),
    "经度": "Longitude",
    "装箱时间": "Loaded on",
    "贸易真实性核验": "Trade authenticity check",
    "起始日期": "From (date)",
    "起运": "Pick up",
    "起运地": "Origin",
    "运单号": "Waybill number",
    "运单状态": "Waybill status",
    "运单草稿": "Draft",
    "运输方式": "Mode",
    "集装箱“一箱制”：本单位登记的箱子和在本单位运单上运输过的箱子，点击箱号查看全程轨迹。": (
        "One-container shipments (一箱制): the containers your party registered and those that "
        "travelled on your waybills; open a number for its full-chain track."
    ),
    "单证链与存证账本不符": "The chain of custody does not match the ledger",
    "与账本核对发现以下问题；恢复运单流转记录之前，本运单不能继续操作。": (
        "Checking against the ledger found the following; no action can be taken on this waybill until "
        "its steps are restored."
    ),
    "第 {n} 步": "Step {n}",
    "存证序号 {i}": "ledger entry {i}",
    "账本中已存证，运单流转记录中缺失": "notarized in the ledger, missing from the waybill's steps",
    "运单流转记录中有，账本中没有相应存证": "in the waybill's steps, not notarized in the ledger",
    "顺序与账本存证不一致": "out of its place in the ledger",
    "内容与账本存证不一致": "differs from its ledger entry",
    "运单当前状态不是账本最后一步之后的状态": (
        "the waybill's state is not the state after the last notarized step"
    ),
}

TRACE_LABELS: dict[str, dict[str, str]] = {
    "mode": {"road": "公路", "rail": "铁路", "water": "水路", "air": "航空", "other": "其他"},
    "status": {
        "draft": "草稿",
        "issued": "已签发",
        "in_transit": "在途",
        "delivered": "已交付",
        "closed": "已关闭",
        "cancelled": "已作废",
        "delayed": "延误",
        "damaged": "货损",
        "refused": "拒收",
    },
    "verdict": {"authentic": "真实", "tampered": "篡改", "missing": "缺失"},
    "action": {
        "create": "运单草稿",
        "issue": "签发",
        "cancel": "作废",
        "pick_up": "起运",
        "hand_over": "交接",
        "deliver": "交付",
        "accept": "签收",
        "refuse": "拒收",
        "report_delay": "延误",
        "report_damage": "货损",
        "resume": "恢复",
        "redeliver": "再次交付",
        "close": "关闭",
    },
    "custody_problem": {
        "missing": "账本中已存证，运单流转记录中缺失",
        "extra": "运单流转记录中有，账本中没有相应存证",
        "reordered": "顺序与账本存证不一致",
        "altered": "内容与账本存证不一致",
        "status": "运单当前状态不是账本最后一步之后的状态",
    },
}
"""Labels of the trace pages (全程追溯): transport modes, waybill statuses and verdicts."""

FIELD_LABELS: dict[str, str] = {
    "recipient_uscc": "共享对象统一社会信用代码",
    "purpose": "用途",
    "valid_until": "共享截止日期",
}
"""Chinese names of the logistics page forms' fields (the share form), for a refused field."""
