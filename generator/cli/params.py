"""The options several commands share, and shell completion of their values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from click.shell_completion import CompletionItem

from generator.report import FORMATS

F = TypeVar("F", bound=Callable[..., None])


def _root_of(ctx: click.Context) -> Path:
    root = ctx.params.get("root")
    return root if isinstance(root, Path) else Path(".")


def complete_env(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_envs

    return [CompletionItem(env) for env in complete_envs(_root_of(ctx), incomplete)]


def complete_app(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_applications

    return [CompletionItem(app) for app in complete_applications(_root_of(ctx), incomplete)]


def complete_component(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from generator.commands.completion import complete_components

    return [CompletionItem(c) for c in complete_components(_root_of(ctx), incomplete)]


def complete_rule(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
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
    shell_complete=complete_env,
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
    shell_complete=complete_env,
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
