"""Cron schedules that parse but never fire: a day of the month no month in the schedule has.

Kubernetes and Velero read schedules with robfig/cron: when the day of month
and the day of week are both restricted a day matches either; when the day of
week is `*` or `?` (unrestricted) the day of month alone decides, so `0 0 30 2 *`
waits for a 30 February that never comes. February is given 29 days: a
schedule for 29 February fires in leap years.
"""

from __future__ import annotations

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_DAYS_IN = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
Values = tuple[frozenset[int], bool]  # the numbers a field allows; whether it is unrestricted


def never_fires(schedule: str) -> str | None:
    """`"30 February"` (the dates asked for, none of which exists), or None when it can fire.

    None as well for anything this does not read (macros, malformed fields: PC015's).
    """
    fields = schedule.split()
    if len(fields) != 5:
        return None
    days, months, weekdays = (
        _field(fields[2], 1, 31),
        _field(fields[3], 1, 12, _MONTHS),
        _field(fields[4], 0, 7, _WEEKDAYS),
    )
    if days is None or months is None or weekdays is None or days[1] or not weekdays[1]:
        return None
    if any(day <= _DAYS_IN[month - 1] for month in months[0] for day in days[0]):
        return None
    month_names = [_MONTH_NAMES[m - 1] for m in sorted(months[0])]
    shown = ", ".join(str(d) for d in sorted(days[0])[:3]) + (", …" if len(days[0]) > 3 else "")
    return f"{shown} {' or '.join(month_names[:3])}{' or …' if len(month_names) > 3 else ''}"


def _field(text: str, low: int, high: int, names: tuple[str, ...] = ()) -> Values | None:
    allowed: set[int] = set()
    star = False
    for item in text.split(","):
        read = _item(item, low, high, names)
        if read is None:
            return None
        numbers, unrestricted = read
        allowed |= numbers
        star = star or unrestricted
    return frozenset(allowed), star


def _item(item: str, low: int, high: int, names: tuple[str, ...]) -> tuple[set[int], bool] | None:
    base, slash, step_text = item.partition("/")
    step = int(step_text) if slash and step_text.isdigit() and int(step_text) > 0 else (1 if not slash else 0)
    if step == 0:
        return None
    if base in ("*", "?"):
        return set(range(low, high + 1, step)), step == 1
    start_text, dash, end_text = base.partition("-")
    start = _number(start_text, low, names)
    end = _number(end_text, low, names) if dash else (high if slash else start)
    if start is None or end is None or not low <= start <= end <= high:
        return None
    return set(range(start, end + 1, step)), False


def _number(text: str, low: int, names: tuple[str, ...]) -> int | None:
    if text.isdigit():
        return int(text)
    if text.upper() in names:
        return names.index(text.upper()) + low
    return None
