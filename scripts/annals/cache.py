"""A cache between runs, in the user's cache folder: keyed by content and by the code that made it."""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def code_version(*modules: str) -> str:
    """A hash of the named modules of this package (and the Python version): stale when they change."""
    key = hashlib.sha256(os.sys.version.encode())
    for name in modules:
        key.update((PACKAGE / f"{name}.py").read_bytes())
    return key.hexdigest()[:16]


def cache_root() -> Path:
    """$ANNALS_CACHE, else $XDG_CACHE_HOME/annals, else ~/.cache/annals."""
    if os.environ.get("ANNALS_CACHE"):
        return Path(os.environ["ANNALS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "annals"


def load(path: Path):
    """The object pickled at `path` by `store`, or None if there is none (or it is unreadable)."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def store(path: Path, value) -> None:
    """Pickle `value` at `path` atomically; a cache that cannot be written is skipped, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
