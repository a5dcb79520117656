"""What a long command is doing, for the editor who waits: each stage of the work, as it runs and when it ends.

On a terminal, a stage that knows how many items it has (texts, pages, search parts) shows a bar (tqdm) with
the count done and left and the time left; every stage, when it ends, leaves one line: its name, its count and
the seconds it took. Piped (CI, a log), the same lines and no bar. Quiet: nothing. Library use (tests, the
benchmarks' inner builds) is silent unless a command asked for more.

A stage is opened in one process and may be advanced in the processes it forks (the generate stage runs apart,
MkDocs renders in shards): its count is a shared integer, and whichever process advances it redraws the bar
(at most ten times a second). Nothing here starts a thread: a build whose main process runs another thread
works on one core (annals.parallel), so tqdm's monitor thread is turned off.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import sys
import time
from collections.abc import Iterator
from typing import TextIO

OFF, QUIET, LINES, BARS = "off", "quiet", "lines", "bars"
REDRAW = 0.1  # seconds between two redraws of a bar

_mode = OFF
_out: TextIO | None = None
_current: Stage | None = None


def configure(mode: str, out: TextIO | None = None) -> None:
    """Say how progress is shown from now on: OFF or QUIET (not at all), LINES (a line per stage), BARS (a line per
    stage, and a bar while it runs); on `out` (default: standard error)."""
    global _mode, _out
    if mode not in (OFF, QUIET, LINES, BARS):
        raise ValueError(f"unknown progress mode {mode!r}")
    _mode, _out = mode, out


def mode_for(stream: TextIO, quiet: bool = False) -> str:
    """The mode a command shows progress in on `stream`: QUIET if asked, BARS on a terminal, else LINES."""
    if quiet:
        return QUIET
    try:
        return BARS if stream.isatty() else LINES
    except (AttributeError, ValueError):
        return LINES


def shown() -> bool:
    """Whether stages are said (LINES or BARS)."""
    return _mode in (LINES, BARS)


class Stage:
    """One stage of the work: its name, how many items it has (None: unknown) and how many are done."""

    def __init__(self, name: str, total: int | None, unit: str, passes: int = 1) -> None:
        self.name, self.total, self.unit = name, total, unit
        self.started = time.monotonic()
        self.steps = total * passes if total else None  # the bar counts each item once per pass
        self.done = multiprocessing.Value("q", 0) if _mode == BARS and total else None
        self.drawn = 0.0
        self.bar = None
        if self.done is not None:
            import tqdm

            size = shutil.get_terminal_size()  # 80 x 24 where unknown (tqdm would take 0 x 0, and show nothing)
            tqdm.tqdm.monitor_interval = 0  # no monitor thread (see the module's docstring)
            unit = unit if passes == 1 else "steps"  # each item once per pass
            self.bar = tqdm.tqdm(total=self.steps, desc=name, unit=f" {unit}" if unit else "it", leave=False,
                                 file=_out or sys.stderr, ncols=size.columns, nrows=size.lines,
                                 mininterval=REDRAW, smoothing=0.1)

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done (in this process or another forked since the stage began)."""
        if self.done is None:
            return
        with self.done.get_lock():
            self.done.value += count
            value = self.done.value
        now = time.monotonic()
        if now - self.drawn >= REDRAW or value == self.steps:
            self.drawn = now
            self.bar.n = value
            self.bar.refresh()

    def line(self, seconds: float) -> str:
        """The line said when the stage ends: its name, its count and its time."""
        unit = self.unit[:-1] if self.total == 1 and self.unit.endswith("s") else self.unit
        count = f"{self.total:,} {unit}, " if self.total is not None and unit else ""
        return f"{self.name}: {count}{seconds:.1f} s"

    def end(self) -> None:
        seconds = time.monotonic() - self.started
        if self.bar is not None:
            self.bar.close()  # leave=False: the bar's line is cleared
        if shown():
            out = _out or sys.stderr
            out.write(self.line(seconds) + "\n")
            out.flush()


@contextlib.contextmanager
def stage(name: str, total: int | None = None, unit: str = "", passes: int = 1) -> Iterator[Stage]:
    """Run a stage of the work: `with stage("pages", 10_664, "pages") as s: ... s.advance()`. Work that reports
    without being handed the stage (fork_map, MkDocs' page hook) advances the stage running (advance()). A stage
    that goes `passes` times over its items counts each once per pass."""
    global _current
    outer, _current = _current, Stage(name, total, unit, passes)
    try:
        yield _current
        _current.end()
    finally:
        if _current is not None and _current.bar is not None and not _current.bar.disable:
            _current.bar.close()
        _current = outer


def advance(count: int = 1) -> None:
    """Count items done in the stage running, if any."""
    if _current is not None:
        _current.advance(count)


def logging_beside_bars() -> contextlib.AbstractContextManager:
    """Where bars are shown: log messages (MkDocs' warnings) written above the bar running, not into its line
    (tqdm's logging_redirect_tqdm). Elsewhere, nothing changes."""
    if _mode != BARS:
        return contextlib.nullcontext()
    from tqdm.contrib.logging import logging_redirect_tqdm

    return logging_redirect_tqdm()
