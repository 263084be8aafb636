"""English and code labels of the registration and certificate pages (公共数据资源登记)."""

from __future__ import annotations

ENGLISH: dict[str, str] = {
    "不符合规定的项目": "Non-compliant items",
    "复核结论": "Review conclusion",
    "运营期限届满日": "Operating term end",
    # provisional deadlines (暂定期限) and the holiday notice task
    "暂定": "Provisional",
    (
        "暂定期限：所跨年份的国务院节假日安排通知尚未导入，暂按法定节假日和周末计算，未计调休上班和补休；"
        "通知导入后自动重新计算。"
    ): (
        "Provisional deadline: the State Council holiday notice of a year it runs into is not imported "
        "yet, so it counts the statutory holidays and weekends only, without make-up workdays or days in "
        "lieu; it is recomputed when the notice is imported."
    ),
    (
        "本期限为暂定：{year}年国务院节假日安排通知尚未导入，暂按《全国年节及纪念日放假办法》规定的法定节假日"
        "和周末计算，未计调休上班和补休。通知导入后将重新计算，并在此更新。"
    ): (
        "This deadline is provisional: the State Council holiday notice for {year} is not imported yet, so "
        "it counts the statutory holidays of the national holiday regulation and weekends, without make-up "
        "workdays or days in lieu. It is recomputed and updated here when the notice is imported."
    ),
    "待办：导入节假日安排通知": "To do: import the holiday notice",
    "请系统运维人员导入{year}年节假日安排通知（国务院办公厅关于{year}年部分节假日安排的通知）。": (
        "Ask the system operators to import the holiday notice for {year} (the State Council General "
        "Office's notice on the holiday arrangements of {year})."
    ),
    "目前有{n}件办理期限为暂定（按法定节假日和周末计算，未计调休），通知导入后自动重新计算。": (
        "{n} deadlines are provisional (statutory holidays and weekends only, no make-up workdays); they "
        "are recomputed when the notice is imported."
    ),
    "跨入下一年的办理期限在通知导入前将暂按法定节假日计算，并标注“暂定”。": (
        "Until the notice is imported, deadlines that run into next year count the statutory holidays "
        "only and are marked provisional."
    ),
    # registration certificates (登记证书, 一证一码)
    "登记证书核验": "Certificate verification",
    "已过期（期满注销）": "Expired (cancelled unrenewed)",
    "已注销": "Cancelled",
    "已撤销": "Revoked",
    "核验失败": "Failed verification",
    "证书有效：签名、存证与登记结果均已核验一致。": (
        "The certificate is valid: its signature, ledger entry and registration record all agree."
    ),
    "证书核验失败：签名、存证或登记结果不一致，不可作为可信凭证。": (
        "The certificate failed verification: its signature, ledger entry or registration record "
        "disagree. Do not trust it."
    ),
    "登记机构的签名未通过核验": "The registration authority's signature does not verify",
    "存证账本中的记录未通过核验": "The ledger entry does not verify",
    "登记结果与证书签署的内容不一致": "The registration record no longer matches what the certificate signed",
    "证书已不再有效。": "The certificate is no longer valid.",
    "终止日期": "Ended on",
    "登记主体": "Registration subject",
    "数据名称": "Data name",
    "证书状态": "Certificate status",
    "有效期": "Validity",
    "发证日期": "Issued on",
    "登记版本": "Registration version",
    "证书修订": "statement revision",
    "内容哈希": "Content hash",
    "每次打开本页都会重新核验登记机构的签名、账本存证与登记结果。": (
        "Each time this page opens it re-checks the authority's signature, the ledger entry and the "
        "registration record."
    ),
    # registration pages (公共数据资源登记)
    "数据登记": "Registration",
    "当前状态": "Current state",
    "可执行的操作": "Allowed actions",
    "无": "none",
    "其他材料": "Other material",
    "登记申请、审核、公示与异议，登记结果查询和统计季报。": (
        "Applications, review, publicity and objections; the public registry and quarterly statistics."
    ),
    "登记申请": "Registration applications",
    "公共数据资源登记：首次、变更、更正、注销登记，每一步都有办理时限并写入存证账本。": (
        "Public data resource registration: initial, change, correction and cancellation; every "
        "step has its due date and is written to the evidence ledger."
    ),
    "新建登记申请": "New application",
    "全部状态": "All states",
    "登记类型": "Application type",
    "申请主体": "Applicant",
    "当前步骤办理时限": "Current step due",
    "登记结果": "Registrations",
    "登记编号": "Registration no.",
    "申请先保存为草稿；上传材料、核对缺件后再提交。": (
        "The application is saved as a draft first; upload the materials, check what is missing, then submit."
    ),
    "登记对象": "Subject",
    "数据资源（首次登记）": "Data resource (initial registration)",
    "尚未上传数据": "no data uploaded yet",
    "本单位持有的目录资源；内容哈希取其最新一版数据。": (
        "Your party's catalogue resources; the content hash is that of the newest data version."
    ),
    "已登记结果（变更、更正、注销）": "Registration (change, correction, cancellation)",
    "存证凭证": "Evidence receipt",
    "第 {n} 版数据": "data version {n}",
    "申请前须对数据内容哈希进行存证：选择数据上传时写入账本的凭证。": (
        "The content hash must be preserved as evidence before applying: choose the ledger receipt "
        "written when the data was uploaded."
    ),
    "已完成内部业务审核": "Internal business review done",
    "已与利害关系人协商一致": "Agreed with the interested parties",
    "基本信息表": "Basic information sheet",
    "留空的项从数据目录补全": "blank fields are filled from the catalogue",
    "内容摘要": "Content summary",
    "注销登记": "Cancellation",
    "注销情形": "Cancellation ground",
    "保存草稿": "Save draft",
    "统计季报": "Statistics",
    "登记统计季报": "Quarterly registration statistics",
    "按申请首次提交的季度统计登记申请：按登记类型、当前状态和所属行业。": (
        "Applications counted in the quarter they were first submitted, by type, current state and industry."
    ),
    "年度": "Year",
    "季度": "Quarter",
    "第 {n} 季度": "Q{n}",
    "发放登记结果": "Registrations issued",
    "至": "to",
    "按登记类型": "By application type",
    "按当前状态": "By current state",
    "按所属行业": "By industry",
    "统计表": "Tables",
    "数量": "Count",
    "审核队列": "Review queue",
    "按状态查看登记申请；超期步骤以红色标出，需记录超期说明。": (
        "Applications by state; overdue steps are marked in red and need an overrun explanation."
    ),
    "今日": "Today",
    "超期事项": "Overdue steps",
    "应办结日期": "Due",
    "超期": "Overrun",
    "已说明": "Explained",
    "登记结果查询": "Public registry",
    "登记编号、数据名称或目录标识": "Registration number, data name or catalogue code",
    "全部持有方": "All holders",
    "全部类型": "All types",
    "全部行业": "All industries",
    "没有找到匹配的登记结果。": "No registration matches.",
    "工作日": "working days",
    "起算": "from",
    "当前状态没有办理时限。": "No deadline runs in this state.",
    "公示期": "Publicity",
    "申请信息": "Application",
    "未提供": "not given",
    "收件日期": "Received on",
    "受理日期": "Accepted on",
    "办结日期": "Decided on",
    "不予受理理由": "Refusal grounds",
    "说明": "Note",
    "截止日不含": "end date exclusive",
    "一次性告知补正通知": "One-time supplement notice",
    "不符合规定": "Not compliant",
    "尚缺材料": "Missing materials",
    "申请人操作": "Applicant actions",
    "上传材料": "Upload a material",
    "材料名称": "Material",
    "缺": "missing",
    "上传": "Upload",
    "补充或修改申请信息": "Complete or change the application",
    "提交申请": "Submit",
    "补正说明": "Supplement note",
    "补正后重新提交": "Resubmit after supplement",
    "办理记录": "Steps",
    "办理事项": "Step",
    "办理方": "By",
    "状态变化": "State change",
    "办理日期": "On",
    "下一步时限": "Next step due",
    "尚未提交。": "Not submitted yet.",
    "登记材料": "Materials",
    "异议": "Objections",
    "异议人": "Objector",
    "证据": "Evidence",
    "提出日期": "Filed on",
    "处理结果": "Outcome",
    "待复核": "Awaiting review",
    "超期说明": "Overrun explanations",
    "说明日期": "Explained on",
    "超期工作日": "Working days over",
    "登记公示": "Publicity",
    "形式审核通过的登记申请公示 10 个工作日；公示期内，利害关系人可实名并附证据提出异议。": (
        "Applications that passed formal review are public for 10 working days; during that time an"
        " interested party may object in real name with evidence."
    ),
    "异议已提交，登记机构将进行复核。": "Objection filed; the registration authority will review it.",
    "提出异议": "Object",
    "异议人真实姓名": "Your real name",
    "证据（每行一项）": "Evidence (one item a line)",
    "提交异议": "File the objection",
    "后可实名提出异议。": "to object in real name.",
    "当前没有处于公示期的登记申请。": "No application is in publicity now.",
    "审核操作": "Review actions",
    "受理": "Accept",
    "材料齐全时受理；受理后 20 个工作日内完成形式审核（注销为 10 个工作日）。": (
        "Accept a complete file; formal review is due 20 working days after acceptance (cancellation: 10)."
    ),
    "一次性告知补正": "One-time supplement notice",
    "通知将一次列出全部缺件；下列为不符合规定的项目，每行一项。": (
        "The notice lists every missing item at once; add the items that are present but not "
        "compliant, one a line."
    ),
    "不符合规定的材料，每行一项": "Non-compliant materials, one a line",
    "不符合规定的材料": "Non-compliant materials",
    "发出补正通知": "Send the notice",
    "形式审核": "Formal review",
    "审核通过后进入 10 个工作日公示。": "Once passed, the application is public for 10 working days.",
    "审核通过，进入公示": "Pass and start publicity",
    "未通过的理由": "Reasons for failing",
    "审查未通过": "Fail the review",
    "公示期满发证": "Issue after publicity",
    "公示期最后一日之后、无异议时赋码发证。": (
        "Issue after the last day of publicity when there is no objection."
    ),
    "公示至": "Publicity until",
    "赋码发证": "Issue",
    "完成注销": "Complete cancellation",
    "不予受理": "Refuse",
    "告知申请人的理由": "Reasons told to the applicant",
    "异议复核": "Objection review",
    "复核意见": "Decision note",
    "作出复核结论": "Decide",
    "超期原因": "Why the step is late",
    "记录超期说明": "Record the explanation",
    "已超期": "overdue",
    "{n} 个工作日": "{n} working days",
    "公共数据资源登记": "Public data resource registration",
    "首次登记": "Initial",
    "变更登记": "Change",
    "更正登记": "Correction",
    "已提交待受理": "Submitted",
    "待补正": "Awaiting supplement",
    "形式审核中": "Under review",
    "公示中": "In publicity",
    "异议复核中": "Objection review",
    "已登记": "Issued",
    "终止登记": "Terminated",
    "续展期": "Renewal window",
    "公共数据资源": "Public data resource",
    "数据产品和服务": "Data product or service",
    "形式审核通过，进入公示": "Review passed, publicity started",
    "说明审核延期原因": "Review delay explained",
    "公示期满，赋码发证": "Publicity closed, issued",
    "异议成立，终止登记": "Objection upheld, terminated",
    "异议不成立，赋码发证": "Objection dismissed, issued",
    "利害关系人": "Interested party",
    "系统": "System",
    "重复登记": "Duplicate registration",
    "隐瞒事实或弄虚作假": "Facts concealed or falsified",
    "存在数据权属争议": "Ownership disputed",
    "法律法规规定的其他情形": "Other statutory ground",
    "不符合受理条件": "Not acceptable",
    "不可复原或灭失": "Lost or unrecoverable",
    "放弃权利或权利期限届满": "Right waived or expired",
    "主体解散、撤销、破产或终止": "Subject dissolved, revoked, bankrupt or ended",
    "其他法定情形": "Other statutory ground",
    "异议成立": "Upheld",
    "异议不成立": "Dismissed",
    "登记已终止，异议关闭": "Closed: registration terminated",
    "复核期限": "Review due",
    "受理超期": "Acceptance overdue",
    "审核超期": "Review overdue",
    "需说明延期原因": "Delay to be explained",
    "需作出审核结论": "Decision due",
    "异议复核超期": "Objection review overdue",
    "未填写": "Unspecified",
    "草稿已保存": "Draft saved",
    "申请信息已保存": "Application saved",
    "材料已上传并存证": "Material uploaded and recorded in the ledger",
    "申请已提交": "Submitted",
    "已补正并重新提交": "Supplemented and resubmitted",
    "已受理": "Accepted",
    "已发出一次性告知补正通知": "Supplement notice sent",
    "已不予受理": "Refused",
    "形式审核通过，已进入公示": "Review passed; publicity started",
    "已作出审查未通过结论": "Review failed",
    "已赋码发证": "Issued",
    "已完成注销": "Cancellation completed",
    "已作出异议复核结论": "Objection decided",
    "已记录超期说明": "Overrun explanation recorded",
    "产生频率": "Generation frequency",
    "持有人信息": "Holder",
    "授权主体信息": "Authorizing subject",
    # renewal requests (续展申请, 004:812; 004:5456)
    "续展申请已提交，等待登记机构审核。": "Renewal request filed; the registration authority will decide it.",
    "续展": "Renewal",
    "续展申请待审核": "Renewal request pending",
    "不予续展": "Refuse renewal",
    "申请续展": "Apply for renewal",
    "需继续使用": "Still needed",
    "续展至（可选）": "Renew until (optional)",
    "已准予续展。": "Renewal approved.",
    "已不予续展。": "Renewal refused.",
    "待审核的续展申请": "Pending renewal requests",
    "有效期至": "Valid until",
    "申请日期": "Filed on",
    "操作": "Actions",
    "至多续展至": "renewable at most until",
    "准予续展": "Approve renewal",
    "理由": "Reasons",
    # correction by an interested party (利害关系人申请更正登记, 004:785; 004:5385)
    "申请更正登记": "Apply for a correction",
    "利害关系人认为已登记信息有误的，可以申请更正登记。": (
        "An interested party who believes registered information is wrong may apply for a correction."
    ),
    "经登记主体书面同意或有证据证明确有错误的，登记机构予以更正。": (
        "The authority corrects it on the subject's written consent or evidence that it is wrong."
    ),
    "更正内容（哪里有误、应当如何）": "What to correct (what is wrong and what it should say)",
    "更正后的数据名称（可选）": "Corrected data name (optional)",
    "佐证材料类型": "Kind of evidence",
    "更正内容佐证材料": "Evidence of the error",
    "登记主体同意书": "Subject's written consent",
    "佐证材料文件": "Evidence file",
    "创建更正登记申请": "Create the correction application",
    "创建后请在申请页面补齐其余材料并提交。": (
        "Then complete the other materials on the application's page and submit it."
    ),
    "申请更正": "Apply for correction",
    "登记历史与存证账本不符": "The registration's history does not match the ledger",
    "存证账本中已记录，登记历史中缺失": "notarized in the ledger, missing from the stored history",
    "登记历史中有，存证账本中没有相应记录": "in the stored history, not notarized in the ledger",
    "顺序与存证账本不一致": "out of its place in the ledger",
    "当前状态不是存证账本最后一次变更后的状态": (
        "the stored state is not the one after the last notarized change"
    ),
    "存证序号 {i}": "ledger entry {i}",
    # the application form by type, several materials at once, submitting incomplete, opening materials
    "首次登记：本单位持有的公共数据资源首次申请登记，申请前须对数据内容哈希进行存证。": (
        "Initial registration: register a public data resource your organization holds for the first time; "
        "the hash of its content must be preserved in the ledger first."
    ),
    "变更登记：登记事项发生变化的，针对已取得的登记结果申请变更登记。": (
        "Change registration: when registered particulars change, apply to change an existing registration."
    ),
    "更正登记：登记事项有错误的，申请更正登记。": (
        "Correction registration: when registered particulars are wrong, apply to correct them."
    ),
    "注销登记：权利灭失等情形，申请注销已取得的登记结果。": (
        "Cancellation: when the right has lapsed or in similar cases, apply to cancel an existing "
        "registration."
    ),
    "已登记结果": "Existing registration",
    "第 {n} 版": "version {n}",
    "变更、更正和注销登记针对已取得的登记结果。": (
        "Change, correction and cancellation act on a registration already obtained."
    ),
    "涉及多个主体时填写": "Fill in when several subjects are involved",
    "统一社会信用代码，多个用逗号分隔": "Unified social credit codes, separated by commas",
    "日": "days",
    "申请已提交：登记机构将一次性告知需补正的材料，收到补正通知后可在本页补交。": (
        "The application is submitted: the registration centre will list every material to supplement in "
        "one notice; once it arrives you can add them on this page."
    ),
    "材料尚不齐全，确认提交吗？": "Materials are incomplete. Submit anyway?",
    "以下材料尚未上传：": "These materials are not uploaded yet:",
    "提交后不能再自行补充材料，须等待登记机构一次性告知补正；材料不齐全的申请不予受理。": (
        "After submitting you cannot add materials until the registration centre sends its one-time "
        "supplement notice; an incomplete application is not accepted."
    ),
    "仍然提交": "Submit anyway",
    "确认材料不齐全仍然提交": "Confirmation to submit with materials missing",
    "返回补充材料": "Back to the materials",
    "可一次选择多个材料的文件，一并上传": "Choose files for several materials and upload them together",
    "选择文件": "Choose files",
    "已上传 {n} 份": "{n} uploaded",
    "上传所选文件": "Upload the chosen files",
    "公示期至 {end}，期满无异议后方可赋码发证。": (
        "Publicity runs until {end}; the registration is coded and certified after it ends without objection."
    ),
    "查阅": "Open",
    "已发布的公共数据资源登记结果，按登记编号、名称、持有方、类型和行业检索。": (
        "Published registrations of public data resources, searchable by registration number, name, holder, "
        "type and industry."
    ),
}

ENGLISH.update(
    {
        # registration accounts (登记账户, 004:5444) and joint applications (共同申请, 004:771)
        "登记账户": "Registration account",
        "登记账户管理": "Registration accounts",
        "登记主体通过登记账户统一管理登记证书和登记材料。": (
            "A registration subject manages its certificates and materials through its registration account."
        ),
        "一个登记主体仅可开设一个登记账户，由登记机构核发唯一账户编码。": (
            "Each subject opens one account only; the registration authority issues its unique code."
        ),
        "按内蒙古自治区规则，须持已核发的登记账户方可提出登记申请。": (
            "Under the Inner Mongolia rules, applying for registration needs an issued registration account."
        ),
        "账户编码": "Account code",
        "待登记机构核发": "Awaiting issue by the registration authority",
        "申请时间": "Requested at",
        "核发时间": "Issued at",
        "登记证书": "Registration certificates",
        "材料名称": "Material",
        "文件": "File",
        "上传时间": "Uploaded",
        "本主体尚未开设登记账户。": "This party has no registration account yet.",
        "申请登记账户": "Request a registration account",
        "核发登记主体申请的登记账户，配发唯一账户编码。": (
            "Issue the registration accounts subjects requested, each with a unique account code."
        ),
        "核发": "Issue",
        "已申请，待核发": "Requested, awaiting issue",
        "已核发": "Issued",
        "登记账户已申请，待登记机构核发": "Account requested; the registration authority will issue it",
        "登记账户已核发": "Registration account issued",
        "共同申请": "Joint application",
        "涉及多个主体时填写（004:771）": "When several subjects are involved (004:771)",
        "其他登记主体": "Other registration subjects",
        "统一社会信用代码或主体标识，多个用逗号分隔": "USCCs or party ids, comma-separated",
        "申请方式": "Filing mode",
        "共同提出登记申请（各主体确认）": "Filed jointly (each subject confirms)",
        "协商一致后由单独主体提出（附协商一致证明）": "Filed by one subject after agreement",
        "已确认": "Confirmed",
        "待确认": "Awaiting confirmation",
        "确认共同申请": "Confirm the joint application",
        "已确认共同申请": "Joint application confirmed",
    }
)

REGISTRATION_LABELS: dict[str, dict[str, str]] = {
    "application_type": {
        "initial": "首次登记",
        "change": "变更登记",
        "correction": "更正登记",
        "cancellation": "注销登记",
    },
    "state": {
        "draft": "草稿",
        "submitted": "已提交待受理",
        "pending_supplement": "待补正",
        "not_accepted": "不予受理",
        "under_review": "形式审核中",
        "review_failed": "审查未通过",
        "in_publicity": "公示中",
        "objection_review": "异议复核中",
        "issued": "已登记",
        "terminated": "终止登记",
        "cancelled": "已注销",
    },
    "record_state": {"valid": "有效", "renewal_window": "续展期", "cancelled": "已注销", "revoked": "已撤销"},
    "subject_kind": {"resource": "公共数据资源", "product": "数据产品和服务"},
    "action": {
        "submit": "提交申请",
        "request_supplement": "一次性告知补正",
        "resubmit": "补正后重新提交",
        "accept": "受理",
        "refuse": "不予受理",
        "pass_review": "形式审核通过，进入公示",
        "fail_review": "审查未通过",
        "explain_delay": "说明审核延期原因",
        "close_publicity": "公示期满，赋码发证",
        "file_objection": "提出异议",
        "uphold_objection": "异议成立，终止登记",
        "dismiss_objection": "异议不成立",
        "complete_cancellation": "完成注销",
    },
    "role": {
        "subject": "登记主体",
        "interested_party": "利害关系人",
        "authority": "登记机构",
        "system": "系统",
    },
    "refusal_ground": {
        "duplicate": "重复登记",
        "fraud": "隐瞒事实或弄虚作假",
        "ownership_dispute": "存在数据权属争议",
        "other_statutory": "法律法规规定的其他情形",
        "not_compliant": "不符合受理条件",
    },
    "cancellation_ground": {
        "lost": "不可复原或灭失",
        "rights_ended": "放弃权利或权利期限届满",
        "subject_ceased": "主体解散、撤销、破产或终止",
        "other_statutory": "其他法定情形",
    },
    "objection_outcome": {"upheld": "异议成立", "dismissed": "异议不成立", "closed": "登记已终止，异议关闭"},
    "overrun_flag": {
        "acceptance_overdue": "受理超期",
        "review_overdue": "审核超期",
        "delay_explanation_due": "需说明延期原因",
        "review_decision_due": "需作出审核结论",
        "objection_review_overdue": "异议复核超期",
    },
    "industry": {"unspecified": "未填写"},
    "account_state": {"requested": "已申请，待核发", "issued": "已核发"},
    "joint_mode": {
        "joint": "共同提出登记申请（各主体确认）",
        "sole_with_agreement": "协商一致后由单独主体提出（附协商一致证明）",
    },
    "done": {
        "requested": "登记账户已申请，待登记机构核发",
        "issued": "登记账户已核发",
        "confirmed": "已确认共同申请",
        "created": "草稿已保存",
        "saved": "申请信息已保存",
        "attached": "材料已上传并存证",
        "submitted": "申请已提交",
        "resubmitted": "已补正并重新提交",
        "accept": "已受理",
        "supplement": "已发出一次性告知补正通知",
        "refuse": "已不予受理",
        "pass": "形式审核通过，已进入公示",
        "fail": "已作出审查未通过结论",
        "issue": "已赋码发证",
        "cancel": "已完成注销",
        "objection": "已作出异议复核结论",
        "overrun": "已记录超期说明",
    },
    "info": {
        "name": "名称",
        "data_structure": "数据结构",
        "data_scale": "数据规模",
        "generation_frequency": "产生频率",
        "holder_info": "持有人信息",
        "authorizing_subject_info": "授权主体信息",
        "right_type": "权利类型",
        "right_term": "权利期限",
        "data_quality": "数据质量",
        "industry": "所属行业",
        "application_scenarios": "应用场景",
    },
}
"""Labels of the registration codes (公共数据资源登记), by kind; each label has its English entry."""

FIELD_LABELS: dict[str, str] = {
    **REGISTRATION_LABELS["info"],
    "application_type": "登记类型",
    "incomplete_confirmed": "确认材料不齐全仍然提交",
    "catalog_code": "登记对象",
    "registration_id": "已登记结果（变更、更正、注销）",
    "evidence_ledger_index": "存证序号",
    "internal_business_review_done": "已完成内部业务审核",
    "interested_parties_consensus": "已与利害关系人协商一致",
    "content_summary": "内容摘要",
    "operating_term_end": "运营期限届满日",
    "cancellation_ground": "注销情形",
    "co_subjects": "其他登记主体",
    "joint_mode": "申请方式",
    "material": "材料名称",
    "file": "文件",
    "note": "备注",
    "still_needed": "需继续使用",
    "requested_valid_to": "续展至（可选）",
    "grounds": "不予受理理由",
    "reason": "理由",
    "reasons": "理由",
    "noncompliant": "不符合规定的项目",
    "objection_id": "异议",
    "outcome": "复核结论",
    "explanation": "超期说明",
    "objector_real_name": "异议人真实姓名",
    "evidence": "证据（每行一项）",
}
"""The Chinese name of each field of this domain's page forms (for the page that refuses one)."""
