"""Page strings of the dispatcher's board (调度看板): Chinese first, each with its English."""

from __future__ import annotations

VEHICLE_TYPES = {
    "box": "厢式货车",
    "reefer": "冷藏车",
    "tank": "罐式车",
    "flatbed": "平板车",
    "container_chassis": "集装箱半挂车",
}
QUALIFICATIONS = {"DG": "危险货物运输", "RTC": "道路运输证"}
REASONS = {
    "capacity": "没有载重或容积足够的车辆",
    "vehicle_type": "没有所需车型",
    "qualification": "没有具备所需资质的车辆",
    "time_window": "没有车辆能在装货时限前到达",
    "vehicles_taken": "可承运车辆已安排其他货源",
}
STATES = {"proposed": "待确认", "accepted": "已接受", "rejected": "已拒绝"}
MODES = {"single": "一车一货", "chain": "多趟配载（含回程货）"}
STOPS = {"start": "出发", "pickup": "装货", "delivery": "卸货", "end": "回到出发地"}

DISPATCH_LABELS = {
    "vehicle_type": VEHICLE_TYPES,
    "qualification": QUALIFICATIONS,
    "reason": REASONS,
    "state": STATES,
    "mode": MODES,
    "stop": STOPS,
}

FIELD_LABELS: dict[str, str] = {
    "match_mode": "匹配方式",
    "seconds": "求解时间",
    # the load form (货源发布) and the waybill draft form (运单草稿生成货源)
    "load_reference": "货源编号",
    "posted": "公开发布",
    "pickup_lon": "装货地经度",
    "pickup_lat": "装货地纬度",
    "pickup_place": "装货地行政区划代码",
    "drop_lon": "卸货地经度",
    "drop_lat": "卸货地纬度",
    "drop_place": "卸货地行政区划代码",
    "weight_t": "重量（吨）",
    "volume_m3": "体积（立方米）",
    "vehicle_type": "车型",
    "required_qualification": "所需资质",
    "earliest_pickup": "最早装货时间",
    "latest_pickup": "最晚装货时间",
    "waybill_no": "运单号",
    # the vehicle form (运力登记)
    "plate": "车牌号",
    "capacity_t": "载重（吨）",
    "capacity_m3": "容积（立方米）",
    "qualifications": "资质",
    "certificate_valid_until": "道路运输证有效期至",
    "driver_qualified": "驾驶员从业资格有效",
    "lon": "登记位置经度",
    "lat": "登记位置纬度",
    "available_from": "可用时间",
}
"""Chinese names of the dispatch forms' fields, for a refused field (one name per field across domains)."""

ENGLISH: dict[str, str] = {
    "调度看板": "Dispatcher's board",
    "车货匹配": "Capacity matching",
    "待匹配货源、可用运力、匹配建议与路径方案；只显示本单位可见的记录。": (
        "Open loads, available vehicles, proposed matches and route plans; only what your party may see."
    ),
    "待匹配货源": "Open loads",
    "可用运力": "Available vehicles",
    "货源编号": "Load",
    "装货地": "Pickup",
    "卸货地": "Drop",
    "重量（吨）": "Weight (t)",
    "所需车型": "Vehicle type needed",
    "装货时限": "Pickup window",
    "所需资质": "Qualification needed",
    "不限": "Any",
    "车牌号": "Plate",
    "车型": "Vehicle type",
    "载重（吨）": "Payload (t)",
    "容积（立方米）": "Cargo space (m3)",
    "资质": "Qualifications",
    "当前位置": "Current position",
    "定位": "GPS",
    "登记位置": "Registered position",
    "资质有效": "Qualified",
    "是": "Yes",
    "否": "No",
    "运行匹配": "Run matching",
    "匹配方式": "Matching mode",
    "匹配建议": "Proposed matches",
    "方案时间": "Run at",
    "空驶里程（公里）": "Empty km",
    "载货里程（公里）": "Loaded km",
    "顺序": "Order",
    "状态": "Status",
    "操作": "Actions",
    "接受": "Accept",
    "拒绝": "Reject",
    "未匹配货源": "Loads left unmatched",
    "原因": "Reason",
    "空驶分析": "Empty-running report",
    "匹配前": "Before matching",
    "匹配后": "After matching",
    "行驶里程（公里）": "Km driven",
    "空驶率": "Empty-running rate",
    "实载率": "Load factor",
    "燃油（升）": "Fuel (L)",
    "二氧化碳当量（千克）": "CO2e (kg)",
    "节约里程 {km} 公里，燃油 {fuel} 升，减排二氧化碳当量 {co2} 千克。": (
        "Saved {km} km, {fuel} L of fuel and {co2} kg CO2e."
    ),
    "空驶率 = 空驶里程 ÷ 行驶里程；实载率 = 货物吨公里 ÷（载重吨 × 行驶里程）。匹配前按每票货单程往返计。": (
        "Empty-running rate = empty km / km driven; load factor = tonne-km carried / (payload tonnes x km "
        "driven). Before matching, each load is a round trip of its own."
    ),
    "路径方案": "Route plan",
    "规划路径": "Plan routes",
    "为本单位已接受的货源规划车辆路径。": "Plan vehicle routes for the loads your party accepted.",
    "总里程 {km} 公里": "{km} km in all",
    "路径图：按经纬度绘制各车辆的装卸顺序": (
        "Route map: each vehicle's pickups and drops by longitude and latitude"
    ),
    "经度": "Longitude",
    "纬度": "Latitude",
    "暂无待匹配货源。": "No open load.",
    "暂无运力。": "No vehicle.",
    "暂无匹配方案。": "No match run yet.",
    "暂无路径方案。": "No route plan yet.",
    "一车一货": "One load per vehicle",
    "多趟配载（含回程货）": "Chained loads (with backhaul)",
    "厢式货车": "Box truck",
    "冷藏车": "Reefer",
    "罐式车": "Tanker",
    "平板车": "Flatbed",
    "集装箱半挂车": "Container chassis",
    "危险货物运输": "Dangerous goods",
    "道路运输证": "Road transport certificate",
    "没有载重或容积足够的车辆": "No vehicle carries that weight or volume",
    "没有所需车型": "No vehicle of that type",
    "没有具备所需资质的车辆": "No vehicle holds the qualification",
    "没有车辆能在装货时限前到达": "No vehicle reaches the pickup in time",
    "可承运车辆已安排其他货源": "The vehicles that could take it serve other loads",
    "待确认": "Awaiting confirmation",
    "已接受": "Accepted",
    "已拒绝": "Rejected",
    "出发": "Start",
    "装货": "Pickup",
    "卸货": "Drop",
    "回到出发地": "Back at the start",
    "至": "to",
    "发布货源": "Post a load",
    "登记运力": "Register a vehicle",
    "返回调度看板": "Back to the dispatcher's board",
    "发布需要车辆承运的货源；公开发布的货源所有单位可见，未公开的仅本单位可见，匹配接受后承运单位可见。": (
        "Post a load to be carried; a posted load is seen by every party, any other only by yours until a "
        "carrier's match is accepted."
    ),
    "填写货源": "Load details",
    "装货地经度": "Pickup longitude",
    "装货地纬度": "Pickup latitude",
    "装货地行政区划代码": "Pickup division code",
    "卸货地经度": "Drop longitude",
    "卸货地纬度": "Drop latitude",
    "卸货地行政区划代码": "Drop division code",
    "体积（立方米）": "Volume (m3)",
    "最早装货时间": "Earliest pickup",
    "最晚装货时间": "Latest pickup",
    "公开发布": "Post on the freight market",
    "时间均为北京时间。": "All times are Beijing time.",
    "由运单草稿生成货源": "A load from a waybill draft",
    "装卸地、重量、体积、车型和危险货物要求取自运单草稿的公路区段；草稿不含时间，请填写装货时限。": (
        "Pickup, drop, weight, volume, vehicle type and dangerous goods come from the road legs of a waybill "
        "draft your party ships; a draft has no times, so give the pickup window."
    ),
    "运单号": "Waybill number",
    "默认同运单号": "The waybill number if left blank",
    "生成货源": "Make the load",
    "道路运输证有效且驾驶员从业资格有效的车辆才参与匹配；位置以最新定位为准，无定位时用登记位置。": (
        "Only vehicles with a valid road transport certificate and a qualified driver are matched; a "
        "vehicle stands where its latest GPS point puts it, else at its registered position."
    ),
    "道路运输证有效期至": "Road transport certificate valid until",
    "驾驶员从业资格有效": "Driver qualified",
    "登记位置经度": "Registered longitude",
    "登记位置纬度": "Registered latitude",
    "可用时间": "Available from",
}
