"""Work spread over every core: worker processes forked with the shared data already in their memory."""
from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from annals import progress
from annals.errors import AnnalsError

T = TypeVar("T")
R = TypeVar("R")

MINIMUM = 64  # below this many items, starting worker processes costs more than it saves
NO_DATA = object()
_work: tuple[Callable, Any] | None = None  # (func, data) of the fork_map running: the workers inherit it


def call(item):
    """In a worker: the running fork_map's func of its data and the item (or of the item alone)."""
    func, data = _work
    return func(item) if data is NO_DATA else func(data, item)


def workers() -> int:
    """How many worker processes pay: one per core (at most 8), or 1 where forking is not safe or possible."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1  # forking a process that runs other threads (annals serve) can copy a held lock
    return min(os.cpu_count() or 1, 8)


def fork_map(func: Callable[..., R], items: Iterable[T], data: Any = NO_DATA, minimum: int | None = None,
             chunksize: int | None = None) -> list[R]:
    """[func(data, item) for item in items] (or [func(item) ...] when no `data` is given), on every core when
    there are at least `minimum` (MINIMUM) items.

    The workers are forked once `data` is in place, so they find it in their memory without it being pickled;
    only the items and results travel. Results come back in the order of the items. Items are handed out in
    chunks (by default, an eighth of each worker's share): put the costliest items first, or give a smaller
    `chunksize`, so that no worker is left with a long last chunk.
    """
    global _work
    items = list(items)
    count = workers()
    if len(items) < (MINIMUM if minimum is None else minimum) or count < 2:
        return [counted(func(item) if data is NO_DATA else func(data, item)) for item in items]
    _work = (func, data)
    context = multiprocessing.get_context("fork")
    gc.freeze()  # the workers' collector then leaves the inherited objects alone: no copying, no scanning
    try:
        with concurrent.futures.ProcessPoolExecutor(count, mp_context=context) as pool:
            return [counted(result) for result in
                    pool.map(call, items, chunksize=chunksize or max(1, len(items) // (count * 8)))]
    finally:
        gc.unfreeze()
        _work = None


def started(func: Callable[..., R], *args) -> Callable[[], R]:
    """Start func(*args) in a forked process now, while the caller goes on; return what waits for its result (its
    error raised again in the caller). Call it within a `finishing` block, which stops the process if the caller
    fails first. Where forking is not safe or possible (as for fork_map), func runs when its result is asked for."""
    if workers() < 2:
        return lambda: func(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=run_started, args=(send, func, args))
    child.start()
    send.close()

    def result() -> R:
        try:
            outcome = receive.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            outcome = ("crash", f"a worker process ended with code {child.exitcode}")
        finally:
            receive.close()
            child.join()
        return result_of(outcome)

    result.child = child  # type: ignore[attr-defined]
    return result


def run_started(send, func, args) -> None:
    """The forked side of `started`."""
    send.send(outcome_of(func, *args))
    send.close()


class finishing:
    """A block in which work `started` runs: if the block is left by an exception, the work's process is stopped
    (and waited for) rather than left writing."""

    def __init__(self, result: Callable) -> None:
        self.child = getattr(result, "child", None)

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is not None and self.child is not None and self.child.is_alive():
            self.child.kill()
            self.child.join()


def counted(result: R) -> R:
    """A result of fork_map, counted as one item done of the stage running (annals.progress)."""
    progress.advance()
    return result


def outcome_of(func, *args) -> tuple[str, object]:
    """Run func(*args) in a forked process: ("ok", the result pickled), or the kind and detail of its error, for
    result_of in the parent."""
    import pickle
    import traceback

    from mkdocs.exceptions import MkDocsException

    try:
        return "ok", pickle.dumps(func(*args))
    except MkDocsException as exc:
        return "mkdocs", str(exc)
    except OSError as exc:
        return "os", str(exc)
    except AnnalsError as exc:
        return "annals", pickle.dumps(exc.problems)
    except BaseException:  # noqa: BLE001 - reported in the parent, with its traceback
        return "crash", traceback.format_exc()


def result_of(outcome: tuple[str, object]):
    """What outcome_of sent: the result, or its error raised again here."""
    import pickle

    kind, detail = outcome
    if kind == "mkdocs":
        from mkdocs.exceptions import MkDocsException
        raise MkDocsException(detail)
    if kind == "os":
        raise OSError(detail)
    if kind == "annals":
        raise AnnalsError(pickle.loads(detail))
    if kind == "crash":
        raise RuntimeError(f"the site build failed: {detail}")
    return pickle.loads(detail)
