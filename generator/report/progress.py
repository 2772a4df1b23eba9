"""One status line per step on stderr, and only on a terminal.

Pipes, CI logs and `--format json` consumers read stdout; a status line there
would corrupt them, and a redirected stderr full of carriage returns helps no one.
"""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = enabled
        self._width = 0

    def step(self, message: str) -> None:
        if not self._enabled:
            return
        # Overwrite the previous line in place: long runs stay one line tall.
        padding = " " * max(0, self._width - len(message))
        self._stream.write(f"\r{message}{padding}")
        self._stream.flush()
        self._width = len(message)

    def done(self) -> None:
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.done()
