"""Catalogue (数据资源目录): data resources and their metadata, classification and grading (分类分级),
sharing and opening conditions, 一数一源 data items, and the national logistics public data
sharing/open list (共享开放清单) with its sharing report (共享情况通报).

Distributions (数据分发) are uploads stored as Parquet through :mod:`logispace.storage`; published
无条件开放 data is previewed and downloaded without login.

Layout: the data resources, the domain's main feature, are at the package root (:mod:`.models`,
:mod:`.repository`, :mod:`.service`, :mod:`.api`, :mod:`.pages` and :mod:`.edit_pages`, with the
shared :mod:`.enums`, :mod:`.policies`, :mod:`.schemas` and :mod:`.errors`); the sub-packages build
on them: :mod:`.distributions`, :mod:`.lists` (the list versions with their differences and report),
:mod:`.dcat` (the public catalogue as DCAT-AP 3, JSON-LD and Turtle) and :mod:`.ckan` (read-only
CKAN Action API, for CKAN clients and harvesters), all over :mod:`.search` (the full-text index).

Grants for conditional data are built on it in :mod:`logispace.domains.access`.
"""

from pathlib import Path

from logispace.domains.catalog import i18n
from logispace.domains.catalog.api import router as api_router
from logispace.domains.catalog.ckan.api import PREFIXES as CKAN_PREFIXES
from logispace.domains.catalog.ckan.api import alias_router as ckan_alias_router
from logispace.domains.catalog.ckan.api import ckan_error_response
from logispace.domains.catalog.ckan.api import router as ckan_api_router
from logispace.domains.catalog.cli import app as cli
from logispace.domains.catalog.dcat.api import router as dcat_api_router
from logispace.domains.catalog.distributions.api import UPLOAD_PATH
from logispace.domains.catalog.distributions.api import router as distributions_api_router
from logispace.domains.catalog.distributions.service import list_distributions as resource_distributions
from logispace.domains.catalog.distributions.service import newest_objects
from logispace.domains.catalog.edit_pages import router as _edit_pages_router
from logispace.domains.catalog.enums import OpenType, ResourceStatus, RightType, SharingType, UpdateFrequency
from logispace.domains.catalog.grading import service as grading_service
from logispace.domains.catalog.grading.pages import router as _grading_pages_router
from logispace.domains.catalog.lists.pages import router as _list_pages_router
from logispace.domains.catalog.lists.service import resources_since_list
from logispace.domains.catalog.pages import router as _resource_pages_router
from logispace.domains.catalog.policies import (
    CORE_GRADE,
    FIELD_TYPES,
    GradeRule,
    can_publish_list,
    can_review_grade,
    is_catalog_code,
)
from logispace.domains.catalog.publish_pages import router as _publish_pages_router
from logispace.domains.catalog.service import get_resource, grade_rules, resource_reads
from logispace.domains.catalog.service import list_resources as catalog_resources
from logispace.domains.catalog.upload_pages import router as _upload_pages_router
from logispace.web.parts import WebParts
from logispace.web.routing import page_router

pages_router = page_router()
pages_router.include_router(_publish_pages_router)  # /catalog/new before the resource routes
pages_router.include_router(_upload_pages_router)
pages_router.include_router(_resource_pages_router)
pages_router.include_router(_edit_pages_router)
pages_router.include_router(_list_pages_router)
pages_router.include_router(_grading_pages_router)

WEB = WebParts(
    routers=(
        dcat_api_router,
        ckan_api_router,
        ckan_alias_router,
        api_router,
        distributions_api_router,
        pages_router,
    ),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={"CATALOG_LABELS": i18n.CATALOG_LABELS, "FIELD_TYPE_OF": FIELD_TYPES},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "CKAN_PREFIXES",
    "CORE_GRADE",
    "UPLOAD_PATH",
    "WEB",
    "GradeRule",
    "OpenType",
    "ResourceStatus",
    "RightType",
    "SharingType",
    "UpdateFrequency",
    "api_router",
    "can_publish_list",
    "can_review_grade",
    "catalog_resources",
    "ckan_alias_router",
    "ckan_api_router",
    "ckan_error_response",
    "cli",
    "dcat_api_router",
    "distributions_api_router",
    "get_resource",
    "grade_rules",
    "grading_service",
    "is_catalog_code",
    "newest_objects",
    "pages_router",
    "resource_distributions",
    "resource_reads",
    "resources_since_list",
]
