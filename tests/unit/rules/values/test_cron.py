"""Schedules that parse but name only dates that do not exist."""

from __future__ import annotations

import pytest

from generator.rules.values.cron import never_fires


@pytest.mark.parametrize(
    ("schedule", "dates"),
    [
        ("0 0 30 2 *", "30 February"),
        ("0 0 31 2 ?", "31 February"),
        ("0 0 30-31 FEB *", "30, 31 February"),
        ("0 0 31 4,6,9,11 *", "31 April or June or September or …"),
        ("0 0 31 4 */1", "31 April"),
    ],
)
def test_never_fires(schedule: str, dates: str) -> None:
    assert never_fires(schedule) == dates


@pytest.mark.parametrize(
    "schedule",
    [
        "0 0 29 2 *",  # leap years
        "0 0 30 2 MON",  # day of month or day of week: Mondays
        "0 0 30 2 */2",  # a stepped day of week is a restriction too
        "0 0 31 */2 *",  # January has 31
        "0 0 31 1-12 *",
        "0 3 * * *",
        "@monthly",
        "0 0 99 2 *",  # malformed: PC015's
        "0 0 30 2",
    ],
)
def test_can_fire_or_not_judged(schedule: str) -> None:
    assert never_fires(schedule) is None
