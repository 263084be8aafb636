"""CSV downloads (下载): the column headers people read, or the names programs read.

Every CSV download takes ``?headers=``: ``name`` (the default, what the API has always given: the
columns' machine names) or ``zh`` (中文列名: the columns' Chinese names, for a person opening the file in
a spreadsheet). Pages offer both, with the Chinese headers first on Chinese pages
(``macros.html: download_csv``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Query


class HeaderNames(StrEnum):
    """How a download names its columns (表头)."""

    NAME = "name"
    ZH = "zh"


Headers = Annotated[
    HeaderNames,
    Query(description="column headers: `name` (machine names, the default) or `zh` (Chinese column names)"),
]
