"""English of the alert pages (异常预警) and Chinese names of their form fields."""

from __future__ import annotations

KIND_LABELS: dict[str, str] = {
    "delay": "运输延误",
    "dwell": "集装箱滞留",
    "gps_silence": "定位中断",
    "temperature": "温度异常",
    "handover_unverified": "交接单证未核验",
    "route_deviation": "偏离计划路线",
}
STATUS_LABELS: dict[str, str] = {"open": "待处理", "acknowledged": "已确认", "resolved": "已解决"}

ENGLISH: dict[str, str] = {
    "异常预警": "Exceptions and alerts",
    (
        "本单位运单上的异常：延误、集装箱滞留、定位中断、温度异常、交接单证未核验、偏离计划路线。"
        "预警按本单位设置的规则在事件到达时研判，确认、指派和解决均记入存证账本。"
    ): (
        "Exceptions on your party's waybills: delays, container dwell, lost GPS, temperature out of range, "
        "unverified handovers and route deviations. Alerts are raised by your party's rules as events "
        "arrive; acknowledging, assigning and resolving are recorded in the ledger."
    ),
    "运输延误": "Delay",
    "集装箱滞留": "Container dwell",
    "定位中断": "GPS lost",
    "温度异常": "Temperature out of range",
    "交接单证未核验": "Handover not verified",
    "偏离计划路线": "Route deviation",
    "待处理": "Open",
    "已确认": "Confirmed",
    "已解决": "Resolved",
    "全部": "All",
    "未解决": "Unresolved",
    "预警类型": "Kind",
    "预警状态": "Status",
    "预警对象": "Subject",
    "发现时间": "Observed",
    "处置": "Handling",
    "确认": "Acknowledge",
    "由我处理": "Assign to me",
    "解决": "Resolve",
    "处理说明": "Resolution note",
    "目前没有预警。": "No alerts.",
    "预计晚于承诺到达时间 {n} 小时": "expected {n} hours after the promised arrival",
    "在{place}滞留 {n} 小时": "Dwelling at {place} for {n} hours",
    "已 {n} 分钟无定位": "No GPS point for {n} minutes",
    "温度 {t}℃，超出冷链范围 {low}～{high}℃": "{t} °C, outside the cold-chain range {low} to {high} °C",
    "交接 {n} 小时后仍无经核验的交接单证": "No verified handover document {n} hours after the handover",
    "偏离计划路线 {n} 公里": "{n} km off the planned route",
    "第 {n} 段交接": "Handover of leg {n}",
    "车辆": "Vehicle",
    "依据事件 {n} 条": "{n} events behind it",
    "已指派": "Assigned",
    "处理结果": "Outcome",
    "预警处置未成功：": "The alert could not be handled: ",
    "该预警已解决。": "The alert is already resolved.",
    "请填写处理说明。": "Please write how it was resolved.",
    "只有单位管理员、数据专员或数据分析员可以处置预警。": (
        "Only a party administrator, data steward or data analyst handles alerts."
    ),
    "查看": "View",
    "筛选": "Filters",
}

FIELD_LABELS: dict[str, str] = {"resolution_note": "处理说明"}
"""Chinese names of the alert page forms' fields."""
