"""Command lines whose output is cut short (`python -m loaders history | head`): stop quietly, like any Unix tool.

Python ignores SIGPIPE and raises BrokenPipeError on the next write (or flush at exit) instead; without care both
CLIs printed „Fehler: : Broken pipe“ or Python's own „Exception ignored …“ line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # what a shell reports for a tool ended by SIGPIPE (141)


def stdout_gone() -> int:
    """Call from `except BrokenPipeError`: point stdout at /dev/null (so the flush at exit cannot fail again)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_BROKEN_PIPE
