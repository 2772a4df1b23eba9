"""Structure: cron schedules that CronJob or Velero would refuse, field by field.

The schema checks the shape of five fields; the meaning (ranges, names, steps)
is checked here, the way the cron parser Kubernetes and Velero use reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.types import Platform
from generator.rules.registry import Hit, check, define

ERROR = Severity.ERROR

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_MACROS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    first_name: int = 0  # the number the first name stands for
    question: bool = False  # `?` allowed (day of month, day of week)


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31, question=True),
    _Field("month", 1, 12, _MONTHS, 1),
    _Field("day of week", 0, 7, _DAYS, 0, question=True),
)


def _value(text: str, field: _Field) -> int | str:
    """The number a field value stands for, or why it is not one."""
    if text.isdigit():
        number = int(text)
        if field.low <= number <= field.high:
            return number
        return f"{number} is outside {field.low}-{field.high}"
    if text.upper() in field.names:
        return field.names.index(text.upper()) + field.first_name
    if field.names:
        return (
            f'"{text}" is not a {field.name} ({field.names[0]}-{field.names[-1]} or {field.low}-{field.high})'
        )
    return f'"{text}" is not a number'


def _item_problem(item: str, field: _Field) -> str | None:
    base, slash, step = item.partition("/")
    if slash and (not step.isdigit() or int(step) == 0):
        return f'step "/{step}" must be a whole number of at least 1'
    if base == "*" or (base == "?" and field.question):
        return None
    low_text, dash, high_text = base.partition("-")
    low = _value(low_text, field)
    if isinstance(low, str):
        return low
    if dash:
        high = _value(high_text, field)
        if isinstance(high, str):
            return high
        if high < low:
            return f"range {base} runs backwards"
    return None


def schedule_problem(schedule: str) -> str | None:
    """Why cron would refuse `schedule`, or None."""
    text = schedule.strip()
    if text.startswith("@"):
        return None if text in _MACROS else f'"{text}" is not a cron macro ({", ".join(sorted(_MACROS))})'
    fields = text.split()
    if len(fields) != len(_FIELDS):
        extra = " (a seconds field is not part of Kubernetes cron)" if len(fields) == 6 else ""
        return (
            f"it has {len(fields)} fields{extra}; cron takes five: minute hour day-of-month month day-of-week"
        )
    for value, field in zip(fields, _FIELDS, strict=True):
        for item in value.split(","):
            problem = _item_problem(item, field)
            if problem is not None:
                return f"{field.name} field {value!r}: {problem}"
    return None


def _schedules(platform: Platform) -> Iterator[tuple[str, YamlPath, str]]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        if component.workload_type == "cronjob" and component.schedule is not None:
            yield component.name, (*component.path, "schedule"), component.schedule
        if component.backup is not None:
            yield component.name, (*component.backup.path, "schedule"), component.backup.schedule


define(
    "PC015",
    "structure",
    ERROR,
    "Cron schedule cron would not accept",
    why="""CronJob and Velero schedules use the five-field cron format (minute hour
    day-of-month month day-of-week). A six-field (Quartz, with seconds) schedule, a value out
    of range (`minute 60`, `month 13`), an unknown month or day name, a backwards range or a
    zero step makes the CronJob or Schedule fail validation, or it never runs.""",
    fix="Write five fields with values in range: minute 0-59, hour 0-23, day of month 1-31, "
    "month 1-12 or JAN-DEC, day of week 0-7 or SUN-SAT; or a macro such as `@daily`.",
    bad="""
    schedule: "0 0 3 * * *"
    """,
    good="""
    schedule: "0 3 * * *"
    """,
)


@check("PC015")
def cron_schedules(platform: Platform) -> Iterator[Hit]:
    for owner, path, schedule in _schedules(platform):
        problem = schedule_problem(schedule)
        if problem is not None:
            what = "backup schedule" if path[-2] == "backup" else "schedule"
            yield Hit(
                "PC015",
                f'{owner}: {what} "{schedule}": {problem}; e.g. "0 3 * * *" runs daily at 03:00',
                path,
            )
