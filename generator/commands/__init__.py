"""The command layer: one module per subcommand, each a plain function from frozen options to an
exit code. generator.cli (the only click importer) parses options and calls them; no stage imports this
package. Importing it loads nothing else: `init`, `schema` and `rules` start without the pipeline."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "selected_envs":  # the vendor command's import, until it lives here
        from generator.commands.common import selected_envs

        return selected_envs
    raise AttributeError(name)
