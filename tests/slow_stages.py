"""Extractors that misbehave on purpose, for the time-budget tests (run in real workers).

Each behaves like the real extractor except on an article whose text contains its
marker word; the tests name them with ``IngestOptions(extractor="slow_stages:NAME")``.
"""

from __future__ import annotations

import os
import signal
import time

from kg_builder.extract import extract as real_extract


def spins(article, doc):
    """Loops for ever in Python on "SPIN": a timer can interrupt it."""
    if "SPIN" in article.text:
        n = 0
        while n >= 0:
            n += 1
    return real_extract(article, doc)


def blocks_the_timer(article, doc):
    """On "STUCK", blocks SIGALRM and loops: only replacing the process ends it."""
    if "STUCK" in article.text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        n = 0
        while n >= 0:
            n += 1
    return real_extract(article, doc)


def crashes(article, doc):
    """On "CRASH", the process dies at once, as after a segfault in native code."""
    if "CRASH" in article.text:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_extract(article, doc)


def waits_to_be_killed(article, doc):
    """On "WAIT-FOR-KILL:PATH", the first time only: writes the parent's pid (a Dask worker)
    to PATH, then waits (at most 120 s) for the test to kill that parent. Once PATH exists
    it behaves like the real extractor, so the partition run again by Dask goes through."""
    marker = "WAIT-FOR-KILL:"
    if marker in article.text:
        path = article.text.split(marker, 1)[1].split()[0]
        if not os.path.exists(path):
            parent = os.getppid()
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(str(parent))
            os.replace(path + ".tmp", path)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if os.getppid() != parent:  # the parent was killed: nobody waits for us
                    os._exit(0)
                time.sleep(0.1)
    return real_extract(article, doc)
