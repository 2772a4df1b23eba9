"""Writing what a command prints: a failure to print is exit 2 with a message, never a traceback.

stdout can be a full disk (`>/dev/full`), closed (`>&-`), a pipe whose reader left, or a
terminal whose encoding cannot hold a character of the report. Whatever the command did
before (a rendered tree written, say) stays done; only the report is lost, and the message
says so.
"""

from __future__ import annotations

import contextlib
import os
import sys

from generator.errors import PlatformcError


class OutputError(PlatformcError):
    """The report could not be written to stdout."""


def write_stdout(text: str, *, done: str = "") -> None:
    """Write `text` to stdout and flush it; `done` tells what happened before, should printing fail."""
    stream = sys.stdout
    after = f" ({done})" if done else ""
    if stream is None:
        raise OutputError(f"cannot print the report: stdout is closed{after}")
    try:
        stream.write(text)
        stream.flush()
    except UnicodeEncodeError as e:
        _discard(stream)
        raise OutputError(
            f"cannot print the report: stdout's encoding {e.encoding} cannot hold "
            f"{e.object[e.start : e.end]!r}{after}; set PYTHONIOENCODING=utf-8"
        ) from e
    except (OSError, ValueError) as e:  # ValueError: write to a closed file
        _discard(stream)
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise OutputError(f"cannot print the report: {reason}{after}") from e


def _discard(stream: object) -> None:
    """Point stdout at /dev/null, so the interpreter's own flush at exit fails no more."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fileno = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fileno)
        os.close(null)
