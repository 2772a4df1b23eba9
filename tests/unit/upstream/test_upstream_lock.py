from __future__ import annotations

from pathlib import Path

from generator.upstream.lock import HEADER, LOCK_FILE, LockEntry, lock_text, write_lock

ALPHA = LockEntry("alpha", "1.2.3", "https://charts.example.com", "a" * 64)
BETA = LockEntry("beta", "0.4.0", "oci://registry.example.com/charts", "b" * 64)


def test_the_lock_is_sorted_and_has_no_timestamps() -> None:
    assert lock_text([BETA, ALPHA, BETA]) == HEADER + (
        "charts:\n"
        "- name: alpha\n"
        "  version: 1.2.3\n"
        "  repository: https://charts.example.com\n"
        f"  sha256: {'a' * 64}\n"
        "- name: beta\n"
        "  version: 0.4.0\n"
        "  repository: oci://registry.example.com/charts\n"
        f"  sha256: {'b' * 64}\n"
    )


def test_an_unchanged_lock_is_not_rewritten(tmp_path: Path) -> None:
    assert write_lock(tmp_path, [ALPHA]) is True
    written = (tmp_path / LOCK_FILE).stat().st_mtime_ns
    assert write_lock(tmp_path, [ALPHA]) is False
    assert (tmp_path / LOCK_FILE).stat().st_mtime_ns == written
    assert write_lock(tmp_path, [ALPHA, BETA]) is True
