"""The command line: the only module that knows click. Options in, exit code out."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from click.shell_completion import CompletionItem

from generator import __version__
from generator.errors import PlatformcError
from generator.options import (
    DIFF_EXIT_ERROR,
    DIFF_FORMATS,
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    EXPLAIN_FORMATS,
    GRAPH_FORMATS,
    RULES_FORMATS,
    DiffOptions,
    ExplainOptions,
    GraphOptions,
    InitOptions,
    Options,
    RulesOptions,
)
from generator.report import FORMATS

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., None])


def _color(fmt: str) -> bool:
    """Colour only for people: a terminal, a text format, and no NO_COLOR (https://no-color.org)."""
    stdout = sys.stdout  # None when the descriptor is closed: the command says so when it prints
    return fmt == "text" and stdout is not None and stdout.isatty() and "NO_COLOR" not in os.environ


def _progress() -> bool:
    return sys.stderr is not None and sys.stderr.isatty()


def _verify_cache(no_cache: bool) -> Path | None:
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


class _DetailedExitCommand(click.Command):
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


def _root_of(ctx: click.Context) -> Path:
    root = ctx.params.get("root")
    return root if isinstance(root, Path) else Path(".")


def _complete_env(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_envs

    return [CompletionItem(env) for env in complete_envs(_root_of(ctx), incomplete)]


def _complete_app(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_applications

    return [CompletionItem(app) for app in complete_applications(_root_of(ctx), incomplete)]


def _complete_component(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_components

    return [CompletionItem(c) for c in complete_components(_root_of(ctx), incomplete)]


def _complete_rule(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_rules

    return [CompletionItem(rule) for rule in complete_rules(incomplete)]


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
    shell_complete=_complete_env,
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Environments emitted in parallel worker processes; 0 (default): one per CPU; 1: none. "
    "The output is the same either way.",
)
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Verify every chart again instead of reusing results for unchanged ones "
    "(also PLATFORMC_NO_CACHE=1; the cache lives in PLATFORMC_CACHE_DIR, default ~/.cache/platformc/verify).",
)
one_env_option = click.option(
    "--env",
    metavar="ENV",
    help="Environment (overlays/ENV.yaml). Default: the first by name.",
    shell_complete=_complete_env,
)


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "text") -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


class _Platformc(click.Group):
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


@click.group(cls=_Platformc, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="platformc")
def cli() -> None:
    """platformc compiles platform.yaml into the GitOps tree ArgoCD syncs."""


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--name", help="The platform's name (metadata.name). Default: from DIRECTORY.")
def init(directory: Path, name: str | None) -> None:
    """Start a new platform repository in DIRECTORY.

    DIRECTORY must be empty or absent: init never overwrites a file.
    """
    from generator.commands.init import init as command

    sys.exit(run_command(command, InitOptions(directory=directory, name=name)))


@cli.command()
@root_option
@env_option
@click.option("--all", "all_envs", is_flag=True, help="Every environment (the default).")
@format_option()
def validate(root: Path, envs: tuple[str, ...], all_envs: bool, fmt: str) -> None:
    """Check platform.yaml and overlays: schema and rules."""
    from generator.commands.validate import validate as command

    envs = () if all_envs else envs
    options = Options(root=root, envs=envs, fmt=fmt, color=_color(fmt), progress=_progress())
    sys.exit(run_command(command, options))


@cli.command()
@root_option
@env_option
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), help="Write here instead of ROOT/rendered."
)
@format_option()
@jobs_option
def render(root: Path, envs: tuple[str, ...], out: Path | None, fmt: str, jobs: int) -> None:
    """Write rendered/<env>/; refuses while there are errors.

    A directory in the way is replaced only when platformc wrote it (or it is
    empty): render never deletes files of yours, whatever --out says.
    """
    from generator.commands.render import render as command

    options = Options(
        root=root, envs=envs, out=out, fmt=fmt, color=_color(fmt), progress=_progress(), jobs=jobs
    )
    sys.exit(run_command(command, options))


@cli.command(cls=_DetailedExitCommand)
@root_option
@env_option
@click.option(
    "--base", metavar="REV", help="Compare with platform.yaml at this Git revision (e.g. origin/main)."
)
@click.option(
    "--envs",
    "promote",
    nargs=2,
    metavar="FROM TO",
    help="What promoting environment FROM to TO would change in TO.",
    shell_complete=_complete_env,
)
@click.option(
    "--app",
    "apps",
    multiple=True,
    metavar="NAME",
    help="Only this Application's changes; repeatable.",
    shell_complete=_complete_app,
)
@click.option("--summary", is_flag=True, help="Only the counts of objects added, changed and removed.")
@format_option(DIFF_FORMATS)
def diff(
    root: Path,
    envs: tuple[str, ...],
    base: str | None,
    promote: tuple[str, str] | None,
    apps: tuple[str, ...],
    summary: bool,
    fmt: str,
) -> None:
    """Show what a change does to the rendered objects.

    Objects are grouped by Application, each with a diff of its YAML. Default:
    rendered/ on disk against a fresh render of platform.yaml. --base REV:
    platform.yaml at a Git revision against the working tree. --envs FROM TO:
    what promoting FROM to TO would change in TO.

    Exit codes as Helmfile's `diff --detailed-exitcode`: 0 no changes, 2
    changes, 1 error (a platform that does not render, a usage or input error).
    """
    from generator.commands.diff import diff as command

    if promote and (envs or base):
        raise click.UsageError("--envs FROM TO compares two environments; it takes neither --env nor --base")
    options = DiffOptions(
        root=root,
        envs=envs,
        base=base,
        promote=promote or None,
        fmt=fmt,
        color=_color(fmt),
        progress=_progress(),
        summary=summary,
        apps=tuple(dict.fromkeys(apps)),
    )
    sys.exit(run_command(command, options, usage=DIFF_EXIT_ERROR, unexpected=DIFF_EXIT_ERROR))


@cli.command()
@root_option
@env_option
@format_option()
@click.option("--no-verify", is_flag=True, help="Skip the Helm and schema verification of the rendered tree.")
@no_cache_option
@jobs_option
def check(root: Path, envs: tuple[str, ...], fmt: str, no_verify: bool, no_cache: bool, jobs: int) -> None:
    """Validate, and fail when rendered/ is stale; then verify."""
    from generator.commands.check import check as command

    options = Options(
        root=root,
        envs=envs,
        fmt=fmt,
        color=_color(fmt),
        verify=not no_verify,
        progress=_progress(),
        jobs=jobs,
        verify_cache=_verify_cache(no_cache),
    )
    sys.exit(run_command(command, options))


@cli.command()
@root_option
@env_option
@format_option()
@no_cache_option
def verify(root: Path, envs: tuple[str, ...], fmt: str, no_cache: bool) -> None:
    """Render every Application with Helm, as ArgoCD does; validate.

    Every object is validated against the Kubernetes and CRD schemas. Results
    for charts whose files, versions and tools are unchanged come from a cache.
    """
    from generator.commands.verify import verify as command

    options = Options(
        root=root,
        envs=envs,
        fmt=fmt,
        color=_color(fmt),
        progress=_progress(),
        verify_cache=_verify_cache(no_cache),
    )
    sys.exit(run_command(command, options))


@cli.command()
@root_option
@env_option
@click.option(
    "--mirror",
    "mirrors",
    multiple=True,
    metavar="UPSTREAM=MIRROR",
    help="Fetch the charts of repository UPSTREAM (* for every one) from MIRROR: an http(s):// or "
    "oci:// URL or a directory; repeatable. Before PLATFORMC_CHART_MIRRORS and spec.charts.mirrors.",
)
@format_option()
def vendor(root: Path, envs: tuple[str, ...], mirrors: tuple[str, ...], fmt: str) -> None:
    """Download pinned upstream charts into vendor/charts/.

    render copies them into rendered/, so ArgoCD and verify need no network.
    """
    from generator.commands.vendor import vendor as vendor_command

    options = Options(root=root, envs=envs, fmt=fmt, color=_color(fmt), progress=_progress(), mirrors=mirrors)
    sys.exit(run_command(vendor_command, options))


@cli.command()
@click.argument("component", metavar="APP/COMPONENT", shell_complete=_complete_component)
@root_option
@click.option(
    "--env",
    metavar="ENV",
    help="Environment (overlays/ENV.yaml), or `all`: every environment side by side. "
    "Default: the first by name.",
    shell_complete=_complete_env,
)
@format_option(EXPLAIN_FORMATS)
def explain(component: str, root: Path, env: str | None, fmt: str) -> None:
    """Explain one component, resolved.

    Every value with the file:line it came from (platform.yaml or an overlay),
    what platformc decided for it, references, secrets, dependencies and
    dependents, sync waves, exceptions and the rendered files it produces.
    """
    from generator.commands.explain import explain as command

    options = ExplainOptions(root=root, target=component, env=env, fmt=fmt)
    sys.exit(run_command(command, options))


@cli.command()
@root_option
@one_env_option
@format_option(GRAPH_FORMATS, "mermaid")
def graph(root: Path, env: str | None, fmt: str) -> None:
    """Draw applications, components and sync waves.

    Every format groups the components by application (a Mermaid subgraph, a
    DOT cluster), each with its wave, and draws the dependencies between
    components and between applications (svg needs Graphviz `dot` on PATH).
    """
    from generator.commands.graph import graph as command

    sys.exit(run_command(command, GraphOptions(root=root, env=env, fmt=fmt)))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of platform.yaml."""
    from generator.commands.schema import schema as command

    sys.exit(run_command(lambda _: command(), None))


@cli.command()
@click.argument("rule_id", metavar="[ID]", required=False, shell_complete=_complete_rule)
@format_option(RULES_FORMATS)
def rules(rule_id: str | None, fmt: str) -> None:
    """List the rules, or explain one: `platformc rules PC601`."""
    from generator.commands.rules import rules as command

    sys.exit(run_command(command, RulesOptions(rule_id=rule_id, fmt=fmt)))


# One run builds a large, long-lived object graph (the platform of every environment) and
# frees little until it exits: the default collector thresholds rescan that graph over and
# over (a sixth of the analysis at 5,000 components). Objects freed by reference counting,
# nearly all of them, are unaffected; cycles are still collected, less often.
GC_THRESHOLDS = (50_000, 20, 20)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
