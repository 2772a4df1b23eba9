"""Kubernetes field values the API server, the runtime or the ingress controller refuses.

Each function takes the value as written and says what is wrong with it, or None.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Sequence

# Linux capabilities (include/uapi/linux/capability.h, 0 to 40), as Kubernetes writes them: no `CAP_`.
CAPABILITIES = frozenset(
    {
        "CHOWN",
        "DAC_OVERRIDE",
        "DAC_READ_SEARCH",
        "FOWNER",
        "FSETID",
        "KILL",
        "SETGID",
        "SETUID",
        "SETPCAP",
        "LINUX_IMMUTABLE",
        "NET_BIND_SERVICE",
        "NET_BROADCAST",
        "NET_ADMIN",
        "NET_RAW",
        "IPC_LOCK",
        "IPC_OWNER",
        "SYS_MODULE",
        "SYS_RAWIO",
        "SYS_CHROOT",
        "SYS_PTRACE",
        "SYS_PACCT",
        "SYS_ADMIN",
        "SYS_BOOT",
        "SYS_NICE",
        "SYS_RESOURCE",
        "SYS_TIME",
        "SYS_TTY_CONFIG",
        "MKNOD",
        "LEASE",
        "AUDIT_WRITE",
        "AUDIT_CONTROL",
        "SETFCAP",
        "MAC_OVERRIDE",
        "MAC_ADMIN",
        "SYSLOG",
        "WAKE_ALARM",
        "BLOCK_SUSPEND",
        "AUDIT_READ",
        "PERFMON",
        "BPF",
        "CHECKPOINT_RESTORE",
    }
)
_ALL = "ALL"  # every capability: what `drop` lists first

# What Kubernetes' Ingress validation refuses in an Exact or Prefix path.
_BAD_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_SUFFIXES = ("/..", "/.")
# Regular-expression syntax: matched literally under Exact and Prefix, and refused by ingress-nginx.
_REGEX = re.compile(r"[()\[\]{}*+?|^$\\]")


def capability_problem(name: str) -> str | None:
    """Why a capability name is not one Kubernetes passes on, or None."""
    if name == _ALL or name in CAPABILITIES:
        return None
    if name.upper().startswith("CAP_") and name[4:].upper() in CAPABILITIES:
        return f"is written with the `CAP_` prefix; Kubernetes names it {name[4:].upper()}"
    if name.upper() in CAPABILITIES:
        return f"must be written in capitals: {name.upper()}"
    close = difflib.get_close_matches(name.upper(), sorted(CAPABILITIES), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"is not a Linux capability{hint}"


def ingress_path_problem(path: str, path_type: str) -> str | None:
    """Why an Ingress path is refused for its pathType (Exact and Prefix are checked), or None."""
    if path_type not in ("Exact", "Prefix"):
        return None
    if not path.startswith("/"):
        return "must start with '/'"
    for sequence in _BAD_SEQUENCES:
        if sequence in path:
            return f"must not contain {sequence!r} under pathType {path_type}"
    for suffix in _BAD_SUFFIXES:
        if path.endswith(suffix):
            return f"must not end with {suffix!r} under pathType {path_type}"
    regex = _REGEX.search(path)
    if regex is not None:
        return (
            f"holds {regex.group(0)!r}, regular-expression syntax, which pathType {path_type} matches "
            f"literally (and ingress-nginx refuses)"
        )
    return None


def file_path_problem(path: str, key: str) -> str | None:
    """Why a file mounted at `path` from ConfigMap key `key` is refused, or None."""
    if path.strip("/") == "":
        return "is the container's root directory; a file cannot be mounted over it"
    if ".." in path.split("/"):
        return "has a '..' segment; write the path it means without stepping back"
    if key.startswith(".."):
        return f"becomes the ConfigMap key {key!r}, and Kubernetes refuses keys that start with '..'"
    return None


def mount_point(path: str) -> str:
    """The directory a mount path names, as the runtime sees it (`/data/` and `/data` are one)."""
    return posixpath.normpath(path) if path else path


def repeated_mounts(paths: Sequence[str]) -> list[tuple[int, int]]:
    """(index, index of the earlier mount at the same point) for every mount point used twice."""
    first: dict[str, int] = {}
    out: list[tuple[int, int]] = []
    for index, path in enumerate(paths):
        point = mount_point(path)
        if point in first:
            out.append((index, first[point]))
        else:
            first[point] = index
    return out
