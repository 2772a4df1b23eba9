"""`python -m generator.audit [--update | --docs] [--root DIR]`: what `make audit` runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.audit.docs import write_docs
from generator.audit.run import EXIT_OK, EXIT_UNAVAILABLE, audit
from generator.errors import AuditUnavailableError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.audit", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="rewrite audit/accepted.yaml from this run")
    mode.add_argument("--docs", action="store_true", help="write docs/audit.md from audit/accepted.yaml")
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (default: .)")
    options = parser.parse_args(argv)
    try:
        if options.docs:
            print(f"audit: wrote {write_docs(options.root)}")
            return EXIT_OK
        return audit(options.root, print, update=options.update)
    except AuditUnavailableError as e:
        print(f"audit: {e}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
