"""The command line: the only module that knows click. Options in, exit code out."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

import click

from generator import __version__
from generator.errors import LockedError, PlatformcError, WriteError
from generator.options import EXIT_INTERRUPTED, EXIT_UNEXPECTED, EXIT_USAGE, Options
from generator.report import FORMATS


def _color(fmt: str) -> bool:
    return fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def run_command(command: Callable[[Options], int], options: Options) -> int:
    """Exit codes in one place: 0 clean, 1 findings, 2 usage/input, 3 unexpected, 130 Ctrl-C."""
    try:
        return command(options)
    except KeyboardInterrupt:
        click.echo("interrupted; rendered/ was left as it was", err=True)
        return EXIT_INTERRUPTED
    except (LockedError, WriteError) as e:
        click.echo(f"platformc: error: {e}", err=True)
        return EXIT_USAGE
    except PlatformcError as e:
        click.echo(f"platformc: error: {e}", err=True)
        return EXIT_USAGE
    except Exception:
        click.echo("platformc: unexpected error (a bug in platformc; please report it):", err=True)
        click.echo(traceback.format_exc(), err=True)
        return EXIT_UNEXPECTED


root_option = click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Directory holding platform.yaml, overlays/ and rendered/.",
)
env_option = click.option(
    "--env",
    "envs",
    multiple=True,
    metavar="ENV",
    help="Environment (overlays/ENV.yaml); repeatable. Default: all.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="platformc")
def cli() -> None:
    """platformc compiles platform.yaml into the GitOps tree ArgoCD syncs."""


@cli.command()
@root_option
@env_option
@click.option("--all", "all_envs", is_flag=True, help="Every environment (the default).")
@format_option
def validate(root: Path, envs: tuple[str, ...], all_envs: bool, fmt: str) -> None:
    """Validate platform.yaml and its overlays: schema and semantic rules."""
    from generator import commands

    options = Options(root=root, envs=() if all_envs else envs, fmt=fmt, color=_color(fmt))
    sys.exit(run_command(commands.validate, options))


@cli.command()
@root_option
@env_option
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), help="Write here instead of ROOT/rendered."
)
@format_option
def render(root: Path, envs: tuple[str, ...], out: Path | None, fmt: str) -> None:
    """Render rendered/<env>/ for each environment; refuses on error findings."""
    from generator import commands

    sys.exit(run_command(commands.render, Options(root=root, envs=envs, out=out, fmt=fmt, color=_color(fmt))))


@cli.command()
@root_option
@env_option
@format_option
@click.option("--no-verify", is_flag=True, help="Skip the Helm and schema verification of the rendered tree.")
def check(root: Path, envs: tuple[str, ...], fmt: str, no_verify: bool) -> None:
    """Validate, and fail if rendered/ differs from what render would write."""
    from generator import commands

    options = Options(root=root, envs=envs, fmt=fmt, color=_color(fmt), verify=not no_verify)
    sys.exit(run_command(commands.check, options))


@cli.command()
@root_option
@env_option
@format_option
def verify(root: Path, envs: tuple[str, ...], fmt: str) -> None:
    """Render every Application with Helm as ArgoCD would and validate every object."""
    from generator import commands

    sys.exit(run_command(commands.verify, Options(root=root, envs=envs, fmt=fmt, color=_color(fmt))))


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
