"""English and code labels of the operation pages (公共数据授权运营)."""

from __future__ import annotations

from logispace.domains.operation.pricing.sources import NOTICE

OPS_N = "《公共数据资源授权运营实施规范（试行）》"
OPS_NM = "《内蒙古自治区公共数据授权运营管理暂行办法》"
PRICE_N = NOTICE

RULE_TEXT: dict[str, str] = {
    "OPS-TERM": f"依据{OPS_N}第十四条和{OPS_NM}第八条，授权运营协议的运营期限最长不超过5年。",
    "OPS-R7": f"依据{OPS_N}第二十一条，运营机构不得超出授权范围使用公共数据。",
    "OPS-R20": f"依据{OPS_NM}第三十三条，该数据不得开展授权运营。",
    "OPS-R4": f"依据{OPS_N}第六条和第十四条，运营机构不得直接或间接参与已交付产品和服务的再开发。",
    "OPS-R13": f"依据{OPS_NM}第十三条，数据加工人员须经实名认证、备案与审查并签订保密协议。",
    "OPS-R14": f"依据{OPS_NM}第十三条，原始数据对数据加工人员不可见。",
    "OPS-E4": f"依据{OPS_NM}第三十二条，授权运营协议暂停或终止期间不得申请和加工数据。",
    "OPS-NM-QUALIFICATION": f"依据{OPS_NM}第七条和第九条，申请单位须通过资格审查。",
    "OPS-NM-EXPERT-REVIEW": f"依据{OPS_NM}第七条，须经专家组综合评审。",
    "PRICE-P2": f"依据{PRICE_N}第一条，用于公共治理、公益事业的产品和服务免费提供。",
    "PRICE-CAP": f"依据{PRICE_N}第二条，具体收费标准不得高于上限收费标准。",
    "PRICE-TRIAL": f"依据{PRICE_N}第二条，试行满一个完整运营年度后方可核定正式收费标准。",
    "PRICE-RATE": f"依据{PRICE_N}第三条第（一）项，准许利润率不得高于10年期国债平均收益率加6个百分点。",
    "PRICE-COST": f"依据{PRICE_N}第三条第（一）项，经营成本应扣除政府补助。",
    "PRICE-MAR": f"依据{PRICE_N}第二条，上限收费标准应在最高准许收入范围内制定。",
    "PRICE-MARKED": f"依据{PRICE_N}第五条，收费产品须明码标价后方可交付。",
    "PRICE-INPUT": f"依据{PRICE_N}，金额须为不小于零、精确到分的数额。",
}
"""What each rule says, naming the document and article, for the pages (never the raw source line)."""

OPERATION_LABELS: dict[str, dict[str, str]] = {
    "plan_state": {
        "drafted": "已编制",
        "internal_approved": "已集体审议",
        "gov_approved": "已报本级政府审定",
        "filed": "已备案",
    },
    "agreement_state": {
        "signed": "已签订待备案",
        "active": "履行中",
        "suspended": "已暂停",
        "terminated": "已终止",
    },
    "use_class": {"governance_welfare": "公共治理、公益事业", "industry": "产业发展、行业发展"},
    "form": {
        "dataset": "数据集",
        "api": "数据接口",
        "indicator": "数据指标",
        "report": "数据报告",
        "model": "数据模型",
        "service": "加工服务",
    },
    "product_state": {"draft": "开发中", "delivered": "已交付"},
    "price_state": {"free": "免费", "trial": "试行收费标准", "formal": "正式收费标准"},
    "billing_unit": {
        "product": "按产品数量",
        "call": "按调用次数",
        "period": "按服务时长",
        "volume": "按数据量",
    },
    "duty_subject": {"resource": "公共数据资源", "product": "公共数据产品和服务"},
    "result": {"pass": "通过评估", "fail": "未通过评估", "rectify": "限期整改"},
}
"""Chinese labels of states and codes (never shown raw)."""

ENGLISH: dict[str, str] = {
    RULE_TEXT[
        "OPS-TERM"
    ]: "Under the national rules (art. 14) and Inner Mongolia's (art. 8) the term is at most 5 years.",
    RULE_TEXT[
        "OPS-R7"
    ]: "Under the national rules (art. 21) the operator may not use data beyond the authorization.",
    RULE_TEXT[
        "OPS-R20"
    ]: "Under Inner Mongolia's rules (art. 33) this data must not be put into authorized operation.",
    RULE_TEXT[
        "OPS-R4"
    ]: "Under the national rules (arts. 6, 14) the operator may not re-develop products it delivered.",
    RULE_TEXT[
        "OPS-R13"
    ]: "Under Inner Mongolia's rules (art. 13) processing staff are real-name verified, filed, "
    "vetted and sign a confidentiality agreement.",
    RULE_TEXT["OPS-R14"]: "Under Inner Mongolia's rules (art. 13) raw data is invisible to processing staff.",
    RULE_TEXT["OPS-E4"]: "Under Inner Mongolia's rules (art. 32) no data is requested or processed while the "
    "agreement is suspended or ended.",
    RULE_TEXT[
        "OPS-NM-QUALIFICATION"
    ]: "Under Inner Mongolia's rules (arts. 7, 9) the applicant must pass the qualification checks.",
    RULE_TEXT[
        "OPS-NM-EXPERT-REVIEW"
    ]: "Under Inner Mongolia's rules (art. 7) the expert group reviews first.",
    RULE_TEXT["PRICE-P2"]: "Under the pricing notice (art. 1) governance and welfare products are free.",
    RULE_TEXT["PRICE-CAP"]: "Under the pricing notice (art. 2) a specific price may not exceed the cap.",
    RULE_TEXT["PRICE-TRIAL"]: "Under the pricing notice (art. 2) a formal price needs a full operating year.",
    RULE_TEXT["PRICE-RATE"]: "Under the pricing notice (art. 3) the rate of return is at most the 10-year "
    "treasury yield plus 6 points.",
    RULE_TEXT["PRICE-COST"]: "Under the pricing notice (art. 3) operating cost is net of subsidies.",
    RULE_TEXT[
        "PRICE-MAR"
    ]: "Under the pricing notice (art. 3) caps are set within the maximum allowed revenue.",
    RULE_TEXT[
        "PRICE-MARKED"
    ]: "Under the pricing notice (art. 5) a paid product is delivered with its price marked.",
    # labels
    "已编制": "Drafted",
    "已集体审议": "Approved collectively",
    "已报本级政府审定": "Approved by the government",
    "已备案": "Filed",
    "已签订待备案": "Signed, awaiting filing",
    "履行中": "In force",
    "已终止": "Terminated",
    "公共治理、公益事业": "Public governance and welfare",
    "产业发展、行业发展": "Industry and sector development",
    "数据集": "Dataset",
    "数据接口": "Data API",
    "数据指标": "Indicator",
    "数据报告": "Report",
    "数据模型": "Model",
    "加工服务": "Processing service",
    "开发中": "In development",
    "已交付": "Delivered",
    "免费": "Free",
    "试行收费标准": "Trial price",
    "正式收费标准": "Formal price",
    "按产品数量": "Per product",
    "按调用次数": "Per call",
    "按服务时长": "Per period",
    "按数据量": "Per volume",
    "公共数据资源": "Public data resource",
    "公共数据产品和服务": "Public data products and services",
    "通过评估": "Passed",
    "未通过评估": "Failed",
    "限期整改": "Rectify within a deadline",
    # pages
    "公共数据授权运营": "Authorized operation of public data",
    "授权运营信息公开": "Authorized operation: public disclosure",
    "授权运营情况": "Authorized operations",
    "实施方案": "Implementation plans",
    "授权运营协议": "Authorization agreements",
    "公共数据产品和服务清单": "Public data products and services",
    "实施机构": "Implementing body",
    "运营机构": "Operator",
    "授权内容": "Content",
    "授权范围": "Scope",
    "运营期限": "Term",
    "产品和服务名称": "Product or service",
    "产品形态": "Form",
    "用途分类": "Use class",
    "计费方式": "Billing",
    "上限收费标准（元）": "Cap (yuan)",
    "收费标准（元）": "Price (yuan)",
    "收费阶段": "Price regime",
    "交付日期": "Delivered on",
    "协议状态": "Agreement state",
    "尚无公开的授权运营信息。": "Nothing has been disclosed yet.",
    "依法定期向社会公开授权对象、内容、范围和时限，以及运营机构的产品和服务清单与收费标准，接受社会监督。": (
        "The authorized parties, content, scope and term, and each operator's products and prices, are "
        "disclosed periodically for public oversight."
    ),
    "方案名称": "Plan",
    "方案状态": "Plan state",
    "查看协议": "View the agreement",
    "协议详情": "Agreement",
    "安全责任": "Security duties",
    "退出机制": "Exit",
    "协议约定产品": "Products in the agreement",
    "首次登记期限": "Initial registration deadlines",
    "登记对象": "Subject",
    "登记义务方": "Registers",
    "登记截止日期": "Register by",
    "登记有效期上限": "Registration valid until at most",
    "须复核": "Review required",
    "年度考核评估": "Annual evaluations",
    "评估年度": "Year",
    "评估结果": "Result",
    "整改期限": "Rectify by",
    "设定上限收费标准": "Set the cap",
    "设定收费标准": "Set the price",
    "保存": "Save",
    "收费标准已更新。": "The price was updated.",
    "操作未被接受": "The step was not accepted",
    "信息公开": "Disclosure",
    "暂无记录": "No records",
    "元": "yuan",
}

FIELD_LABELS: dict[str, str] = {
    "price_cap_yuan": "上限收费标准（元）",
    "price_yuan": "收费标准（元）",
    "billing_unit": "计费方式",
}
"""The Chinese name of each field of this domain's page forms (for the page that refuses one)."""
