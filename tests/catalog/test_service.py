"""Catalogue services: lifecycle with ledger entries, rules on the stored state, 一数一源, list versions."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.pagination import PageParams
from logispace.domains.catalog import service
from logispace.domains.catalog.enums import ListChange, ResourceStatus
from logispace.domains.catalog.errors import (
    CoreDataNotShareable,
    InvalidTransition,
    RuleViolated,
    SourceAlreadyDeclared,
    UnknownReference,
)
from logispace.domains.catalog.lists import service as list_service
from logispace.domains.catalog.models import DataResource
from logispace.domains.catalog.schemas import ResourceCreate, ResourceUpdate
from logispace.domains.identity import SYSTEM, PartyType, Role
from logispace.domains.identity.service import principal_of_user
from logispace.domains.ledger.models import LedgerEntry
from tests.factories.catalog import make_data_item, make_resource, publish_list, resource_body
from tests.factories.identity import make_party, make_user


def ledger_entries(db: Session, subject: str) -> list[LedgerEntry]:
    return list(
        db.scalars(select(LedgerEntry).where(LedgerEntry.subject == subject).order_by(LedgerEntry.entry_id))
    )


def test_seeded_grades_and_category_tree(db: Session) -> None:
    grades = service.list_grades(db)
    assert [g.code for g in grades] == ["core", "important", "general_sensitive", "general_other"]
    assert [g.rank for g in grades] == [4, 3, 2, 1]
    assert all(g.source_ref.startswith("004:") for g in grades)
    tree = service.list_categories(db)
    top = [c.code for c in tree if c.depth == 0]
    # seed 000:25 and 000:27 name these; 000:36 the multimodal documents
    assert top == ["ENT", "PRAC", "VEH", "CUS", "INFRA", "CAP", "PRICE", "ROAD", "TRACK", "MULTI"]
    assert all(c.parent_code is None for c in tree if c.depth == 0)
    assert {c.code for c in tree if c.parent_code == "VEH"} == {"VEH.VEHICLE", "VEH.VESSEL", "VEH.CONTAINER"}
    assert service.category_with_descendants(db, "TRACK") == [
        "TRACK",
        "TRACK.CARGO",
        "TRACK.VEHICLE",
        "TRACK.VESSEL",
    ]


def test_publish_fixes_the_code_and_goes_to_the_ledger(db: Session) -> None:
    holder = make_party(db)
    resource = make_resource(db, holder)
    code = resource.catalog_code
    assert resource.status is ResourceStatus.DRAFT
    assert ledger_entries(db, f"catalog:resource:{code}") == []

    published = service.publish_resource(db, SYSTEM, code)
    assert published.catalog_code == code
    assert published.status is ResourceStatus.PUBLISHED
    (entry,) = ledger_entries(db, f"catalog:resource:{code}")
    assert entry.kind == "catalog.resource.published"
    assert published.published_ledger_index == entry.entry_id
    assert code.encode() in entry.leaf_input

    service.update_resource(db, SYSTEM, code, ResourceUpdate(name="改名后的资源"))
    assert service.get_resource(db, None, code).catalog_code == code
    service.withdraw_resource(db, SYSTEM, code, "数据源停用")
    kinds = [e.kind for e in ledger_entries(db, f"catalog:resource:{code}")]
    assert kinds == ["catalog.resource.published", "catalog.resource.revised", "catalog.resource.withdrawn"]
    withdrawn = service.get_resource(db, None, code)
    assert withdrawn.status is ResourceStatus.WITHDRAWN
    assert withdrawn.withdrawal_reason == "数据源停用"


def test_lifecycle_refusals(db: Session) -> None:
    resource = make_resource(db, make_party(db))
    with pytest.raises(InvalidTransition):
        service.withdraw_resource(db, SYSTEM, resource.catalog_code, "x")
    service.publish_resource(db, SYSTEM, resource.catalog_code)
    with pytest.raises(InvalidTransition):
        service.publish_resource(db, SYSTEM, resource.catalog_code)
    service.withdraw_resource(db, SYSTEM, resource.catalog_code, "x")
    for step in (
        lambda: service.publish_resource(db, SYSTEM, resource.catalog_code),
        lambda: service.withdraw_resource(db, SYSTEM, resource.catalog_code, "y"),
        lambda: service.update_resource(db, SYSTEM, resource.catalog_code, ResourceUpdate(name="z")),
    ):
        with pytest.raises(InvalidTransition):
            step()


def test_resources_are_never_deleted(db: Session) -> None:
    resource = make_resource(db, make_party(db))
    savepoint = db.begin_nested()
    db.delete(resource)
    with pytest.raises((IntegrityError, DBAPIError)):
        db.flush()
    savepoint.rollback()
    assert db.scalar(select(func.count()).where(DataResource.id == resource.id)) == 1


@pytest.mark.parametrize(
    ("overrides", "error", "rules"),
    [
        (
            {"grade": "core", "sharing_type": "conditional"},
            CoreDataNotShareable,
            ["core-data-not-shareable", "core-data-not-openable"],
        ),
        (
            {
                "grade": "core",
                "sharing_type": "not_shared",
                "sharing_basis": "国家秘密",
                "open_type": "conditional",
            },
            CoreDataNotShareable,
            ["core-data-not-openable"],
        ),
        ({"sharing_type": "unconditional"}, RuleViolated, ["grade-ceiling-exceeded"]),
        ({"grade": "general_other"}, RuleViolated, ["grade-below-fields"]),
        ({"sharing_type": "not_shared"}, RuleViolated, ["basis-required"]),
        ({"open_type": "not_opened"}, RuleViolated, ["basis-required"]),
        ({"open_conditions": None}, RuleViolated, ["conditions-required"]),
    ],
)
def test_create_refuses_rule_violations(
    db: Session, overrides: dict[str, object], error: type[Exception], rules: list[str]
) -> None:
    with pytest.raises(error) as caught:
        make_resource(db, make_party(db), **overrides)
    assert [v["rule"] for v in caught.value.extensions["violations"]] == rules  # type: ignore[attr-defined]


def test_unknown_codes_are_named(db: Session) -> None:
    body = resource_body(category="NOPE", grade="secret")
    body["fields"] = [{"name": "a", "title": "甲", "type": "string", "grade": "ultra"}]
    with pytest.raises(UnknownReference) as caught:
        service.create_resource(
            db, SYSTEM, ResourceCreate.model_validate(body), holder_party_id=make_party(db).id
        )
    errors = caught.value.extensions["errors"]
    assert [e["loc"] for e in errors] == [
        ["body", "category"],
        ["body", "grade"],
        ["body", "fields", 0, "grade"],
    ]
    assert "NOPE" in errors[0]["msg"]
    assert "ultra" in errors[2]["msg"]


def test_update_checks_the_merged_state(db: Session) -> None:
    resource = make_resource(db, make_party(db))
    with pytest.raises(RuleViolated):  # sensitive fields stay, the resource would drop below them
        service.update_resource(db, SYSTEM, resource.catalog_code, ResourceUpdate(grade="general_other"))
    with pytest.raises(CoreDataNotShareable):
        service.update_resource(db, SYSTEM, resource.catalog_code, ResourceUpdate(grade="core"))
    updated = service.update_resource(
        db,
        SYSTEM,
        resource.catalog_code,
        ResourceUpdate.model_validate(
            {
                "grade": "core",
                "sharing_type": "not_shared",
                "sharing_basis": "核心数据",
                "open_type": "not_opened",
                "open_basis": "核心数据",
            }
        ),
    )
    assert updated.grade_code == "core"
    assert updated.revision == 2


def test_one_source_per_data_item_naming_the_existing_source(db: Session) -> None:
    ministry = make_party(db, name="示范交通运输厅", party_type=PartyType.PUBLIC_AGENCY)
    carrier = make_party(db, name="示范物流公司")
    source = make_resource(db, ministry, publish=True)
    item = make_data_item(db, ministry, code="vehicle_registration", resource=source)
    assert ledger_entries(db, "catalog:data-item:vehicle_registration")[0].kind == (
        "catalog.data_item.source_declared"
    )
    assert item.ledger_index is not None

    with pytest.raises(SourceAlreadyDeclared) as caught:
        make_data_item(db, carrier, code="vehicle_registration")
    assert "示范交通运输厅" in caught.value.detail
    assert caught.value.extensions["source_party"] == {"id": str(ministry.id), "name": "示范交通运输厅"}
    with pytest.raises(SourceAlreadyDeclared, match="your party"):
        make_data_item(db, ministry, code="VEHICLE_REGISTRATION")

    copy = make_resource(db, carrier, data_item="vehicle_registration")
    (read,) = service.resource_reads(db, [copy])
    assert read.data_item is not None
    assert read.data_item.is_source is False
    assert read.data_item.source_party.name == "示范交通运输厅"
    assert read.data_item.derived_from == [source.catalog_code]
    (source_read,) = service.resource_reads(db, [source])
    assert source_read.data_item is not None
    assert source_read.data_item.is_source is True


def test_data_items_only_declared_by_editors_for_their_own_resources(db: Session) -> None:
    party, other = make_party(db), make_party(db)
    analyst = principal_of_user(db, make_user(db, party, Role.ANALYST))
    steward = principal_of_user(db, make_user(db, party, Role.DATA_STEWARD))
    from logispace.domains.catalog.schemas import DataItemCreate

    with pytest.raises(PermissionDenied):
        service.declare_data_item(
            db, analyst, DataItemCreate(code="port_calls", name="靠港", category="CUS.PORT")
        )
    foreign_draft = make_resource(db, other)
    with pytest.raises(NotFound):
        service.declare_data_item(
            db,
            steward,
            DataItemCreate(
                code="port_calls", name="靠港", category="CUS.PORT", resource_code=foreign_draft.catalog_code
            ),
        )
    foreign_public = make_resource(db, other, publish=True)
    with pytest.raises(PermissionDenied):
        service.declare_data_item(
            db,
            steward,
            DataItemCreate(
                code="port_calls", name="靠港", category="CUS.PORT", resource_code=foreign_public.catalog_code
            ),
        )
    item = service.declare_data_item(
        db, steward, DataItemCreate(code="port_calls", name="靠港", category="CUS.PORT")
    )
    assert item.source_party_id == party.id


def test_list_versions_record_added_changed_removed_and_the_report(db: Session) -> None:
    port = make_party(db, name="甲港务集团")
    rail = make_party(db, name="乙铁路局")
    kept = make_resource(db, port, publish=True)
    to_change = make_resource(db, port, publish=True)
    to_withdraw = make_resource(db, rail, publish=True, sharing_type="not_shared", sharing_basis="商业秘密")
    make_resource(db, rail)  # a draft is never listed

    first = publish_list(db)
    assert (first.version, first.entry_count, first.added, first.changed, first.removed) == (1, 3, 3, 0, 0)

    service.update_resource(db, SYSTEM, to_change.catalog_code, ResourceUpdate(sharing_conditions="仅限监管"))
    service.update_resource(
        db, SYSTEM, kept.catalog_code, ResourceUpdate(description="描述变了，清单属性未变")
    )
    service.withdraw_resource(db, SYSTEM, to_withdraw.catalog_code, "停止提供")
    new = make_resource(db, rail, publish=True)
    second = publish_list(db, note="第二季度")
    assert (second.version, second.entry_count, second.added, second.changed, second.removed) == (
        2,
        3,
        1,
        1,
        1,
    )

    detail = list_service.version_detail(db, 2)
    assert detail.diff.previous_version == 1
    assert detail.diff.added == [new.catalog_code]
    assert detail.diff.changed == [to_change.catalog_code]
    assert detail.diff.removed == [to_withdraw.catalog_code]
    assert {e.catalog_code for e in detail.entries} == {
        kept.catalog_code,
        to_change.catalog_code,
        new.catalog_code,
    }
    changes = {e.catalog_code: e.change for e in detail.entries}
    assert changes[kept.catalog_code] is ListChange.UNCHANGED
    # the first version still lists what it listed
    assert {e.catalog_code for e in list_service.version_detail(db, 1).entries} >= {to_withdraw.catalog_code}
    (entry,) = ledger_entries(db, "catalog:list:2")
    assert entry.kind == "catalog.list.published"
    assert second.ledger_index == entry.entry_id

    rows = {r.holder_name: r for r in list_service.report_rows(db, 2)}
    assert set(rows) == {"甲港务集团", "乙铁路局"}
    assert (rows["甲港务集团"].listed, rows["甲港务集团"].shared_conditional, rows["甲港务集团"].changed) == (
        2,
        2,
        1,
    )
    rail_row = rows["乙铁路局"]
    assert (rail_row.listed, rail_row.added, rail_row.removed, rail_row.not_shared) == (1, 1, 1, 0)
    out = io.StringIO()
    list_service.write_report_csv(list_service.report_rows(db, 2), out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("holder_name,holder_party_id,listed,shared_unconditional,")
    chinese = io.StringIO()
    list_service.write_report_csv(list_service.report_rows(db, 2), chinese, chinese=True)
    assert chinese.getvalue().splitlines()[0] == (
        "数据持有方,主体标识,清单资源数,无条件共享,有条件共享,不予共享,"
        "无条件开放,有条件开放,不予开放,本期新增,本期变更,本期移出"
    )
    assert chinese.getvalue().splitlines()[1:] == lines[1:]
    assert len(lines) == 3
    assert [line.split(",")[0] for line in lines[1:]] == sorted(["甲港务集团", "乙铁路局"])


def test_report_csv_defuses_formulas() -> None:
    from logispace.domains.catalog.schemas import ReportRow

    row = ReportRow.model_validate(
        {
            "holder_party_id": "00000000-0000-0000-0000-000000000001",
            "holder_name": "=HYPERLINK(1)",
            **dict.fromkeys(
                (
                    "listed",
                    "shared_unconditional",
                    "shared_conditional",
                    "not_shared",
                    "open_unconditional",
                    "open_conditional",
                    "not_opened",
                    "added",
                    "changed",
                    "removed",
                ),
                0,
            ),
        }
    )
    out = io.StringIO()
    list_service.write_report_csv([row], out)
    assert out.getvalue().splitlines()[1].startswith("'=HYPERLINK(1)")


def test_list_publishing_needs_the_data_authority(db: Session) -> None:
    registrar = make_party(db, party_type=PartyType.REGISTRATION_AUTHORITY)
    authority = make_party(db, party_type=PartyType.DATA_AUTHORITY)
    from logispace.domains.catalog.schemas import ListVersionCreate

    for party, role in ((registrar, Role.AUTHORITY_ADMIN), (authority, Role.REVIEWER)):
        p = principal_of_user(db, make_user(db, party, role))
        with pytest.raises(PermissionDenied):
            list_service.publish_list_version(db, p, ListVersionCreate())
    admin = principal_of_user(db, make_user(db, authority, Role.AUTHORITY_ADMIN))
    version = list_service.publish_list_version(db, admin, ListVersionCreate())
    assert version.published_by_party_id == authority.id


def test_filters(db: Session) -> None:
    party = make_party(db)
    vessel = make_resource(db, party, publish=True, category="VEH.VESSEL")
    track = make_resource(
        db,
        party,
        publish=True,
        category="TRACK.VESSEL",
        grade="general_other",
        fields=[],
        sharing_type="unconditional",
        open_type="unconditional",
    )
    params = PageParams(limit=200)

    def codes(**filters: object) -> set[str]:
        items, total = service.list_resources(db, None, params, holder=party.id, **filters)  # type: ignore[arg-type]
        assert total == len(items)
        return {r.catalog_code for r in items}

    assert codes() == {vessel.catalog_code, track.catalog_code}
    assert codes(category="VEH") == {vessel.catalog_code}
    assert codes(category="TRACK") == {track.catalog_code}
    assert codes(grade="general_other") == {track.catalog_code}
    assert codes(sharing_type="unconditional") == {track.catalog_code}
    assert codes(open_type="conditional") == {vessel.catalog_code}
    with pytest.raises(UnknownReference):
        codes(category="NOPE")
    with pytest.raises(UnknownReference):
        codes(grade="NOPE")
