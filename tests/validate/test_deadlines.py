"""Working-day deadlines on China's statutory calendar, not plain weekdays."""

from __future__ import annotations

import datetime as dt

import pytest

from govkg.validate.deadlines import (
    RULES,
    CalendarRangeError,
    add_working_days,
    calendar_years,
    deadline,
    is_working_day,
)

D = dt.date


def weekdays_after(start: dt.date, n: int) -> dt.date:
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        # Spring Festival 2025: holiday 28 Jan - 4 Feb; Sunday 26 Jan and Saturday 8 Feb are working days
        (D(2025, 1, 24), D(2025, 2, 13)),
        # National Day 2025: holiday 1-8 Oct; Sunday 28 Sep and Saturday 11 Oct are working days
        (D(2025, 9, 26), D(2025, 10, 16)),
        # National Day 2024: holiday 1-7 Oct; Sunday 29 Sep and Saturday 12 Oct are working days
        (D(2024, 9, 27), D(2024, 10, 16)),
        # an ordinary fortnight
        (D(2025, 3, 3), D(2025, 3, 17)),
    ],
)
def test_liaoning_ten_working_days(event: dt.date, expected: dt.date) -> None:
    assert deadline(RULES["liaoning"], event) == expected


def test_the_statutory_calendar_is_not_plain_weekdays() -> None:
    event = D(2025, 1, 24)
    assert add_working_days(event, 10) != weekdays_after(event, 10)


def test_adjusted_working_saturday_counts() -> None:
    assert D(2025, 10, 11).weekday() == 5 and is_working_day(D(2025, 10, 11))
    assert D(2025, 2, 8).weekday() == 5 and is_working_day(D(2025, 2, 8))
    assert not is_working_day(D(2025, 10, 6))  # a Monday inside the National Day holiday


def test_guiyang_fifteen_calendar_days_ignore_holidays() -> None:
    assert deadline(RULES["guiyang"], D(2025, 1, 24)) == D(2025, 2, 8)


def test_dates_outside_the_calendar_are_an_error_not_a_guess() -> None:
    first, last = calendar_years()
    with pytest.raises(CalendarRangeError, match=str(last)):
        add_working_days(D(last, 12, 28), 10)
    with pytest.raises(CalendarRangeError):
        is_working_day(D(first - 1, 6, 1))
