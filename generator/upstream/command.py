"""`platformc vendor` as a plain function: options in, exit code out."""

from __future__ import annotations

import sys

from generator.findings import dedupe
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.report import Report, render_report
from generator.upstream.charts import VendorResult, vendor_charts
from generator.upstream.lock import LOCK_FILE
from generator.upstream.store import CHARTS_DIR


def vendor(options: Options) -> int:
    """Exit 0 when every pinned chart is vendored, 1 when any could not be."""
    from generator.commands import selected_envs

    result = vendor_charts(options.root, selected_envs(options))
    report = Report(dedupe(result.findings), tuple(vendor_notes(result)))
    sys.stdout.write(render_report(report, options.fmt, color=options.color))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def vendor_notes(result: VendorResult) -> list[str]:
    notes = [f"vendored {pin} into {CHARTS_DIR}/{pin.archive}" for pin in result.fetched]
    if result.kept:
        notes.append(f"{len(result.kept)} chart{'s' if len(result.kept) != 1 else ''} already vendored")
    notes += [
        f"{CHARTS_DIR}/{name}: no enabled chart component pins it any more; delete it"
        for name in result.unused
    ]
    if result.lock_changed:
        notes.append(f"wrote {LOCK_FILE}")
    if not (result.fetched or result.kept or result.findings):
        notes.append("nothing to vendor: no enabled chart component pins an upstream chart")
    return notes
