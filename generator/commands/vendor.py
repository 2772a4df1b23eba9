"""`platformc vendor` as a plain function: options in, exit code out.

The glue between the pipeline and `generator.upstream`: it analyses the
environments, reads the mirrors given on the command line and in the
environment, and hands the pins to `vendor_charts`, so the upstream package
never imports the pipeline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.errors import InputError
from generator.findings import dedupe
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.pipeline import analyse
from generator.report import Report, render_report
from generator.upstream.charts import MirrorFor, VendorResult, vendor_charts
from generator.upstream.lock import LOCK_FILE
from generator.upstream.mirrors import Mirror, MirrorError, Mirrors, declared, overrides
from generator.upstream.pins import ChartPin, Pins, collect_pins
from generator.upstream.store import CHARTS_DIR, VENDOR_DIR


def vendor(options: Options) -> int:
    """Exit 0 when every pinned chart is vendored, 1 when any could not be (and nothing was written)."""
    from generator.commands.common import selected_envs

    try:
        given = overrides(options.mirrors, os.environ, Path.cwd())
    except MirrorError as e:
        raise InputError(str(e)) from e
    pins = collect_pins(analyse(options.root, selected_envs(options)))
    result = vendor_charts(options.root, pins, mirror_for(pins, given, options.root))
    report = Report(dedupe(result.findings), tuple(vendor_notes(result)))
    sys.stdout.write(render_report(report, options.fmt, color=options.color))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def mirror_for(pins: Pins, given: Mirrors, root: Path) -> MirrorFor:
    """Each pin's mirror: those given first, then `spec.charts.mirrors` of the first env pinning it."""

    def find(pin: ChartPin) -> Mirror | None:
        charts = pins.sites[pin][0].spec("charts")
        spec_mirrors = charts.get("mirrors") if isinstance(charts, dict) else None
        return given.with_declared(declared(spec_mirrors, root)).find(pin.repository)

    return find


def vendor_notes(result: VendorResult) -> list[str]:
    notes = [_fetched(pin, result) for pin in result.fetched]
    if result.kept:
        notes.append(f"{len(result.kept)} chart{'s' if len(result.kept) != 1 else ''} already vendored")
    notes += [
        f"{CHARTS_DIR}/{name}: no enabled chart component pins it any more; delete it"
        for name in result.unused
    ]
    if result.lock_changed:
        notes.append(f"wrote {LOCK_FILE}")
    if not result.ok:
        notes.append(f"nothing was written to {VENDOR_DIR}/")
    elif not (result.fetched or result.kept):
        notes.append("nothing to vendor: no enabled chart component pins an upstream chart")
    return notes


def _fetched(pin: ChartPin, result: VendorResult) -> str:
    mirror = result.through.get(pin)
    through = f" through mirror {mirror}" if mirror is not None else ""
    return f"vendored {pin}{through} into {CHARTS_DIR}/{pin.archive}"
