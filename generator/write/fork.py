"""Independent tasks in forked worker processes: emitting and staging environments on every core.

Each task runs in a child forked from the finished analysis, so it starts with
the resolved platforms already in memory and leaves nothing behind in the
parent: one environment's rendered tree lives only in the child that writes it.
Results and exceptions come back pickled through a pipe; the parent re-raises
the failure of the earliest task in order, so errors do not depend on timing.
Where fork is unsafe or unavailable (not Linux, threads running, the Go runtime
of the Helm binding loaded) the tasks run one after the other in this process:
the outcome is the same, only slower.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import select
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

_PR_SET_PDEATHSIG = 1
# Modules that start runtimes with their own threads: a forked copy of those would deadlock.
_FORK_UNSAFE_MODULES = ("helm_python._native",)


class TaskFailed(Exception):
    """The task `key` raised `error` (in a worker or in this process)."""

    def __init__(self, key: Any, error: BaseException) -> None:
        super().__init__(f"{key}: {error}")
        self.key = key
        self.error = error


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and not any(name in sys.modules for name in _FORK_UNSAFE_MODULES)
    )


def run_tasks(tasks: Sequence[tuple[K, Callable[[], T]]], jobs: int) -> dict[K, T]:
    """Run every task, at most `jobs` at once; results by key. Raises TaskFailed for the first failure."""
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        results: dict[K, T] = {}
        for key, task in tasks:
            try:
                results[key] = task()
            except Exception as e:
                raise TaskFailed(key, e) from e
        return results
    return _forked(tasks, jobs)


def _forked(tasks: Sequence[tuple[K, Callable[[], T]]], jobs: int) -> dict[K, T]:
    order = {key: index for index, (key, _) in enumerate(tasks)}
    pending = list(tasks)
    running: dict[int, _Worker[K]] = {}  # read end of the worker's pipe -> worker
    outcomes: dict[K, tuple[bool, Any]] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                key, task = pending.pop(0)
                worker = _start(key, task)
                running[worker.reader] = worker
            # Read while waiting: a result larger than the pipe's buffer must not block its worker.
            ready, _, _ = select.select(list(running), [], [])
            for reader in ready:
                worker = running[reader]
                chunk = os.read(reader, 1 << 16)
                if chunk:
                    worker.data += chunk
                    continue
                del running[reader]
                os.close(reader)
                os.waitpid(worker.pid, 0)
                outcomes[worker.key] = _outcome(worker.data)
    except BaseException:
        _stop(running)
        raise
    failures = sorted((order[k], k) for k, (ok, _) in outcomes.items() if not ok)
    if failures:
        key = failures[0][1]
        raise TaskFailed(key, outcomes[key][1])
    return {key: outcomes[key][1] for key, _ in tasks}


@dataclass
class _Worker(Generic[K]):
    key: K
    pid: int
    reader: int
    data: bytes = b""


def _start(key: K, task: Callable[[], Any]) -> _Worker[K]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        os.close(reader)
        _worker(task, writer)
    os.close(writer)
    return _Worker(key, pid, reader)


def _worker(task: Callable[[], Any], writer: int) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent()
        try:
            payload = pickle.dumps((True, task()))
        except BaseException as e:  # every failure travels to the parent
            code = 1
            payload = _pickled_error(e)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # a worker never returns into the parent's code
        code = 2
    finally:
        os._exit(code)


def _pickled_error(error: BaseException) -> bytes:
    try:
        return pickle.dumps((False, error))
    except Exception:  # an exception that cannot travel: its text and traceback do
        text = "".join(traceback.format_exception(error))
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}\n{text}")))


def _outcome(data: bytes) -> tuple[bool, Any]:
    if not data:
        return False, RuntimeError("a worker process ended without a result")
    ok, value = pickle.loads(data)  # written by our own forked child
    return bool(ok), value


def _stop(running: dict[int, _Worker[Any]]) -> None:
    """Kill and reap every worker still running, so none writes after the parent cleans up."""
    for reader, worker in running.items():
        with contextlib.suppress(OSError):
            os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(worker.pid, 0)
        with contextlib.suppress(OSError):
            os.close(reader)
    running.clear()


def _die_with_parent() -> None:
    """A worker whose parent is SIGKILLed stops too, instead of writing into a tree being recovered."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the line above took effect
            os._exit(1)
