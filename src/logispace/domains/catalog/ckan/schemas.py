"""CKAN Action API shapes (CKAN 接口数据结构): the parameters and results of the read subset, as CKAN
2.x names them, so that CKAN clients and harvesters read them unchanged."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

MAX_ROWS = 1000
"""CKAN's default ``ckan.search.rows_max``."""
MAX_START = 1_000_000_000
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot compare text with NUL: refused as a validation error

T = TypeVar("T")


# -- parameters -------------------------------------------------------------------------------------


class _Params(BaseModel):
    # CKAN ignores parameters an action does not know (clients send include_private, use_default_schema...).
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class PackageListParams(_Params):
    limit: int | None = Field(None, ge=1, le=MAX_ROWS, description="at most this many names")
    offset: int = Field(0, ge=0, le=MAX_START)


class PackageShowParams(_Params):
    id: str = Field(
        min_length=1, max_length=100, pattern=NO_NUL, description="catalogue code (统一目录标识), name or id"
    )


class SearchParams(_Params):
    q: str = Field(
        "", max_length=1000, pattern=NO_NUL, description="free text; `*:*` or empty for everything"
    )
    fq: str = Field(
        "",
        max_length=2000,
        pattern=NO_NUL,
        description="filters `field:value` joined by spaces or AND: organization, owner_org, groups, "
        "tags, res_format, license_id (value quoted, or `(a OR b)`)",
    )
    rows: int = Field(10, ge=0, le=MAX_ROWS)
    start: int = Field(0, ge=0, le=MAX_START)
    sort: str | None = Field(
        None,
        max_length=200,
        pattern=NO_NUL,
        description="`field asc|desc`, comma separated: score, metadata_modified, metadata_created, "
        "title_string, name, id (default `score desc, metadata_modified desc`)",
    )
    facet_limit: int = Field(50, ge=-1, le=MAX_ROWS, alias="facet.limit")
    facet_mincount: int = Field(1, ge=0, le=MAX_START, alias="facet.mincount")
    include_private: bool = Field(False, description="ignored: only public datasets are served")
    include_drafts: bool = Field(False, description="ignored: drafts are never served")


class PackageSearchQuery(SearchParams):
    facet_field: str | None = Field(
        None,
        max_length=1000,
        pattern=NO_NUL,
        alias="facet.field",
        description='JSON list, e.g. ["organization","tags"]',
    )


class PackageSearchBody(SearchParams):
    facet_field: str | list[str] | None = Field(None, alias="facet.field")


class OrganizationListParams(_Params):
    all_fields: bool = False
    sort: str = Field(
        "title asc", max_length=100, pattern=NO_NUL, description="name, title or package_count, asc|desc"
    )
    limit: int | None = Field(None, ge=1, le=MAX_ROWS)
    offset: int = Field(0, ge=0, le=MAX_START)


class OrganizationListBody(OrganizationListParams):
    organizations: list[str] | None = Field(None, max_length=MAX_ROWS, description="only these names")


class OrganizationShowParams(_Params):
    id: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="organization id or name")
    include_datasets: bool = False


# -- results ---------------------------------------------------------------------------------------


class CkanTag(BaseModel):
    id: str
    name: str
    display_name: str
    state: str = "active"
    vocabulary_id: str | None = None


class CkanGroup(BaseModel):
    id: str
    name: str
    title: str
    display_name: str
    description: str
    image_display_url: str = ""


class CkanOrganization(BaseModel):
    id: str
    name: str
    title: str
    type: str = "organization"
    description: str
    image_url: str = ""
    created: str
    is_organization: bool = True
    approval_status: str = "approved"
    state: str = "active"


class CkanResource(BaseModel):
    id: str
    package_id: str
    name: str
    description: str
    format: str
    mimetype: str | None
    url: str
    url_type: str | None = None
    size: int | None
    hash: str
    created: str
    last_modified: str | None
    metadata_modified: str
    position: int
    state: str = "active"
    resource_type: str | None
    datastore_active: bool = False
    cache_url: str | None = None
    cache_last_updated: str | None = None
    mimetype_inner: str | None = None
    version: int = Field(description="LogiSpace: the data version (数据版本) this resource serves")
    row_count: int | None


class CkanExtra(BaseModel):
    key: str
    value: str


class CkanPackage(BaseModel):
    id: str
    name: str = Field(description="the catalogue code in lower case")
    title: str
    notes: str
    url: str
    author: str
    author_email: str | None
    maintainer: str | None
    maintainer_email: str | None
    license_id: str
    license_title: str
    license_url: str
    isopen: bool
    version: str
    state: str = "active"
    private: bool = False
    type: str = "dataset"
    metadata_created: str
    metadata_modified: str
    creator_user_id: str | None = None
    owner_org: str
    organization: CkanOrganization
    tags: list[CkanTag]
    groups: list[CkanGroup]
    resources: list[CkanResource]
    extras: list[CkanExtra]
    num_resources: int
    num_tags: int
    relationships_as_object: list[dict[str, Any]] = Field(default_factory=list)
    relationships_as_subject: list[dict[str, Any]] = Field(default_factory=list)


class CkanFacetItem(BaseModel):
    name: str
    display_name: str
    count: int


class CkanSearchFacet(BaseModel):
    title: str
    items: list[CkanFacetItem]


class CkanSearchResult(BaseModel):
    count: int
    sort: str
    facets: dict[str, dict[str, int]]
    search_facets: dict[str, CkanSearchFacet]
    results: list[CkanPackage]


class CkanOrganizationDetail(CkanOrganization):
    display_name: str
    package_count: int
    users: list[dict[str, Any]] = Field(default_factory=list)
    extras: list[CkanExtra] = Field(default_factory=list)
    tags: list[CkanTag] = Field(default_factory=list)
    groups: list[CkanGroup] = Field(default_factory=list)


class CkanOrganizationShow(CkanOrganizationDetail):
    packages: list[CkanPackage] | None = Field(None, description="only with include_datasets, else absent")


class CkanResponse(BaseModel, Generic[T]):
    """CKAN's envelope of a successful action."""

    help: str
    success: Literal[True] = True
    result: T


class CkanErrorDetail(BaseModel):
    """``__type`` names the error (Not Found Error, Validation Error, ...); a validation error lists
    the messages of each field."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    type: str = Field(alias="__type")
    message: str | None = None


class CkanErrorResponse(BaseModel):
    """CKAN's envelope of a failed action."""

    help: str
    success: Literal[False] = False
    error: CkanErrorDetail


# -- the further actions (issue 15 point 5) ---------------------------------------------------------

MAX_ACTIVITIES = 100
"""CKAN's default ``ckan.activity_list_limit_max``."""


def strict_body(params: type[BaseModel]) -> type[BaseModel]:
    """``params`` as a JSON body takes JSON's own types (``true``, not ``"true"`` or ``1``), as its
    schema says; a query string's values are text, so the query form converts them."""
    return _STRICT.setdefault(
        params,
        type(
            f"{params.__name__}Body",
            (params,),
            {"model_config": ConfigDict(**params.model_config, strict=True), "__module__": params.__module__},
        ),
    )


_STRICT: dict[type[BaseModel], type[BaseModel]] = {}


class NoParams(_Params):
    """An action without parameters (status_show, site_read, license_list)."""


class TagListParams(_Params):
    query: str | None = Field(None, max_length=100, pattern=NO_NUL, description="tags containing this")
    vocabulary_id: str | None = Field(None, max_length=100, description="ignored: there are free tags only")
    all_fields: bool = False


class TagShowParams(_Params):
    id: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="tag name or id")
    include_datasets: bool = False


class GroupListParams(_Params):
    all_fields: bool = False
    include_dataset_count: bool = True
    sort: str = Field(
        "title asc", max_length=100, pattern=NO_NUL, description="name, title or package_count, asc|desc"
    )
    limit: int | None = Field(None, ge=1, le=MAX_ROWS)
    offset: int = Field(0, ge=0, le=MAX_START)
    groups: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, max_length=100, description="only these names (POST)"
    )


class GroupShowParams(_Params):
    id: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="group name or id")
    include_datasets: bool = False
    include_dataset_count: bool = True


class IdParams(_Params):
    id: str = Field(min_length=1, max_length=100, pattern=NO_NUL)


class HelpShowParams(_Params):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="an action's name")


class AutocompleteParams(_Params):
    q: str = Field(max_length=100, pattern=NO_NUL, description="what the names or titles contain")
    limit: int = Field(10, ge=1, le=MAX_ROWS)


class OrganizationAutocompleteParams(AutocompleteParams):
    limit: int = Field(20, ge=1, le=MAX_ROWS)


class FormatAutocompleteParams(AutocompleteParams):
    limit: int = Field(5, ge=1, le=MAX_ROWS)


class ActivityPage(_Params):
    offset: int = Field(0, ge=0, le=MAX_START)
    limit: int = Field(31, ge=1, le=MAX_ACTIVITIES)


class PackageActivityParams(ActivityPage):
    id: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="dataset name or id")


class CkanGroupDetail(CkanOrganizationDetail):
    """A category of 数据资源分类 as a CKAN group."""

    type: str = "group"
    is_organization: bool = False
    image_display_url: str = ""
    package_count: int | None = None  # type: ignore[assignment]
    num_followers: int = 0


class CkanGroupShow(CkanGroupDetail):
    packages: list[CkanPackage] | None = Field(None, description="only with include_datasets, else absent")


class CkanLicense(BaseModel):
    id: str
    title: str
    url: str
    status: str = "active"
    maintainer: str = ""
    family: str = ""
    is_generic: bool = False
    is_okd_compliant: bool
    is_osi_compliant: bool = False
    od_conformance: str
    osd_conformance: str = "not reviewed"
    domain_content: bool
    domain_data: bool
    domain_software: bool = False


class CkanActivity(BaseModel):
    id: str
    timestamp: str
    user_id: str = Field(description="the holder organization: people are not disclosed")
    object_id: str
    activity_type: str
    data: dict[str, Any]
    ledger_index: int = Field(description="LogiSpace: the ledger entry (存证记录) this activity is")
