"""A cache between runs, in the user's cache folder: keyed by content and by the code that made it.

Each cached object is stored after a header and the SHA-256 of its bytes, and loaded only when they match:
a damaged file is a miss (made again, with a warning), never an object unpickled from the wrong bytes.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import logging
import os
import pickle
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent
MAGIC = b"annals-cache/1\n"  # then 32 bytes of SHA-256, then the pickle
log = logging.getLogger(__name__)


def code_version(*modules: str) -> str:
    """A hash of the named modules of this package ("parse", "render.pages") and the Python version: stale when
    they change."""
    key = hashlib.sha256(os.sys.version.encode())
    for name in modules:
        key.update((PACKAGE / f"{name.replace('.', '/')}.py").read_bytes())
    return key.hexdigest()[:16]


@functools.cache
def package_code() -> str:
    """code_version of every module of this package: what the results the cache keeps were made by. Read once per
    process (the modules it runs are those it imported)."""
    return code_version(*modules())


def modules() -> list[str]:
    """Every module of this package, by its dotted name under it ("parse", "render.pages"), sorted."""
    return sorted(p.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".") for p in PACKAGE.rglob("*.py"))


def cache_root() -> Path:
    """$ANNALS_CACHE, else $XDG_CACHE_HOME/annals, else ~/.cache/annals."""
    if os.environ.get("ANNALS_CACHE"):
        return Path(os.environ["ANNALS_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "annals"


def load(path: Path):
    """The object pickled at `path` by `store`, or None if there is none (or it is unreadable or damaged)."""
    return load_with_digest(path)[0]


def load_with_digest(path: Path) -> tuple[Any, bytes | None]:
    """load(path), and the SHA-256 of the pickle it was read from (None with no object): equal digests, equal
    objects (the same bytes unpickled by the same code)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None, None
    head, digest, body = data[:len(MAGIC)], data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if head != MAGIC or hashlib.sha256(body).digest() != digest:
        if head == MAGIC or len(data) < len(MAGIC):  # ours, damaged (an older format is only a miss)
            log.warning("%s: damaged in the cache (not the bytes stored): made again", path)
        return None, None
    try:
        return pickle.loads(body), digest
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None, None


def store(path: Path, value) -> bytes:
    """Pickle `value` at `path` atomically; a cache that cannot be written is skipped, not an error. Returns the
    SHA-256 of the pickle, as load_with_digest gives it."""
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(body).digest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            f.write(MAGIC + digest + body)
        os.replace(tmp, path)
    except OSError:
        pass
    return digest


def canonical(value) -> bytes:
    """The pickle of a value, the same for equal values whichever objects they share: without the memo, which
    writes a second reference to an object as a reference (and equal strings are one object or two as it
    happens: read from the parse cache or parsed)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: every object written out where it occurs
    pickler.dispatch_table = reducers()
    pickler.dump(value)
    return out.getvalue()


@functools.cache
def reducers() -> dict:
    """How the model's dataclasses are written by canonical: as their class and a tuple of their fields, taken at
    C speed (dataclasses' own __getstate__ is a loop in Python, most of the time of a key)."""
    import copyreg

    from annals import model, offices

    table = dict(copyreg.dispatch_table)
    for module in (model, offices):
        for cls in vars(module).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__:
                table[cls] = model.by_fields(cls)
    return table
