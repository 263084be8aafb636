"""English and code labels of the control-tower pages (控制塔页面)."""

from __future__ import annotations

from typing import Any

ENGLISH: dict[str, str] = {
    "以下筛选条件无效，已显示全部数据：": "These filters are not valid; everything is shown: ",
    "全程到达": "Arrived",
    "全程预计到达": "Expected arrival",
    "全部方式": "All modes",
    "全部通道": "All corridors",
    "其中仓储": "of which storage",
    "其中管理": "of which management",
    "其中装卸": "of which handling",
    "其中运输": "of which transport",
    "准时足额交付率": "On time in full (OTIF)",
    "到达时间": "Arrived at",
    "区段": "Legs",
    "区段数": "Legs",
    "区段未到达": "Leg not arrived",
    "区段运输时长分布": "Transit time of legs",
    "区段运输时长分布：按运输方式统计各时长区间的区段数": "Transit time of legs: legs per band of hours, by mode",  # noqa: E501
    "千克二氧化碳当量": "kg CO2e",
    "千克二氧化碳当量每吨公里": "kg CO2e per tonne-km",
    "单位物流成本": "Logistics cost per tonne-km",
    "参与主体": "Party",
    "发车时间": "Departed at",
    "各区段": "Legs of the waybill",
    "小时": "h",
    "异常预警": "Exceptions and alerts",
    "查看全部预警": "See all alerts",
    "截止日期": "To (date)",
    "按参与主体": "By party",
    "按日趋势": "Trend by day",
    "按运输方式": "By mode",
    "按通道": "By corridor",
    "排放因子": "Emission factors",
    "控制塔": "Control tower",
    "控制塔通道看板": "Control tower: corridor dashboard",
    "数据主管部门查看整个通道各参与主体、各通道和各运输方式的单位物流成本构成与碳排放。": (
        "The data authority's view of logistics cost per tonne-km, its breakdown and carbon, by party, "
        "corridor and mode across the whole corridor."
    ),
    "暂无": "None",
    "暂无预测记录。": "No prediction yet.",
    "未到达区段的到达时间按本通道同方式、同出发时段的历史运输时长预测，并按车辆最新定位和速度修正；每次预测都会保存，区段到达后计算预测误差。": (  # noqa: E501
        "The arrival of each open leg is predicted from the corridor's transit times by the same mode and "
        "departure time of day, refined by the vehicle's last position and speed; every prediction is kept "
        "and its error measured once the leg arrives."
    ),
    "来源": "Source",
    "查询预计到达": "Show ETA",
    "每票碳排放": "Carbon per shipment",
    "由各方采集的运单、交接、追踪事件和车辆定位实时计算的通道指标；企业只看到本单位参与的运输，数据主管部门看到整个通道。": (  # noqa: E501
        "Corridor KPIs computed from the waybills, handovers, tracking events and vehicle positions the "
        "parties capture; a company sees only the transport it takes part in, the data authority the whole "
        "corridor."
    ),
    "碳排放强度（克每吨公里）": "Carbon intensity (g per tonne-km)",
    "第 {n} 段": "Leg {n}",
    "筛选": "Filters",
    "纬度": "Latitude",
    "终点": "Destination",
    "经度": "Longitude",
    "节点与流向": "Nodes and flows",
    "节点与流向图：按经纬度绘制通道节点和各通道的运单流量": (
        "Map of nodes and flows: the corridor nodes by longitude and latitude, and the waybills on each corridor"  # noqa: E501
    ),
    "装载率": "Load factor",
    "起始日期": "From (date)",
    "起点": "Origin",
    "跨主体成本与碳排放": "Cost and carbon across parties",
    "车辆与集装箱": "Vehicles and containers",
    "输入运单号": "Waybill number",
    "运单数": "Waybills",
    "运单预计到达": "Waybill ETA",
    "运单预计到达查询": "ETA of a waybill",
    "运输方式": "Mode",
    "运输时长（小时）": "Transit time (hours)",
    "运输状态": "Transport status",
    "返回通道看板": "Back to the corridor dashboard",
    "通道": "Corridor",
    "预测依据": "Basis",
    "预测时间": "Predicted at",
    "预测记录": "Prediction history",
    "预测误差": "Error",
    "预计到达时间": "Expected arrival",
    # KPI names and units
    "区段运输时长": "Transit time per leg",
    "通道全程时长": "Transit time per corridor",
    "节点停留时长": "Dwell time at nodes",
    "交接等待时长": "Handover delay",
    "集装箱周转时长": "Container turn time",
    "预计到达准确度": "ETA accuracy (mean absolute error)",
    "空驶率": "Empty-running rate",
    "碳排放": "Carbon",
    "元/吨公里": "yuan per tonne-km",
    # labels
    "公路": "Road",
    "铁路": "Rail",
    "水路": "Water",
    "航空": "Air",
    "多式联运": "Multimodal",
    "其他": "Other",
    "已到达": "Arrived",
    "运输中": "Under way",
    "未发车": "Not departed",
    "历史统计": "Corridor history",
    "车辆定位": "Vehicle position",
    "运营方配置": "Set by the operator",
    "全球物流排放理事会框架第三版（2023年）公路默认值：34至40吨铰接式货车，平均装载，柴油，油井到车轮": (
        "GLEC Framework v3.0 (2023), road default: articulated truck 34-40 t, average load, diesel, well to wheel"  # noqa: E501
    ),
    "全球物流排放理事会框架第三版（2023年）铁路货运默认值：亚洲，混合牵引，油井到车轮": (
        "GLEC Framework v3.0 (2023), rail freight default: Asia, mixed traction, well to wheel"
    ),
    "全球物流排放理事会框架第三版（2023年）远洋集装箱船默认值：2000至7999标准箱，油井到车轮": (
        "GLEC Framework v3.0 (2023), deep-sea container vessel default: 2,000-7,999 TEU, well to wheel"
    ),
    "全球物流排放理事会框架第三版（2023年）航空货运默认值：客机腹舱与全货机混合，油井到车轮": (
        "GLEC Framework v3.0 (2023), air freight default: belly and freighter mix, well to wheel"
    ),
}

TOWER_LABELS: dict[str, Any] = {
    "mode": {"road": "公路", "rail": "铁路", "water": "水路", "air": "航空", "multimodal": "多式联运"},
    "status": {"arrived": "已到达", "under_way": "运输中", "not_departed": "未发车"},
    "method": {"baseline": "历史统计", "gps": "车辆定位"},
    "field": {
        "corridor": "通道",
        "mode": "运输方式",
        "period_from": "起始日期",
        "period_to": "截止日期",
        "waybill": "运单号",
    },
    "factor_source": {
        "road": "全球物流排放理事会框架第三版（2023年）公路默认值：34至40吨铰接式货车，平均装载，柴油，油井到车轮",  # noqa: E501
        "rail": "全球物流排放理事会框架第三版（2023年）铁路货运默认值：亚洲，混合牵引，油井到车轮",
        "water": "全球物流排放理事会框架第三版（2023年）远洋集装箱船默认值：2000至7999标准箱，油井到车轮",
        "air": "全球物流排放理事会框架第三版（2023年）航空货运默认值：客机腹舱与全货机混合，油井到车轮",
    },
}
"""Chinese labels of codes on the tower pages, each translated through ENGLISH."""

FIELD_LABELS: dict[str, str] = dict(TOWER_LABELS["field"])
"""Chinese names of the tower page forms' fields."""
