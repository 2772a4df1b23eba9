"""`platformc schema`: the JSON Schema of platform.yaml, as packaged."""

from __future__ import annotations

from importlib.resources import files

from generator.commands.output import write_stdout
from generator.options import EXIT_OK


def schema() -> int:
    write_stdout(files("generator").joinpath("schema", "platform.schema.json").read_text(encoding="utf-8"))
    return EXIT_OK
