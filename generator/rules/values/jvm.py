"""JVM heap sizes (`-Xmx`, `-Xms`) in option strings: JAVA_OPTS, *_HEAP_OPTS, ES_JAVA_OPTS, args."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The JVM reads a size as bytes, or with k, m, g or t (either case) as powers of 1024.
_HEAP = re.compile(r"(?<![\w-])-(Xmx|Xms)([0-9]+)([kKmMgGtT]?)(?![\w.])")
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


@dataclass(frozen=True)
class HeapFlag:
    flag: str  # "-Xmx" or "-Xms"
    size: int  # bytes
    written: str  # as written, e.g. "-Xmx4g"
    offset: int


def heap_flags(text: str) -> Iterator[HeapFlag]:
    """Every `-Xmx<size>` and `-Xms<size>` in a JVM option string, with its size in bytes."""
    for match in _HEAP.finditer(text):
        size = int(match.group(2)) * _UNITS[match.group(3).lower()]
        yield HeapFlag(f"-{match.group(1)}", size, match.group(0), match.start())


def heap_fits(heap: int, limit: int) -> bool:
    """A heap must stay below the container's memory limit: the JVM needs room beside it
    (metaspace, thread stacks, code cache, direct buffers), and at the limit the kernel kills it."""
    return heap < limit
