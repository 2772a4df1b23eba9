"""Where the audit's external linters are found.

`make audit` installs checkov and argocd-source-lint into a venv of their own
(`.venv-audit`, audit/requirements.txt) and names its bin directory in
PLATFORMC_AUDIT_TOOLS; otherwise they are looked for beside the running Python,
then on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from generator.errors import AuditUnavailableError

TOOLS_VARIABLE = "PLATFORMC_AUDIT_TOOLS"


def tool_command(name: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    """The command that runs the linter `name`; AuditUnavailableError when there is none."""
    for directory in (environ.get(TOOLS_VARIABLE), str(Path(sys.executable).parent)):
        if directory and (Path(directory) / name).is_file():
            return [str(Path(directory) / name)]
    found = shutil.which(name)
    if found is None:
        raise AuditUnavailableError(f"{name} is not installed: `make audit` installs it into .venv-audit")
    return [found]
