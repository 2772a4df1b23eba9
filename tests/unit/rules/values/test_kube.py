"""Capability names, Ingress paths, file paths and mount points as Kubernetes judges them."""

from __future__ import annotations

import pytest

from generator.rules.values.kube import (
    CAPABILITIES,
    capability_problem,
    file_path_problem,
    ingress_path_problem,
    repeated_mounts,
)


def test_linux_has_41_capabilities() -> None:
    assert len(CAPABILITIES) == 41 and "CHECKPOINT_RESTORE" in CAPABILITIES


@pytest.mark.parametrize("name", ["NET_RAW", "SYS_ADMIN", "BPF", "ALL"])
def test_capability_accepted(name: str) -> None:
    assert capability_problem(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("CAP_NET_RAW", "`CAP_` prefix; Kubernetes names it NET_RAW"),
        ("cap_sys_admin", "names it SYS_ADMIN"),
        ("net_raw", "capitals: NET_RAW"),
        ("NET_PING", "not a Linux capability (did you mean NET_ADMIN?)"),
        ("XYZZY", "not a Linux capability"),
    ],
)
def test_capability_refused(name: str, reason: str) -> None:
    problem = capability_problem(name)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("path", "path_type"),
    [("/", "Prefix"), ("/api/v1.0", "Prefix"), ("/a-b_c~d", "Exact"), ("/(.*)", "ImplementationSpecific")],
)
def test_ingress_path_accepted(path: str, path_type: str) -> None:
    assert ingress_path_problem(path, path_type) is None


@pytest.mark.parametrize(
    ("path", "path_type", "reason"),
    [
        ("/api(/|$)(.*)", "Prefix", "'('"),
        ("/static/.*", "Exact", "'*'"),
        ("/a//b", "Prefix", "'//'"),
        ("/a/../b", "Prefix", "'/../'"),
        ("/a%2Fb", "Exact", "'%2F'"),
        ("/a/..", "Prefix", "end with '/..'"),
        ("api", "Prefix", "start with '/'"),
    ],
)
def test_ingress_path_refused(path: str, path_type: str, reason: str) -> None:
    problem = ingress_path_problem(path, path_type)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("path", "key", "reason"),
    [
        ("/", "file", "root directory"),
        ("//", "file", "root directory"),
        ("/etc/../passwd", "etc-..-passwd", "'..' segment"),
        ("/..data", "..data", "keys that start with '..'"),
    ],
)
def test_file_path_refused(path: str, key: str, reason: str) -> None:
    problem = file_path_problem(path, key)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    ("path", "key"), [("/etc/app.conf", "etc-app.conf"), ("/etc/.hidden", "etc-.hidden"), ("/a..b", "a..b")]
)
def test_file_path_accepted(path: str, key: str) -> None:
    assert file_path_problem(path, key) is None


def test_repeated_mounts_point_at_the_first() -> None:
    assert repeated_mounts(["/data", "/cache", "/data/", "/etc/a", "/cache"]) == [(2, 0), (4, 1)]


def test_distinct_mounts() -> None:
    assert repeated_mounts(["/data", "/data/sub", "/datab"]) == []
