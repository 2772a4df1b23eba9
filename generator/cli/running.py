"""How a command runs: exit codes in one place, Ctrl-C, colour and progress for people."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from generator.errors import PlatformcError
from generator.options import DIFF_EXIT_ERROR, EXIT_INTERRUPTED, EXIT_UNEXPECTED, EXIT_USAGE

T = TypeVar("T")


def color_for(fmt: str) -> bool:
    """Colour only for people: a terminal, a text format, and no NO_COLOR (https://no-color.org)."""
    stdout = sys.stdout  # None when the descriptor is closed: the command says so when it prints
    return fmt == "text" and stdout is not None and stdout.isatty() and "NO_COLOR" not in os.environ


def progress_wanted() -> bool:
    return sys.stderr is not None and sys.stderr.isatty()


def verify_cache_dir(no_cache: bool) -> Path | None:
    from generator.verify.cache import cache_directory

    return None if no_cache else cache_directory(os.environ)


def run_command(
    command: Callable[[T], int], options: T, *, usage: int = EXIT_USAGE, unexpected: int = EXIT_UNEXPECTED
) -> int:
    """Exit codes in one place: 0 clean, 1 findings, 2 usage/input, 3 unexpected, 130 Ctrl-C.

    `diff` passes its own (`usage` and `unexpected` are both 1 there: 2 means "changes").
    """
    try:
        return command(options)
    except KeyboardInterrupt:
        click.echo("\ninterrupted; rendered/ was left as it was", err=True)
        return EXIT_INTERRUPTED
    except PlatformcError as e:
        click.echo(f"platformc: error: {e}", err=True)
        return usage
    except Exception:
        click.echo("platformc: unexpected error (a bug in platformc; please report it):", err=True)
        click.echo(traceback.format_exc(), err=True)
        return unexpected


class _DiffUsageError(click.UsageError):
    exit_code = DIFF_EXIT_ERROR


class DetailedExitCommand(click.Command):
    """A command whose exit 2 means "changes": a usage error exits 1 (an error) instead of click's 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            raise _DiffUsageError(e.format_message(), e.ctx) from e

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            raise _DiffUsageError(e.format_message(), e.ctx) from e


class PlatformcGroup(click.Group):
    """Commands in the order a newcomer uses them; Ctrl-C anywhere in one exits 130."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> object:
        # run_command handles Ctrl-C inside a command; this catches it while options are
        # built or modules imported, before click could turn it into "Aborted!" and exit 1.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
