"""Demo registrations (演示登记数据): the open demo resources registered through the real workflow.

Each registration below is filed by the resource's holder, with every material of its type attached and
its evidence receipt (存证) being the ledger entry of the resource's uploaded data, then taken by the
registration centre's reviewer through acceptance, formal review, publicity and issuance on the dates
given, so the due dates, steps, ledger entries and certificates are what the platform computes for
those days. Dates are fixed in 2026 (covered by chinese-calendar) and chosen so that, on the demo's
first days in December 2026, the registry shows certificates, a publicity open to objections, a file
under review; the open 公路货运价格指数 is left for the visitor to register. Loaded once: nothing
is added if any application exists.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from logispace.core.calendar import WorkingCalendar, calendar_from_settings
from logispace.core.config import RuleProfile, Settings
from logispace.domains.catalog import service as catalog_service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM, Principal, party_name
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.enums import AccountState, ApplicationType, SubjectKind
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.rules.materials import ATTACHMENT, required_materials
from logispace.domains.registration.schemas import ApplicationCreate, BasicInfo
from logispace.domains.registration.workflow import Clock
from logispace.storage import LocalObjectStore, UploadFormat


@dataclass(frozen=True)
class DemoRegistration:
    """One initial registration: the holder's resource and the days each step is taken (None: not yet)."""

    holder: str
    resource: str
    industry: str
    scenarios: tuple[str, ...]
    submitted: date
    accepted: date | None = None
    passed: date | None = None
    issue: bool = False  # issued the first working day after the publicity ends


def _registrations(table: str) -> tuple[DemoRegistration, ...]:
    """The rows of ``table``: holder|resource|industry|scenarios (、)|days of the steps in 2026|issue."""
    out = []
    for line in filter(None, (row.strip() for row in table.splitlines())):
        holder, resource, industry, scenarios, days, issue = (cell.strip() for cell in line.split("|"))
        submitted, *later = (date.fromisoformat(f"2026-{day}") for day in days.split())
        accepted, passed = (*later, None, None)[:2]
        out.append(
            DemoRegistration(
                holder,
                resource,
                industry,
                tuple(scenarios.split("、")),
                submitted,
                accepted,
                passed,
                issue=issue == "issue",
            )
        )
    return tuple(out)


# holder|resource|industry|scenarios|days in 2026 (submitted, accepted, passed)|issued after the publicity
REGISTRATIONS = _registrations(
    """
    transport|道路运输经营许可信息|交通运输|道路货运企业资质核验、物流金融授信|09-01 09-02 09-08|issue
    rail|货运列车开行计划|铁路运输|铁海联运舱位预订、班列运力规划|10-12 10-13 10-20|issue
    transport|国家物流枢纽与货运场站名录|交通运输|物流园区选址、多式联运路径规划|11-16 11-17 11-27|-
    port|港口泊位与岸线信息|港口|船舶靠泊计划、港口能力评估|11-30 12-01|-
    """
)


def _berths() -> bytes:
    """The port's berths (港口泊位与岸线信息), made up: 48 berths over four terminals."""
    terminals = ("钦州港大榄坪", "钦州港勒沟", "防城港渔澫", "北海铁山港")
    lines = ["berth_id,terminal,length,depth,tonnage"]
    for n in range(48):
        terminal = terminals[n % len(terminals)]
        tonnage = (10, 20, 50, 70, 100, 150)[n % 6] * 1000
        lines.append(f"B{n + 1:03d},{terminal},{180 + (n * 37) % 220},{9.5 + (n % 9) * 1.5:.1f},{tonnage}")
    return ("\n".join(lines) + "\n").encode()


# demo resources without data of their own get this data before they are registered
GENERATED: dict[str, Callable[[], bytes]] = {"港口泊位与岸线信息": _berths}


def _material(name: str, resource: str) -> bytes:
    # a stand-in document: a real filing attaches the scanned or signed PDF of each material
    return f"%PDF-1.7\n% 演示材料 demo material: {name} / {resource}\n".encode()


def load(session: Session, settings: Settings, principals: dict[str, Principal], reviewer: Principal) -> int:
    """File and process :data:`REGISTRATIONS`; returns how many were filed (0 if any application exists)."""
    if read_service.any_application(session):
        return 0
    calendar = calendar_from_settings(settings)
    filed = 0
    for demo in REGISTRATIONS:
        holder = principals[demo.holder]
        if holder.party_id is None:
            continue
        resource = catalog_service.resource_by_holder_and_name(session, holder.party_id, demo.resource)
        if resource is None:
            continue
        _, distributions = distribution_service.list_distributions(session, SYSTEM, resource.catalog_code)
        if not distributions and demo.resource in GENERATED:
            distribution_service.upload(
                session,
                SYSTEM,
                resource.catalog_code,
                io.BytesIO(GENERATED[demo.resource]()),
                fmt=UploadFormat.CSV,
                store=LocalObjectStore.from_settings(settings),
                max_bytes=settings.max_upload_bytes,
            )
            _, distributions = distribution_service.list_distributions(session, SYSTEM, resource.catalog_code)
        newest = max(distributions, key=lambda d: d.version, default=None)
        if newest is None or newest.ledger_index is None:
            continue
        if settings.rule_profile is RuleProfile.INNER_MONGOLIA:
            _ensure_account(session, settings, holder, reviewer)
        _file(
            session,
            settings,
            calendar,
            holder,
            reviewer,
            demo,
            resource.catalog_code,
            newest.ledger_index,
            newest.row_count,
            party_name(session, holder.party_id) or "",
        )
        filed += 1
    return filed


def _ensure_account(session: Session, settings: Settings, holder: Principal, reviewer: Principal) -> None:
    """inner_mongolia files only through an issued registration account (004:5444)."""
    account = account_service.account_of(session, holder.party_id)
    if account is None:
        account = account_service.request_account(session, holder, settings)
    if account.state is not AccountState.ISSUED:
        account_service.issue_account(session, reviewer, settings, account.id)


BEIJING = ZoneInfo("Asia/Shanghai")


def drafted_at(submitted: date) -> datetime:
    """When a demo file was drafted: at nine in the morning (Beijing time) of the day it was submitted,
    so that its 创建时间 never comes after its own submission, acceptance or issuance."""
    return datetime.combine(submitted, time(9, 0), tzinfo=BEIJING)


def _file(
    session: Session,
    settings: Settings,
    calendar: WorkingCalendar,
    holder: Principal,
    reviewer: Principal,
    demo: DemoRegistration,
    code: str,
    evidence_index: int,
    rows: int,
    holder_name: str,
) -> None:
    def on(day: date) -> Clock:
        return Clock(day, calendar, settings)

    draft = application_service.create_application(
        session,
        holder,
        settings,
        ApplicationCreate(
            application_type=ApplicationType.INITIAL,
            subject_kind=SubjectKind.RESOURCE,
            catalog_code=code,
            evidence_ledger_index=evidence_index,
            internal_business_review_done=True,
            interested_parties_consensus=True,
            content_summary=f"{demo.resource}：{'、'.join(demo.scenarios)}（演示登记）",
            info=BasicInfo(
                name=demo.resource,
                data_structure="见数据资源目录的字段说明",
                data_scale=f"{rows:,} 条",
                generation_frequency="daily",
                holder_info=holder_name,
                right_type="resource_holding",
                right_term="2026-01-01 ~ 2030-12-31",
                data_quality="完整性 99% 以上，按日校验",
                industry=demo.industry,
                application_scenarios=list(demo.scenarios),
            ),
        ),
        created_at=drafted_at(demo.submitted),
    )
    requirements = required_materials(draft.application_type, draft.subject_kind, draft.rule_profile)
    for requirement in requirements:
        if requirement.kind != ATTACHMENT:
            continue
        material = requirement.names[0]
        application_service.add_attachment(
            session,
            holder,
            settings,
            draft.id,
            io.BytesIO(_material(requirement.title, demo.resource)),
            material=material,
            media_type="application/pdf",
            filename=f"{requirement.title.split(' (')[0]}.pdf",
        )
    application_service.submit(session, holder, on(demo.submitted), draft.id)
    if demo.accepted is None:
        return
    review_service.accept(session, reviewer, on(demo.accepted), draft.id)
    if demo.passed is None:
        return
    passed = review_service.pass_review(session, reviewer, on(demo.passed), draft.id)
    if demo.issue and passed.publicity_end is not None:
        issue_day = calendar.next_working_day(passed.publicity_end)
        review_service.issue(session, reviewer, on(issue_day), draft.id)
