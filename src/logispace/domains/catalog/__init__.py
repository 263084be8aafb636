"""Catalogue (数据资源目录): data resources and their metadata, classification and grading (分类分级),
sharing and opening conditions, 一数一源 data items, and the national logistics public data
sharing/open list (共享开放清单) with its sharing report (共享情况通报).

Distributions (数据分发) are uploads stored as Parquet through :mod:`logispace.storage`; published
无条件开放 data is previewed and downloaded without login.

The public catalogue is exported as DCAT-AP 3 (JSON-LD and Turtle, :mod:`.dcat`).

Not built yet: the CKAN view and pages, grants for conditional data.
"""

from logispace.domains.catalog.api import router as api_router
from logispace.domains.catalog.cli import app as cli
from logispace.domains.catalog.dcat_api import router as dcat_api_router
from logispace.domains.catalog.distribution_api import UPLOAD_PATH
from logispace.domains.catalog.distribution_api import router as distributions_api_router
from logispace.domains.catalog.distribution_service import list_distributions as resource_distributions
from logispace.domains.catalog.enums import OpenType, ResourceStatus, RightType, SharingType, UpdateFrequency
from logispace.domains.catalog.policies import CORE_GRADE, is_catalog_code

__all__ = [
    "CORE_GRADE",
    "UPLOAD_PATH",
    "OpenType",
    "ResourceStatus",
    "RightType",
    "SharingType",
    "UpdateFrequency",
    "api_router",
    "cli",
    "dcat_api_router",
    "distributions_api_router",
    "is_catalog_code",
    "resource_distributions",
]
