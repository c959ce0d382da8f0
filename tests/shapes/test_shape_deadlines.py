"""The deadline cases' dates, checked against chinese_calendar itself, not govkg's code.

Each trigger case of R13-LN (10 working days, LN 9) and R12-GY (15 calendar days,
GY 13) states in its header whether it is late.  Here the verdict is recomputed from
the case's own timestamps with the statutory calendar (``chinese_calendar``) or plain
date arithmetic, so a wrong date in a case file (or a wrong expectation) shows up even
if the deadline code and the shapes were wrong in the same way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from casekit import CASES, read_case
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from govkg.vocab import GDS

CHINA = dt.timezone(dt.timedelta(hours=8))
TRIGGER = "https://w3id.org/govkg/id/test/trigger"
CATALOGUE = "https://w3id.org/govkg/id/test/catalogue"
D = dt.date


def china_day(lit: Literal) -> dt.date:
    value = lit.toPython()
    if isinstance(value, dt.datetime):
        return value.astimezone(CHINA).date() if value.tzinfo else value.date()
    assert isinstance(value, dt.date), f"not a date: {lit!r}"
    return value


def dated_cases(rule: str) -> list[Path]:
    out = []
    for path in sorted((CASES / rule).glob("*.ttl")):
        g = read_case(path).graph
        at = g.value(URIRef(TRIGGER), PROV.atTime)
        if isinstance(at, Literal) and at.datatype == XSD.dateTime:
            out.append(path)
    return out


def revised_day(path: Path) -> dt.date | None:
    g = read_case(path).graph
    days = [
        china_day(o) for s in g.subjects(PROV.wasInformedBy, URIRef(TRIGGER)) for o in g.objects(s, PROV.endedAtTime)
    ]
    return min(days) if days else None


def event_day(path: Path) -> dt.date:
    at = read_case(path).graph.value(URIRef(TRIGGER), PROV.atTime)
    assert isinstance(at, Literal)
    return china_day(at)


def expected_late(path: Path, rule: str) -> bool:
    return (rule, TRIGGER) in read_case(path).expected


def publisher_code(path: Path) -> str:
    """The jurisdiction code of the affected catalogue's publisher (agency:<code>-<kind>)."""
    g = read_case(path).graph
    publisher = g.value(URIRef(CATALOGUE), DCTERMS.publisher)
    return str(publisher).rsplit("/", 1)[1].split("-", 1)[0]


def calendar_covers(day: dt.date) -> bool:
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return day.year in years


@pytest.mark.parametrize("path", dated_cases("R13-LN"), ids=lambda p: p.stem)
def test_liaoning_case_agrees_with_the_statutory_calendar(path: Path) -> None:
    event, revised = event_day(path), revised_day(path)
    g = read_case(path).graph
    kind = str(g.value(URIRef(TRIGGER), GDS.triggerEventType))
    if not kind.endswith(("LAW_REVISION", "FUNCTION_CHANGE")) or not publisher_code(path).startswith("21"):
        assert not expected_late(path, "R13-LN")
        return
    if not calendar_covers(event):  # no guess: the case must expect the calendar-error finding
        with pytest.raises(NotImplementedError):
            chinese_calendar.find_workday(10, event)
        assert expected_late(path, "R13-LN")
        return
    due = chinese_calendar.find_workday(10, event)  # the 10th working day after the event
    as_of = read_case(path).as_of
    late = revised > due if revised is not None else due < as_of
    assert expected_late(path, "R13-LN") == late, f"{path.name}: event {event}, due {due}, revised {revised}"


@pytest.mark.parametrize("path", dated_cases("R12-GY"), ids=lambda p: p.stem)
def test_guiyang_case_agrees_with_calendar_days(path: Path) -> None:
    event, revised = event_day(path), revised_day(path)
    due = event + dt.timedelta(days=15)
    late = revised > due if revised is not None else due < read_case(path).as_of
    in_guiyang = publisher_code(path).startswith("5201")
    assert expected_late(path, "R12-GY") == (late and in_guiyang), f"{path.name}: event {event}, due {due}"


def test_the_cases_cover_the_holidays_and_adjusted_working_days() -> None:
    """The calendar facts the Liaoning cases rest on, as chinese_calendar states them."""
    spring_festival = [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]
    assert all(chinese_calendar.get_holiday_detail(d) == (True, "Spring Festival") for d in spring_festival)
    national_day_2025 = [D(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)]
    assert all(chinese_calendar.is_holiday(d) for d in national_day_2025)
    national_day_2024 = [D(2024, 10, 1) + dt.timedelta(days=i) for i in range(7)]
    assert all(chinese_calendar.is_holiday(d) for d in national_day_2024)
    adjusted = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 9, 28), D(2025, 10, 11), D(2024, 9, 29), D(2024, 10, 12)]
    assert all(d.weekday() >= 5 and chinese_calendar.is_workday(d) for d in adjusted)
    events = {event_day(p) for p in dated_cases("R13-LN")}
    dues = {chinese_calendar.find_workday(10, e) for e in events if calendar_covers(e)}
    # across the Spring Festival 2025 and both National Days, and an adjusted Saturday as the deadline
    assert {D(2025, 2, 13), D(2025, 10, 16), D(2024, 10, 16)} <= dues
    assert {d for d in dues if d.weekday() == 5} >= {D(2025, 10, 11), D(2025, 2, 8)}
    # on the deadline day and the day after, for the same event
    revised = {(event_day(p), revised_day(p)) for p in dated_cases("R13-LN")}
    assert (D(2025, 1, 24), D(2025, 2, 13)) in revised and (D(2025, 1, 24), D(2025, 2, 14)) in revised
    assert (D(2025, 9, 22), D(2025, 10, 11)) in revised and (D(2025, 9, 22), D(2025, 10, 12)) in revised
    assert any(not calendar_covers(e) for e in events), "no case outside the calendar's years"
