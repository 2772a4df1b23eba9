"""`platformc init`: a new platform repository that validates, renders and checks at once."""

from __future__ import annotations

from generator.commands.output import write_stdout
from generator.options import EXIT_OK, InitOptions


def init(options: InitOptions) -> int:
    from generator.scaffold import init_git, scaffold

    written = scaffold(options.directory, options.name)
    done = f"{options.directory} was created"
    write_stdout(f"created a new platform in {options.directory}: {', '.join(written)}\n", done=done)
    write_stdout(f"{init_git(options.directory)}\n", done=done)
    write_stdout(
        f"next: cd {options.directory} && make render   # validate and render every environment\n", done=done
    )
    return EXIT_OK
