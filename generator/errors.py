"""One base error, narrow subclasses, each with a message meant for a person."""

from __future__ import annotations


class PlatformcError(Exception):
    """Base of every error platformc raises on purpose."""


class InputError(PlatformcError):
    """The input cannot be read at all (missing root, unreadable file)."""


class WriteError(PlatformcError):
    """The rendered tree could not be written safely."""


class LockedError(WriteError):
    """Another platformc run holds the render lock."""


class VerifyUnavailableError(PlatformcError):
    """The Helm engine or schema validator needed by verify is not installed."""


class AuditUnavailableError(PlatformcError):
    """The audit cannot run: checkov is missing or failed, or audit/accepted.yaml cannot be read."""
