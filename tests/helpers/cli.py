"""Run the ``parkwatch`` CLI as a user does: the console script of this interpreter's environment, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PARKWATCH = str(Path(sys.executable).parent / "parkwatch")


def run_parkwatch(*args: str, home: Path | str | None = None, env: dict[str, str] | None = None,
                  timeout: float = 300, cwd: Path | str | None = None) -> subprocess.CompletedProcess:
    """``parkwatch *args`` with text output captured. ``env`` is added to this process's environment;
    ``home``, when given, is the PARKWATCH_HOME."""
    full = {**os.environ, **(env or {})}
    if home is not None:
        full["PARKWATCH_HOME"] = str(home)
    return subprocess.run([PARKWATCH, *args], env=full, capture_output=True, text=True, timeout=timeout, cwd=cwd)
