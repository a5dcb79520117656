"""The one module that writes to disk: files only when their bytes changed, folders swapped in whole."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from annals.export import data_files


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` (atomically) unless it already holds exactly that; return whether it wrote."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".annals-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_export(archive, out: Path) -> int:
    """Write <out>/<id>.json for every document (and entities.json, timeline.json); return the documents."""
    for path, text in data_files(archive).items():
        write_if_changed(out / path.rsplit("/", 1)[-1], text.encode("utf-8"))
    return len(archive.documents)


def swap_in(built: Path, target: Path) -> None:
    """Replace the folder `target` by `built`, keeping the old one until the new one is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(built, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
