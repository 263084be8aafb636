"""Data resources (数据资源), grades and categories (分类分级), data items (一数一源).

Services flush but never commit. A draft the caller may not see is reported as
:class:`~logispace.core.errors.NotFound`, the same as a missing one; published metadata is public.
State changes that must be retained are appended to the ledger in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import Conflict, NotFound, PermissionDenied
from logispace.core.pagination import PageParams, paged
from logispace.domains.catalog import policies, repository
from logispace.domains.catalog.enums import OpenType, ResourceStatus, SharingType, UpdateFrequency
from logispace.domains.catalog.errors import (
    CoreDataNotShareable,
    InvalidTransition,
    RuleViolated,
    SourceAlreadyDeclared,
    UnknownReference,
)
from logispace.domains.catalog.models import Category, DataItem, DataResource, Grade
from logispace.domains.catalog.policies import GradeRule
from logispace.domains.catalog.schemas import (
    FRESHNESS_FIELDS,
    CategoryRead,
    CodeName,
    DataItemCreate,
    DataItemRead,
    DataItemRef,
    FieldSpec,
    GradeRead,
    PartyRef,
    ResourceCreate,
    ResourceRead,
    ResourceUpdate,
)
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import Principal, party_names
from logispace.domains.ledger import append as ledger_append

# -- grades and categories (分类分级) ---------------------------------------------------------------


def grade_rules(session: Session) -> dict[str, GradeRule]:
    return {g.code: _rule(g) for g in repository.grades(session)}


def _rule(g: Grade) -> GradeRule:
    return GradeRule(
        g.code, g.rank, g.name_zh, g.sharing_ceiling, g.open_ceiling, g.ceiling_basis, g.source_ref
    )


def list_grades(session: Session) -> list[GradeRead]:
    return [GradeRead.model_validate(g, from_attributes=True) for g in repository.grades(session)]


def list_categories(session: Session) -> list[CategoryRead]:
    """The category tree, parents before children, each with its depth."""
    rows = repository.categories(session)
    children: dict[str | None, list[Category]] = {}
    for row in rows:
        children.setdefault(row.parent_code, []).append(row)
    out: list[CategoryRead] = []

    def visit(parent: str | None, depth: int) -> None:
        for row in children.get(parent, []):
            out.append(
                CategoryRead(
                    code=row.code,
                    parent_code=row.parent_code,
                    depth=depth,
                    name_zh=row.name_zh,
                    name_en=row.name_en,
                    source_ref=row.source_ref,
                )
            )
            visit(row.code, depth + 1)

    visit(None, 0)
    return out


def category_with_descendants(session: Session, code: str) -> list[str]:
    """``code`` and every category below it; 422 when ``code`` is unknown."""
    tree = list_categories(session)
    if code not in {c.code for c in tree}:
        raise UnknownReference([(["query", "category"], f"unknown category {code}", "unknown_category")])
    wanted = {code}
    for node in tree:  # parents come before children
        if node.parent_code in wanted:
            wanted.add(node.code)
    return sorted(wanted)


def check_grade_code(session: Session, code: str) -> None:
    if code not in grade_rules(session):
        raise UnknownReference([(["query", "grade"], f"unknown grade {code}", "unknown_grade")])


def search_filters(
    session: Session,
    *,
    category: str | None = None,
    grade: str | None = None,
    sharing_type: SharingType | None = None,
    open_type: OpenType | None = None,
    holder: uuid.UUID | None = None,
    frequency: UpdateFrequency | None = None,
) -> dict[str, str]:
    """The facet filters a catalogue search was given, as text (422 naming an unknown category or grade)."""
    if category is not None:
        category_with_descendants(session, category)
    if grade is not None:
        check_grade_code(session, grade)
    given = {
        "category": category,
        "grade": grade,
        "sharing_type": sharing_type.value if sharing_type else None,
        "open_type": open_type.value if open_type else None,
        "holder": str(holder) if holder else None,
        "frequency": frequency.value if frequency else None,
    }
    return {name: value for name, value in given.items() if value is not None}


def _names(session: Session) -> tuple[dict[str, Category], dict[str, Grade]]:
    cats = {c.code: c for c in repository.categories(session)}
    grades = {g.code: g for g in repository.grades(session)}
    return cats, grades


# -- validation of a resource's state -------------------------------------------------------------


def _check_state(session: Session, state: dict[str, Any]) -> None:
    """Unknown codes are invalid input (422, naming each); broken rules are a conflict (409)."""
    cats, grades = _names(session)
    unknown: list[tuple[list[str | int], str, str]] = []
    if state["category_code"] not in cats:
        unknown.append(
            (["body", "category"], f"unknown category {state['category_code']}", "unknown_category")
        )
    if state["grade_code"] not in grades:
        unknown.append((["body", "grade"], f"unknown grade {state['grade_code']}", "unknown_grade"))
    for i, field in enumerate(state["fields"]):
        if field.get("grade") is not None and field["grade"] not in grades:
            unknown.append(
                (["body", "fields", i, "grade"], f"unknown grade {field['grade']}", "unknown_grade")
            )
    if state.get("data_item_code") is not None and state.get("data_item") is None:
        unknown.append(
            (["body", "data_item"], f"unknown data item {state['data_item_code']}", "unknown_data_item")
        )
    if unknown:
        raise UnknownReference(unknown)
    rules = {code: _rule(g) for code, g in grades.items()}
    grade = rules[state["grade_code"]]
    field_grades = [(f["name"], rules[f["grade"]]) for f in state["fields"] if f.get("grade") is not None]
    violations = [
        *policies.grade_below_fields(grade, field_grades),
        *policies.sharing_violations(
            grade, state["sharing_type"], state["sharing_conditions"], state["sharing_basis"]
        ),
        *policies.open_violations(grade, state["open_type"], state["open_conditions"], state["open_basis"]),
    ]
    if any(v.rule.startswith("core-data") for v in violations):
        raise CoreDataNotShareable(violations)
    if violations:
        raise RuleViolated(violations)


_RENAMED = {"category": "category_code", "grade": "grade_code"}


def _state_of(resource: DataResource) -> dict[str, Any]:
    return {
        "category_code": resource.category_code,
        "grade_code": resource.grade_code,
        "fields": list(resource.fields),
        "sharing_type": resource.sharing_type,
        "sharing_conditions": resource.sharing_conditions,
        "sharing_basis": resource.sharing_basis,
        "open_type": resource.open_type,
        "open_conditions": resource.open_conditions,
        "open_basis": resource.open_basis,
    }


def _fields_json(fields: Sequence[FieldSpec]) -> list[dict[str, Any]]:
    return [f.model_dump(exclude_none=True) for f in fields]


def _data_item(session: Session, code: str | None) -> DataItem | None:
    return repository.data_item_by_code(session, code) if code is not None else None


# -- resources (数据资源) ---------------------------------------------------------------------------


def _new_code(session: Session) -> str:
    for _ in range(5):
        code = policies.new_catalog_code()
        if not repository.code_taken(session, code):
            return code
    raise Conflict("could not allocate a free catalogue code; try again")  # pragma: no cover


def create_resource(
    session: Session, p: Principal, data: ResourceCreate, *, holder_party_id: uuid.UUID | None = None
) -> DataResource:
    """Create a draft resource (新建数据资源) held by the caller's party (the system names the holder)."""
    if not policies.can_create_resource(p):
        raise PermissionDenied("only a party administrator or data steward may describe data resources")
    holder = holder_party_id if p.is_system and holder_party_id is not None else p.party_id
    if holder is None:
        raise PermissionDenied("a data resource needs a holder party")
    values = data.model_dump(exclude={"category", "grade", "fields", "data_item"})
    item = _data_item(session, data.data_item)
    state = {
        **values,
        "category_code": data.category,
        "grade_code": data.grade,
        "fields": _fields_json(data.fields),
        "data_item_code": data.data_item,
        "data_item": item,
    }
    _check_state(session, state)
    now = utcnow()
    resource = DataResource(
        **values,
        catalog_code=_new_code(session),
        status=ResourceStatus.DRAFT,
        holder_party_id=holder,
        category_code=data.category,
        grade_code=data.grade,
        fields=state["fields"],
        data_item_id=item.id if item else None,
        revision=1,
        created_at=now,
        updated_at=now,
    )
    session.add(resource)
    session.flush()
    return resource


def get_resource(session: Session, p: Principal | None, code: str) -> DataResource:
    resource = repository.resource_by_code(session, code)
    if resource is None or not policies.can_view_resource(p, resource.holder_party_id, resource.status):
        raise NotFound(f"data resource {code} not found")
    return resource


def _editable(session: Session, p: Principal, code: str) -> DataResource:
    resource = get_resource(session, p, code)
    if not policies.can_edit_resource(p, resource.holder_party_id):
        raise PermissionDenied("only the holder party's administrators and data stewards may change it")
    return resource


def update_resource(session: Session, p: Principal, code: str, data: ResourceUpdate) -> DataResource:
    """Edit a draft or a published resource; the code never changes. Withdrawn ones are closed (409)."""
    resource = _editable(session, p, code)
    if not policies.editable(resource.status):
        raise InvalidTransition(f"data resource {code} is {resource.status.value} and can no longer change")
    changes = data.model_dump(exclude_unset=True)
    if "fields" in changes:
        changes["fields"] = _fields_json(data.fields or [])
    changes = {_RENAMED.get(k, k): v for k, v in changes.items()}
    item_code = changes.pop("data_item", None)
    state = {**_state_of(resource), **changes}
    if "data_item" in data.model_fields_set:
        state["data_item_code"] = item_code
        state["data_item"] = _data_item(session, item_code)
    _check_state(session, state)
    state_item = state.pop("data_item", None)
    state.pop("data_item_code", None)
    if "data_item" in data.model_fields_set:
        resource.data_item_id = state_item.id if state_item else None
    for key, value in changes.items():
        setattr(resource, key, value)
    resource.revision += 1
    resource.updated_at = utcnow()
    session.flush()
    if resource.status is ResourceStatus.PUBLISHED:
        _append(session, "catalog.resource.revised", resource, p)
        search_service.reindex(session, resource)
    return resource


def publish_resource(session: Session, p: Principal, code: str) -> DataResource:
    """Publish a draft (发布): its catalogue code is fixed for good and the step goes to the ledger."""
    resource = _editable(session, p, code)
    if policies.next_status(resource.status, "publish") is None:
        raise InvalidTransition(f"data resource {code} is {resource.status.value}; only a draft is published")
    _check_state(session, {**_state_of(resource), "data_item": None, "data_item_code": None})
    resource.status = ResourceStatus.PUBLISHED
    resource.published_at = utcnow()
    session.flush()
    resource.published_ledger_index = _append(session, "catalog.resource.published", resource, p)
    session.flush()
    search_service.reindex(session, resource)
    return resource


def withdraw_resource(session: Session, p: Principal, code: str, reason: str) -> DataResource:
    """Withdraw a published resource (撤回): it stays on record, readable as withdrawn, never deleted."""
    resource = _editable(session, p, code)
    if policies.next_status(resource.status, "withdraw") is None:
        raise InvalidTransition(
            f"data resource {code} is {resource.status.value}; only a published resource is withdrawn"
        )
    resource.status = ResourceStatus.WITHDRAWN
    resource.withdrawn_at = utcnow()
    resource.withdrawal_reason = reason
    session.flush()
    _append(session, "catalog.resource.withdrawn", resource, p, reason=reason)
    search_service.reindex(session, resource)
    return resource


def check_regrade(session: Session, resource: DataResource, grade: str) -> None:
    """Refuse a grade that the resource's fields, sharing or opening conditions do not allow (409)."""
    _check_state(session, {**_state_of(resource), "grade_code": grade})


def append_entry(session: Session, kind: str, resource: DataResource, p: Principal, **extra: Any) -> int:
    """Append a ledger entry about ``resource`` (its metadata fingerprint and ``extra``); its index."""
    return _append(session, kind, resource, p, **extra)


def _append(session: Session, kind: str, resource: DataResource, p: Principal, **extra: Any) -> int:
    payload = {
        "catalog_code": resource.catalog_code,
        "revision": resource.revision,
        "status": resource.status.value,
        "holder_party_id": str(resource.holder_party_id),
        "metadata_sha256": policies.fingerprint(
            resource_reads(session, [resource])[0].model_dump(
                mode="json", exclude={"published_ledger_index", "updated_at", *FRESHNESS_FIELDS}
            )
        ),
        **extra,
    }
    receipt = ledger_append(
        session,
        kind=kind,
        subject=f"catalog:resource:{resource.catalog_code}",
        payload=payload,
        actor=p.party_id,
    )
    return receipt.entry_id


def list_resources(
    session: Session,
    p: Principal | None,
    params: PageParams,
    *,
    category: str | None = None,
    grade: str | None = None,
    sharing_type: SharingType | None = None,
    open_type: OpenType | None = None,
    holder: uuid.UUID | None = None,
    status: ResourceStatus | None = None,
) -> tuple[Sequence[DataResource], int]:
    """Resources the caller may see: published and withdrawn ones, their party's drafts (the authority
    sees every draft); a category filter includes its sub-categories."""
    if grade is not None:
        check_grade_code(session, grade)
    stmt = repository.resource_query(
        visible_to_party=p.party_id if p is not None else None,
        sees_all=p is not None and p.is_authority,
        category_codes=category_with_descendants(session, category) if category is not None else None,
        grade=grade,
        sharing_type=sharing_type,
        open_type=open_type,
        holder=holder,
        status=status,
    )
    return paged(session, stmt, params)


def resource_reads(session: Session, resources: Sequence[DataResource]) -> list[ResourceRead]:
    """Response bodies for ``resources`` with party, category, grade and data-item names."""
    cats, grades = _names(session)
    items = repository.data_items_by_id(session, {r.data_item_id for r in resources if r.data_item_id})
    sources = repository.resources_of_items(session, set(items), published_only=True)
    names = party_names(
        session, {r.holder_party_id for r in resources} | {i.source_party_id for i in items.values()}
    )
    latest = repository.latest_distributions(session, {r.id for r in resources})
    now = utcnow()

    def code_name(row: Category | Grade) -> CodeName:
        return CodeName(code=row.code, name_zh=row.name_zh, name_en=row.name_en)

    def item_ref(r: DataResource) -> DataItemRef | None:
        item = items.get(r.data_item_id) if r.data_item_id else None
        if item is None:
            return None
        is_source = item.source_party_id == r.holder_party_id
        return DataItemRef(
            code=item.code,
            name=item.name,
            source_party=PartyRef(id=item.source_party_id, name=names.get(item.source_party_id, "")),
            is_source=is_source,
            derived_from=[]
            if is_source
            else [
                s.catalog_code
                for s in sources
                if s.data_item_id == item.id and s.holder_party_id == item.source_party_id
            ],
        )

    return [
        ResourceRead(
            catalog_code=r.catalog_code,
            status=r.status,
            holder=PartyRef(id=r.holder_party_id, name=names.get(r.holder_party_id, "")),
            name=r.name,
            description=r.description,
            category=code_name(cats[r.category_code]),
            grade=code_name(grades[r.grade_code]),
            fields=[FieldSpec.model_validate(f) for f in r.fields],
            data_scale=r.data_scale,
            record_count=r.record_count,
            update_frequency=r.update_frequency,
            right_type=r.right_type,
            right_term_start=r.right_term_start,
            right_term_end=r.right_term_end,
            data_quality=r.data_quality,
            industry=r.industry,
            application_scenarios=list(r.application_scenarios),
            keywords=list(r.keywords),
            theme=r.theme,
            spatial_coverage=r.spatial_coverage,
            temporal_start=r.temporal_start,
            temporal_end=r.temporal_end,
            contact_name=r.contact_name,
            contact_phone=r.contact_phone,
            contact_email=r.contact_email,
            sharing_type=r.sharing_type,
            sharing_conditions=r.sharing_conditions,
            sharing_basis=r.sharing_basis,
            open_type=r.open_type,
            open_conditions=r.open_conditions,
            open_basis=r.open_basis,
            data_item=item_ref(r),
            revision=r.revision,
            created_at=r.created_at,
            updated_at=r.updated_at,
            published_at=r.published_at,
            published_ledger_index=r.published_ledger_index,
            withdrawn_at=r.withdrawn_at,
            withdrawal_reason=r.withdrawal_reason,
            **_freshness(r, latest.get(r.id), now),
        )
        for r in resources
    ]


def _freshness(r: DataResource, latest: tuple[int, datetime] | None, now: datetime) -> dict[str, Any]:
    version, uploaded_at = latest if latest is not None else (None, None)
    return {
        "latest_version": version,
        "data_updated_at": uploaded_at,
        "stale": policies.is_stale(r.update_frequency, uploaded_at, now),
        "stale_since": policies.stale_since(r.update_frequency, uploaded_at),
    }


def resource_by_holder_and_name(
    session: Session, holder_party_id: uuid.UUID, name: str
) -> DataResource | None:
    """For idempotent loaders (demo data): a holder's resource of this name, if any."""
    return repository.resource_by_holder_and_name(session, holder_party_id, name)


def data_item_by_code(session: Session, code: str) -> DataItem | None:
    return repository.data_item_by_code(session, code)


# -- data items (数据项, 一数一源) ------------------------------------------------------------------


def declare_data_item(
    session: Session, p: Principal, data: DataItemCreate, *, source_party_id: uuid.UUID | None = None
) -> DataItem:
    """Declare the caller's party the single authoritative source of a data item (一数一源, 004:154;
    002:8). A second declaration of the same item is refused, naming the existing source."""
    # A resource the caller may not see is 404 before anything else, as if it did not exist.
    if data.resource_code is not None:
        get_resource(session, p, data.resource_code)
    if not policies.can_create_resource(p):
        raise PermissionDenied("only a party administrator or data steward may declare a data source")
    source = source_party_id if p.is_system and source_party_id is not None else p.party_id
    if source is None:
        raise PermissionDenied("a data source declaration needs a party")
    if data.category not in _names(session)[0]:
        raise UnknownReference(
            [(["body", "category"], f"unknown category {data.category}", "unknown_category")]
        )
    existing = repository.data_item_by_code(session, data.code)
    if existing is not None:
        name = party_names(session, {existing.source_party_id}).get(existing.source_party_id, "")
        whose = "your party" if existing.source_party_id == source else name
        raise SourceAlreadyDeclared(
            f"data item {data.code} ({existing.name}) already has its authoritative source: {whose}; "
            "one data item has one source (一数一源), so describe your copy as a resource derived from it",
            source_party={"id": str(existing.source_party_id), "name": name},
            data_item=existing.code,
        )
    resource = None
    if data.resource_code is not None:
        resource = _editable(session, p, data.resource_code)
        if resource.holder_party_id != source:
            raise PermissionDenied("the source resource must be held by the declaring party")
        if resource.status is ResourceStatus.WITHDRAWN:
            raise InvalidTransition(f"data resource {resource.catalog_code} is withdrawn")
        if resource.data_item_id is not None:
            raise Conflict(f"data resource {resource.catalog_code} carries another data item already")
    item = DataItem(
        code=data.code,
        name=data.name,
        category_code=data.category,
        source_party_id=source,
        note=data.note,
        declared_at=utcnow(),
    )
    session.add(item)
    session.flush()
    if resource is not None:
        resource.data_item_id = item.id
    receipt = ledger_append(
        session,
        kind="catalog.data_item.source_declared",
        subject=f"catalog:data-item:{item.code}",
        payload={
            "code": item.code,
            "name": item.name,
            "category": item.category_code,
            "source_party_id": str(source),
            "source_resource": resource.catalog_code if resource else None,
        },
        actor=p.party_id if p.party_id is not None else source,
    )
    item.ledger_index = receipt.entry_id
    session.flush()
    return item


def list_data_items(
    session: Session, params: PageParams, *, category: str | None = None
) -> tuple[Sequence[DataItem], int]:
    codes = category_with_descendants(session, category) if category is not None else None
    return paged(session, repository.data_item_query(category_codes=codes), params)


def data_item_reads(session: Session, p: Principal | None, items: Sequence[DataItem]) -> list[DataItemRead]:
    """Data items with their source party and the source's resources the caller may see."""
    cats = _names(session)[0]
    names = party_names(session, {i.source_party_id for i in items})
    resources = repository.resources_of_items(session, {i.id for i in items}, published_only=False)
    return [
        DataItemRead(
            code=i.code,
            name=i.name,
            category=CodeName(
                code=i.category_code,
                name_zh=cats[i.category_code].name_zh,
                name_en=cats[i.category_code].name_en,
            ),
            source_party=PartyRef(id=i.source_party_id, name=names.get(i.source_party_id, "")),
            source_resources=[
                r.catalog_code
                for r in resources
                if r.data_item_id == i.id
                and r.holder_party_id == i.source_party_id
                and policies.can_view_resource(p, r.holder_party_id, r.status)
            ],
            note=i.note,
            declared_at=i.declared_at,
            ledger_index=i.ledger_index,
        )
        for i in items
    ]
