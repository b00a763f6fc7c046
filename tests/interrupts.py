"""For tests that send Ctrl-C (SIGINT) to a child process."""

from __future__ import annotations

import signal


def sigint_default() -> None:
    """``Popen(preexec_fn=...)``: the child handles SIGINT by default (Python raises
    KeyboardInterrupt), whatever this process inherited. A shell without job control
    starts background jobs with SIGINT ignored, and children inherit that: a suite run in
    the background would otherwise see these tests fail for want of a signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
