"""Catalogue-update deadlines after a law revision or a function change.

* Guiyang art. 13: "within 15 days from the date of occurrence".  Decision: calendar days
  (the regulation says 日, not 工作日), counted from the day after the event.
* Liaoning art. 9: "within 10 working days".  Working days follow China's statutory
  calendar (the ``chinese_calendar`` package): public holidays are not working days and
  the adjusted working weekends (调休) are.  The deadline is the 10th working day after
  the event day.

SHACL cannot count working days, so Python derives the facts and SHACL checks them.
For each trigger event under a jurisdiction with a deadline rule, the derived graph gets::

    <trigger> gds:deadline "2025-10-15"^^xsd:date ;
              gds:adjustedOn "2025-10-14"^^xsd:date ;   # first revision it informed, if any
              gds:unadjustedPastDeadline true .          # none, and the deadline has passed

A date the calendar does not know (before 2004 or after its last published year) gives
``gds:calendarError "..."`` on the trigger, which a shape reports: never a silent guess.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar

CHINA = dt.timezone(dt.timedelta(hours=8))


class CalendarRangeError(ValueError):
    """The statutory calendar has no data for this date."""


@dataclass(frozen=True)
class DeadlineRule:
    regulation: str  # key in govkg.vocab.REGULATIONS
    article: int
    days: int
    working_days: bool


RULES: dict[str, DeadlineRule] = {
    "guiyang": DeadlineRule("guiyang", 13, 15, working_days=False),
    "liaoning": DeadlineRule("liaoning", 9, 10, working_days=True),
}


@functools.cache
def calendar_years() -> tuple[int, int]:
    """The first and last year the installed statutory calendar covers (read once: a
    deadline asks for every day it counts)."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return min(years), max(years)


def is_working_day(day: dt.date) -> bool:
    first, last = calendar_years()
    if not first <= day.year <= last:
        raise CalendarRangeError(
            f"{day.isoformat()} is outside China's statutory calendar as installed ({first}-{last}); "
            "update the chinese-calendar package"
        )
    return bool(chinese_calendar.is_workday(day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself is not counted)."""
    day = start
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


@functools.lru_cache(maxsize=8192)  # triggers share event days: 57k triggers, a few thousand days at 1M
def deadline(rule: DeadlineRule, event_day: dt.date) -> dt.date:
    if rule.working_days:
        return add_working_days(event_day, rule.days)
    return event_day + dt.timedelta(days=rule.days)


def china_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar day in China of a timestamp (a naive timestamp is taken as China time)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA)
        return value.date()
    return value
