"""Parallel environments: the same results and the same failures as one after the other."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from generator.emit import RenderedTree
from generator.errors import WriteError
from generator.write import compare_trees, compare_trees_alongside, write_environments
from generator.write.fork import TaskFailed, can_fork, run_tasks


def _tree(text: str, files: int = 3) -> RenderedTree:
    out = RenderedTree()
    for index in range(files):
        out.add_text(f"apps/a{index}/values.yaml", f"{text} {index}\n")
    return out


def _snapshot(directory: Path) -> dict[str, bytes]:
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in files}


class _Trees(Mapping[str, RenderedTree]):
    """Trees computed on lookup, like the pipeline's, recording the process that computed each."""

    def __init__(self, make: Mapping[str, Callable[..., RenderedTree]]) -> None:
        self.make = make

    def __getitem__(self, env: str) -> RenderedTree:
        return self.make[env]()

    def __iter__(self) -> Iterator[str]:
        return iter(self.make)

    def __len__(self) -> int:
        return len(self.make)


@pytest.mark.fork
def test_tasks_run_in_worker_processes_and_results_keep_task_order() -> None:
    parent = os.getpid()
    tasks = [(name, lambda name=name: (name, os.getpid())) for name in ("c", "a", "b")]
    results = run_tasks(tasks, jobs=2)
    assert list(results) == ["c", "a", "b"]
    assert {name for name, _ in results.values()} == {"a", "b", "c"}
    assert all(pid != parent for _, pid in results.values())


def test_one_job_runs_here_with_the_same_results() -> None:
    tasks = [(n, lambda n=n: n * 2) for n in range(4)]
    assert run_tasks(tasks, jobs=1) == run_tasks(tasks, jobs=2) == {0: 0, 1: 2, 2: 4, 3: 6}


@pytest.mark.fork
def test_the_earliest_failing_task_is_reported_whatever_finishes_first() -> None:
    def slow_failure() -> None:
        time.sleep(0.3)
        raise ValueError("first in order")

    def fast_failure() -> None:
        raise ValueError("second in order")

    with pytest.raises(TaskFailed) as caught:
        run_tasks([("one", slow_failure), ("two", fast_failure)], jobs=2)
    assert caught.value.key == "one"
    assert isinstance(caught.value.error, ValueError)
    assert str(caught.value.error) == "first in order"


@pytest.mark.fork
def test_a_result_larger_than_a_pipe_buffer_does_not_block_its_worker() -> None:
    results = run_tasks([("big", lambda: b"x" * 5_000_000), ("small", lambda: b"y")], jobs=2)
    assert len(results["big"]) == 5_000_000


@pytest.mark.fork
def test_an_exception_that_cannot_be_pickled_still_reports_its_text() -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail() -> None:
        raise Local("details survive")

    with pytest.raises(TaskFailed) as caught:
        run_tasks([("a", fail), ("b", lambda: 1)], jobs=2)
    assert "details survive" in str(caught.value.error)


def test_threads_or_a_single_task_run_serially() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        results = run_tasks([("a", os.getpid), ("b", os.getpid)], jobs=2)
        assert set(results.values()) == {os.getpid()}
    finally:
        stop.set()
        thread.join()


@pytest.mark.fork
def test_an_interrupted_parent_stops_its_workers_before_returning(tmp_path: Path) -> None:
    marker = tmp_path / "late"

    def slow() -> None:
        time.sleep(2)
        marker.write_text("a worker outlived the interrupted parent")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            run_tasks([("a", slow), ("b", slow)], jobs=2)
        assert time.monotonic() - started < 1.5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    time.sleep(2.5)
    assert not marker.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every worker was reaped


@pytest.mark.fork
def test_parallel_and_serial_writes_produce_the_same_tree(tmp_path: Path) -> None:
    envs = {env: (lambda env=env: _tree(env, files=20)) for env in ("dev", "prod", "staging")}
    write_environments(tmp_path / "serial", _Trees(envs), jobs=1)
    counts = write_environments(tmp_path / "parallel", _Trees(envs), jobs=2)
    assert counts == {"dev": 20, "prod": 20, "staging": 20}
    for env in envs:
        assert _snapshot(tmp_path / "parallel" / env) == _snapshot(tmp_path / "serial" / env)
    drifts = compare_trees(_Trees(envs), tmp_path / "parallel", jobs=2)
    assert list(drifts) == ["dev", "prod", "staging"]
    assert not any(drifts.values())


@pytest.mark.fork
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_task_alongside_the_comparison_returns_what_it_would_alone(tmp_path: Path, jobs: int) -> None:
    envs = {env: (lambda env=env: _tree(env)) for env in ("dev", "prod")}
    write_environments(tmp_path, _Trees(envs), jobs=1)
    (tmp_path / "prod" / "apps" / "a1" / "values.yaml").write_text("edited\n")

    def verify_like() -> tuple[int, list[str]]:
        return os.getpid(), sorted(p.name for p in tmp_path.iterdir())  # reads the same tree

    drifts, other = compare_trees_alongside(_Trees(envs), tmp_path, jobs, verify_like)
    assert drifts == compare_trees(_Trees(envs), tmp_path)
    assert drifts["prod"].stale == ["apps/a1/values.yaml"] and not drifts["dev"]
    assert other is not None and other[1] == ["dev", "prod"]
    assert (other[0] != os.getpid()) == (jobs > 1)  # a worker of its own when forking
    assert compare_trees_alongside(_Trees(envs), tmp_path, jobs, None)[1] is None


@pytest.mark.fork
def test_a_failure_alongside_the_comparison_is_raised_as_itself(tmp_path: Path) -> None:
    envs = {"dev": lambda: _tree("dev")}
    write_environments(tmp_path, _Trees(envs), jobs=1)

    def broken() -> None:
        raise ValueError("verify broke")

    with pytest.raises(ValueError, match="verify broke"):
        compare_trees_alongside(_Trees(envs), tmp_path, 2, broken)


@pytest.mark.fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_environment_names_itself_and_leaves_every_old_tree(tmp_path: Path, jobs: int) -> None:
    rendered = tmp_path / "rendered"
    write_environments(rendered, {env: _tree(f"old {env}") for env in ("dev", "prod")})
    before = _snapshot(rendered)

    def full_disk() -> RenderedTree:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    envs = {"dev": lambda: _tree("new dev"), "prod": full_disk}
    with pytest.raises(WriteError, match=r"cannot write .*rendered/prod: No space left on device"):
        write_environments(rendered, _Trees(envs), jobs=jobs)
    assert _snapshot(rendered) == before
    assert sorted(p.name for p in rendered.iterdir()) == ["dev", "prod"]  # no staging left behind
