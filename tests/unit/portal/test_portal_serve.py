"""`serve()` runs in the foreground, prints its URLs and stops cleanly on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

from tests.helpers.http import fetch


def test_serve_foreground_and_ctrl_c():
    proc = subprocess.Popen(
        [sys.executable, "-c", "from parkwatch.portal import serve; serve(port=0, today='2024-12-31')"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Ctrl-C" in line:
                break
        out = "".join(lines)
        directory = re.search(r"directory (http://127\.0\.0\.1:\d+/)", out).group(1)
        site = re.search(r"qingchuan-hitech\s+(http://127\.0\.1\.1:\d+/)", out).group(1)
        assert fetch(directory)[0] == 200
        html = fetch(site + "jb/index.html")[2].decode()
        assert "2025" not in re.findall(r"<span>(\d{4})-\d{2}-\d{2}</span></li>", html)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=15)
        assert proc.returncode == 0, stderr
        assert "portal stopped." in stdout
        assert stderr == ""  # quiet: no per-request logging
    finally:
        if proc.poll() is None:
            proc.kill()
