"""JVM heap flags read as the JVM reads them."""

from __future__ import annotations

import pytest

from generator.rules.values.jvm import heap_fits, heap_flags


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("-Xmx4g -Xms4g", [("-Xmx", 4 * 2**30), ("-Xms", 4 * 2**30)]),
        ("-Xmx1536m", [("-Xmx", 1536 * 2**20)]),
        ("-Xmx2G", [("-Xmx", 2 * 2**30)]),
        ("-Xms1024k", [("-Xms", 2**20)]),
        ("-Xmx1073741824", [("-Xmx", 2**30)]),
        ("-server -XX:MaxRAMPercentage=75 -Xmx512M -Dx=1", [("-Xmx", 512 * 2**20)]),
    ],
)
def test_heap_flags(text: str, sizes: list[tuple[str, int]]) -> None:
    assert [(f.flag, f.size) for f in heap_flags(text)] == sizes


@pytest.mark.parametrize(
    "text", ["-Xss1m", "-XX:MaxHeapSize=2g", "--Xmx4g", "-Xmx4gb", "-Xmx", "-Dopt=-Xmx.4g"]
)
def test_not_heap_flags(text: str) -> None:
    assert list(heap_flags(text)) == []


def test_offset_and_written() -> None:
    [flag] = heap_flags("JAVA -Xmx3g")
    assert (flag.offset, flag.written) == (5, "-Xmx3g")


def test_heap_must_stay_below_the_limit() -> None:
    assert heap_fits(3 * 2**30, 4 * 2**30)
    assert not heap_fits(4 * 2**30, 4 * 2**30)
