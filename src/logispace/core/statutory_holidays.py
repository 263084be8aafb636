"""Statutory holidays (法定节假日) of 《全国年节及纪念日放假办法》, computed for any year from 2025.

The regulation as amended by the State Council (国务院令第795号, in force from 2025-01-01), 第二条, gives all
citizens 13 days off a year:

- 元旦 (New Year's Day): 1 day, 1 January;
- 春节 (Spring Festival): 4 days, 除夕 (the last day of the twelfth lunar month) and 正月初一 to 初三;
- 清明节 (Qingming): 1 day, the day of the Qingming solar term (清明节气当日);
- 劳动节 (Labour Day): 2 days, 1 and 2 May;
- 端午节 (Dragon Boat Festival): 1 day, 五月初五;
- 中秋节 (Mid-Autumn Festival): 1 day, 八月十五;
- 国庆节 (National Day): 3 days, 1 to 3 October.

The lunar dates and the solar term come from the ``lunar-python`` library (astronomical computation), never
typed in. What the regulation leaves to each year's State Council notice is **not** here: the weekday given
in lieu of a holiday that falls on a weekend (补休, 第六条), the weekends worked to join holidays into longer
breaks (调休上班), and the days added around them. A calendar built from these days alone is therefore
provisional (暂定): :class:`~logispace.core.calendar.WorkingCalendar` uses it only for a year no notice
covers, and marks what it counted with it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from lunar_python import Lunar, Solar

FIRST_PROVISIONAL_YEAR = 2025
"""The first year of the amended regulation (13 days off); earlier years had other holidays."""
LAST_PROVISIONAL_YEAR = 2099
"""The last year computed: beyond it the solar-term computations of libraries start to disagree."""

REGULATION = "《全国年节及纪念日放假办法》（2025年1月1日起施行）"
"""The regulation's name as shown to people (the source of a provisional table)."""


def _lunar_to_solar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    term = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    day = date(term.getYear(), term.getMonth(), term.getDay())
    if day.year != year or day.month != 4:  # pragma: no cover - a library fault, never seen
        raise ValueError(f"the Qingming solar term of {year} came out as {day}")
    return day


@lru_cache(maxsize=128)
def statutory_holidays(year: int) -> MappingProxyType[date, str]:
    """The statutory days off of ``year`` (法定节假日), each with its festival's name, in date order.

    Thirteen days, or twelve dates when 中秋 falls on one of 1-3 October (the date carries both names).
    """
    if not FIRST_PROVISIONAL_YEAR <= year <= LAST_PROVISIONAL_YEAR:
        raise ValueError(
            f"statutory holidays are computed for {FIRST_PROVISIONAL_YEAR}-{LAST_PROVISIONAL_YEAR} "
            f"(the regulation as amended in force from 2025-01-01), not {year}"
        )
    new_year = _lunar_to_solar(year, 1, 1)
    festivals = [
        (date(year, 1, 1), "元旦"),
        *((new_year + timedelta(days=offset), "春节") for offset in (-1, 0, 1, 2)),
        (_qingming(year), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (_lunar_to_solar(year, 5, 5), "端午节"),
        (_lunar_to_solar(year, 8, 15), "中秋节"),
        *((date(year, 10, day), "国庆节") for day in (1, 2, 3)),
    ]
    days: dict[date, str] = {}
    for day, name in festivals:  # 中秋 can fall on 1-3 October (2028-10-03): one day, both names
        days[day] = f"{days[day]}、{name}" if day in days else name
    return MappingProxyType(dict(sorted(days.items())))
