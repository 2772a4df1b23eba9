"""The command line: the only package that knows click. Options in, exit code out.

The subcommands are here; `running` holds exit codes, Ctrl-C and terminal facts, `params` the
shared options and shell completion."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from generator import __version__
from generator.cli.params import (
    complete_app,
    complete_component,
    complete_env,
    complete_rule,
    env_option,
    format_option,
    jobs_option,
    no_cache_option,
    one_env_option,
    root_option,
)
from generator.cli.running import (
    DetailedExitCommand,
    PlatformcGroup,
    color_for,
    progress_wanted,
    run_command,
    verify_cache_dir,
)
from generator.options import (
    DIFF_EXIT_ERROR,
    DIFF_FORMATS,
    EXIT_INTERRUPTED,
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


@click.group(cls=PlatformcGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    options = Options(root=root, envs=envs, fmt=fmt, color=color_for(fmt), progress=progress_wanted())
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
        root=root, envs=envs, out=out, fmt=fmt, color=color_for(fmt), progress=progress_wanted(), jobs=jobs
    )
    sys.exit(run_command(command, options))


@cli.command(cls=DetailedExitCommand)
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
    shell_complete=complete_env,
)
@click.option(
    "--app",
    "apps",
    multiple=True,
    metavar="NAME",
    help="Only this Application's changes; repeatable.",
    shell_complete=complete_app,
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
        color=color_for(fmt),
        progress=progress_wanted(),
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
        color=color_for(fmt),
        verify=not no_verify,
        progress=progress_wanted(),
        jobs=jobs,
        verify_cache=verify_cache_dir(no_cache),
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
        color=color_for(fmt),
        progress=progress_wanted(),
        verify_cache=verify_cache_dir(no_cache),
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

    options = Options(
        root=root, envs=envs, fmt=fmt, color=color_for(fmt), progress=progress_wanted(), mirrors=mirrors
    )
    sys.exit(run_command(vendor_command, options))


@cli.command()
@click.argument("component", metavar="APP/COMPONENT", shell_complete=complete_component)
@root_option
@click.option(
    "--env",
    metavar="ENV",
    help="Environment (overlays/ENV.yaml), or `all`: every environment side by side. "
    "Default: the first by name.",
    shell_complete=complete_env,
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
@click.argument("rule_id", metavar="[ID]", required=False, shell_complete=complete_rule)
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
