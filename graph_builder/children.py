"""Child processes that end with their parent: extraction workers and the embedded store's loader."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import sys


def die_with_parent() -> None:
    """Child start-up: a terminate ends the child, an interrupt is its parent's to handle, and on Linux
    the kernel ends the child when its parent dies, however it dies."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler, inherited by the fork
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        # A C library without prctl leaves the child to outlive a killed parent, as elsewhere.
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
