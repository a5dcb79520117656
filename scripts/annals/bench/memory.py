"""The peak memory of a process and all it starts, summed: `python -m annals.bench.memory PID`.

It samples every process of the tree (the build, its worker processes, the search indexer) a few times a
second, adding their proportional set sizes (PSS: a page shared by forked processes counts once in all),
until its standard input closes; then it prints the peak sum in bytes. Linux only (/proc); elsewhere it
prints 0. A separate process, so that the build being measured keeps running no thread of its own.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

INTERVAL = 0.5  # seconds between samples (reading a large process's PSS costs: more often would slow the build)


def tree(pid: int) -> list[int]:
    """The process and its descendants, as /proc lists them."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def pss(pid: int) -> int:
    """The proportional set size of a process in bytes (0 if it has ended)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def watch(pid: int, done: threading.Event) -> int:
    """Sample the tree of `pid` (leaving this process out) until `done`; return the peak sum."""
    me, peak = os.getpid(), 0
    while not done.is_set():
        peak = max(peak, sum(pss(p) for p in tree(pid) if p != me))
        done.wait(INTERVAL)
    return peak


@contextlib.contextmanager
def peak_memory():
    """Measure the peak memory of this process's tree while the block runs: yields a dict, {"bytes": N} after."""
    result = {"bytes": 0}
    watcher = subprocess.Popen([sys.executable, "-m", "annals.bench.memory", str(os.getpid())],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    time.sleep(0.2)  # let it take its first sample before the work starts
    try:
        yield result
    finally:
        out, _ = watcher.communicate("")
        result["bytes"] = int(out.strip() or 0)


def main() -> None:
    if not Path("/proc/self/smaps_rollup").exists():
        sys.stdin.read()
        print(0)
        return
    done = threading.Event()
    result = []
    sampler = threading.Thread(target=lambda: result.append(watch(int(sys.argv[1]), done)))
    sampler.start()
    sys.stdin.read()  # until the measured process closes it
    done.set()
    sampler.join()
    print(result[0])


if __name__ == "__main__":
    main()
