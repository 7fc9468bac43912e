"""Give memory back to the operating system after a big upload was checked.

CPython frees the objects of a checked workbook, but glibc keeps the freed heap for the process: without this the
app stays at its peak size after every large upload (bench/uploads.py measures both). Linux/glibc only; a no-op
elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc


def give_back() -> None:
    """Collect garbage and let glibc return free heap pages to the system (malloc_trim)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
