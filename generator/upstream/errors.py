"""Why a chart could not be fetched: reported as PC809, never raised past the vendor stage."""

from __future__ import annotations


class FetchError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
