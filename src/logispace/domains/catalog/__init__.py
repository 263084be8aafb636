"""Catalogue (数据资源目录): data resources and their metadata, classification and grading (分类分级),
sharing and opening conditions, 一数一源 data items, and the national logistics public data
sharing/open list (共享开放清单) with its sharing report (共享情况通报).

Not built yet: distributions (storage), search, DCAT-AP/CKAN views and pages.
"""

from logispace.domains.catalog.api import router as api_router
from logispace.domains.catalog.enums import OpenType, ResourceStatus, RightType, SharingType, UpdateFrequency
from logispace.domains.catalog.policies import CORE_GRADE, is_catalog_code

__all__ = [
    "CORE_GRADE",
    "OpenType",
    "ResourceStatus",
    "RightType",
    "SharingType",
    "UpdateFrequency",
    "api_router",
    "is_catalog_code",
]
