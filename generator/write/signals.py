"""Ctrl-C held back while the tree on disk is between two states."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back for the duration, then deliver them to the usual handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    previous: dict[signal.Signals, Callable[[int, FrameType | None], object] | int] = {}
    for signum in DEFERRED_SIGNALS:
        current = signal.getsignal(signum)
        if current is None:  # installed outside Python: cannot be restored, so leave it alone
            continue
        previous[signum] = current
        signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for caught in dict.fromkeys(pending):
            signal.raise_signal(caught)
