"""CKAN actions table (CKAN 接口动作表): the actions served beyond the five dataset and organization
reads, each with its parameters, its handler and, as in CKAN, the handler's docstring as its help.

``api.py`` routes every entry of :data:`ACTIONS` by GET and POST; :func:`help_text` answers
``help_show`` for these and for the five reads.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace import __version__
from logispace.core.errors import NotFound
from logispace.domains.catalog.ckan import activity, groups, lookup
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import (
    ActivityPage,
    AutocompleteParams,
    FormatAutocompleteParams,
    GroupListParams,
    GroupShowParams,
    HelpShowParams,
    IdParams,
    NoParams,
    OrganizationAutocompleteParams,
    PackageActivityParams,
    TagListParams,
    TagShowParams,
)

CKAN_VERSION = "2.10.0"
"""The CKAN API version whose actions and shapes these follow."""

Handler = Callable[[Session, str, Any], Any]


@dataclass(frozen=True)
class Action:
    """A CKAN action: its parameters, its handler ``(session, site base URL, params) -> result`` and
    a one-line summary."""

    params: type[BaseModel]
    run: Handler
    summary: str


def _dump(model: BaseModel, *absent_when_none: str) -> dict[str, Any]:
    """``model`` as JSON, without the optional keys CKAN leaves out when not asked for."""
    body = model.model_dump(mode="json")
    for key in absent_when_none:
        if body.get(key) is None:
            body.pop(key, None)
    return body


def status_show(session: Session, base: str, params: NoParams) -> dict[str, Any]:
    """Return the site's status: ``ckan_version`` (the CKAN API version followed), ``site_url``,
    ``site_title``, ``site_description``, ``locale_default``, ``error_emails_to`` and ``extensions``.
    Takes no parameters."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_url": base.rstrip("/"),
        "site_title": "LogiSpace 物流可信数据空间",
        "site_description": "物流可信数据空间的公开数据资源目录 (the open catalogue of the logistics "
        f"trusted data space, LogiSpace {__version__})",
        "error_emails_to": None,
        "locale_default": "zh_Hans_CN",
        "extensions": ["logispace_catalog", "dcat"],
    }


def site_read(session: Session, base: str, params: NoParams) -> bool:
    """Return ``true``: the catalogue can be read by anyone. Takes no parameters."""
    return True


def license_list(session: Session, base: str, params: NoParams) -> list[dict[str, Any]]:
    """Return the licenses datasets carry: ``cc-by`` for open data (无条件开放), ``other-closed`` for
    data given on request. Takes no parameters."""
    return [lic.model_dump(mode="json") for lic in lookup.license_list()]


def tag_list(session: Session, base: str, params: TagListParams) -> list[Any]:
    """Return the tags (keywords) of the published datasets, in name order.

    :param query: only tags containing this text
    :param all_fields: tag dictionaries (``id``, ``name``, ``vocabulary_id``...) rather than names
    """
    tags = lookup.tag_list(session, params.query)
    return [t.model_dump(mode="json") for t in tags] if params.all_fields else [t.name for t in tags]


def tag_show(session: Session, base: str, params: TagShowParams) -> dict[str, Any]:
    """Return a tag of the published datasets.

    :param id: the tag's name or id
    :param include_datasets: also its datasets, as ``packages`` (at most 1000)
    """
    return lookup.tag_show(session, base, params.id, include_datasets=params.include_datasets)


def group_list(session: Session, base: str, params: GroupListParams) -> list[Any]:
    """Return the groups: the top categories of 数据资源分类 (data resource categories).

    :param all_fields: group dictionaries rather than names
    :param include_dataset_count: with ``all_fields``, each group's ``package_count`` (default true)
    :param sort: ``name``, ``title`` or ``package_count``, then ``asc`` or ``desc`` (default ``title asc``)
    :param limit: at most this many groups
    :param offset: skip this many
    :param groups: only the groups of these names (POST)
    """
    found = groups.group_list(
        session,
        sort=params.sort,
        limit=params.limit,
        offset=params.offset,
        only=params.groups,
        include_dataset_count=params.include_dataset_count,
    )
    return [_dump(g, "package_count") for g in found] if params.all_fields else [g.name for g in found]


def group_show(session: Session, base: str, params: GroupShowParams) -> dict[str, Any]:
    """Return a group: a category of 数据资源分类, a top one or one a dataset's ``groups`` name.

    :param id: the group's name or id
    :param include_datasets: also its published datasets, as ``packages`` (at most 1000)
    :param include_dataset_count: its ``package_count`` (default true)
    """
    shown = groups.group_show(
        session,
        base,
        params.id,
        include_datasets=params.include_datasets,
        include_dataset_count=params.include_dataset_count,
    )
    return _dump(shown, "package_count", "packages")


def resource_show(session: Session, base: str, params: IdParams) -> dict[str, Any]:
    """Return a resource of a published dataset (a download of its newest data version, or the page
    where the data is requested).

    :param id: the resource's id, as ``package_show`` lists it
    """
    return lookup.resource_show(session, base, params.id).model_dump(mode="json")


def help_show(session: Session, base: str, params: HelpShowParams) -> str:
    """Return an action's help: the documentation of its parameters and result.

    :param name: the action's name
    """
    return help_text(params.name)


def package_autocomplete(session: Session, base: str, params: AutocompleteParams) -> list[dict[str, str]]:
    """Return published datasets whose title or name contains ``q``: ``name``, ``title``,
    ``match_field`` and ``match_displayed``, title matches first.

    :param q: the text
    :param limit: at most this many (default 10)
    """
    return lookup.package_autocomplete(session, params.q, params.limit)


def organization_autocomplete(
    session: Session, base: str, params: OrganizationAutocompleteParams
) -> list[dict[str, str]]:
    """Return organizations whose name or title contains ``q``: ``id``, ``name`` and ``title``.

    :param q: the text
    :param limit: at most this many (default 20)
    """
    return lookup.organization_autocomplete(session, params.q, params.limit)


def group_autocomplete(
    session: Session, base: str, params: OrganizationAutocompleteParams
) -> list[dict[str, str]]:
    """Return groups (top categories) whose name or title contains ``q``: ``id``, ``name`` and ``title``.

    :param q: the text
    :param limit: at most this many (default 20)
    """
    return groups.group_autocomplete(session, params.q, params.limit)


def tag_autocomplete(session: Session, base: str, params: AutocompleteParams) -> list[str]:
    """Return the names of the tags containing ``q``.

    :param q: the text
    :param limit: at most this many (default 10)
    """
    return lookup.tag_autocomplete(session, params.q, params.limit)


def format_autocomplete(session: Session, base: str, params: FormatAutocompleteParams) -> list[str]:
    """Return the resource formats (lower case) containing ``q``.

    :param q: the text
    :param limit: at most this many (default 5)
    """
    return lookup.format_autocomplete(session, params.q, params.limit)


def package_activity_list(session: Session, base: str, params: PackageActivityParams) -> list[dict[str, Any]]:
    """Return a published dataset's activities, newest first: ``new package`` when it was published
    and ``changed package`` at each revision, from the evidence ledger.

    :param id: the dataset's name or id
    :param offset: skip this many
    :param limit: at most this many (default 31, at most 100)
    """
    found = activity.package_activity_list(session, base, params.id, limit=params.limit, offset=params.offset)
    return [a.model_dump(mode="json") for a in found]


def recently_changed_packages_activity_list(
    session: Session, base: str, params: ActivityPage
) -> list[dict[str, Any]]:
    """Return the activities of all published datasets, newest first.

    :param offset: skip this many
    :param limit: at most this many (default 31, at most 100)
    """
    found = activity.recently_changed_packages_activity_list(
        session, limit=params.limit, offset=params.offset
    )
    return [a.model_dump(mode="json") for a in found]


def _action(run: Handler, params: type[BaseModel], summary: str) -> Action:
    return Action(params=params, run=run, summary=summary)


ACTIONS: dict[str, Action] = {
    "status_show": _action(status_show, NoParams, "The site's status and CKAN version (CKAN, public)"),
    "site_read": _action(site_read, NoParams, "Whether the site can be read (CKAN, public)"),
    "license_list": _action(license_list, NoParams, "The licenses datasets carry (CKAN, public)"),
    "tag_list": _action(tag_list, TagListParams, "Tags of the published datasets (CKAN, public)"),
    "tag_show": _action(tag_show, TagShowParams, "A tag of the published datasets (CKAN, public)"),
    "group_list": _action(group_list, GroupListParams, "Groups: the top data categories (CKAN, public)"),
    "group_show": _action(group_show, GroupShowParams, "A group: a data category (CKAN, public)"),
    "resource_show": _action(resource_show, IdParams, "A resource of a published dataset (CKAN, public)"),
    "help_show": _action(help_show, HelpShowParams, "An action's help (CKAN, public)"),
    "package_autocomplete": _action(
        package_autocomplete, AutocompleteParams, "Datasets by title or name (CKAN, public)"
    ),
    "organization_autocomplete": _action(
        organization_autocomplete, OrganizationAutocompleteParams, "Organizations by name (CKAN, public)"
    ),
    "group_autocomplete": _action(
        group_autocomplete, OrganizationAutocompleteParams, "Groups by name (CKAN, public)"
    ),
    "tag_autocomplete": _action(tag_autocomplete, AutocompleteParams, "Tags by name (CKAN, public)"),
    "format_autocomplete": _action(
        format_autocomplete, FormatAutocompleteParams, "Resource formats by name (CKAN, public)"
    ),
    "package_activity_list": _action(
        package_activity_list, PackageActivityParams, "A published dataset's activities (CKAN, public)"
    ),
    "recently_changed_packages_activity_list": _action(
        recently_changed_packages_activity_list, ActivityPage, "Recent activities of datasets (CKAN, public)"
    ),
}

_READS: dict[str, Callable[..., Any]] = {
    "package_list": ckan_service.package_list,
    "package_show": ckan_service.package_show,
    "package_search": ckan_service.package_search,
    "organization_list": ckan_service.organization_list,
    "organization_show": ckan_service.organization_show,
}


def names() -> list[str]:
    """Every action served, in name order."""
    return sorted([*_READS, *ACTIONS])


def help_text(name: str) -> str:
    """An action's documentation, as CKAN's ``help_show`` answers it."""
    function = ACTIONS[name].run if name in ACTIONS else _READS.get(name)
    if function is None:
        raise NotFound(f"Action function not found: {name}")
    return inspect.cleandoc(function.__doc__ or name)
