"""Writing safely: files written only when their bytes changed, whole (through a temporary file), folders swapped
in whole, locks: what the stages that write (generate, bundle, incremental, search, new, cache) write with."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from annals.export import data_files

log = logging.getLogger(__name__)


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


CHECK = ', "check": "'


def checked_json(value: dict) -> str:
    """A non-empty dict as JSON (keys sorted) with the SHA-256 of that JSON last, under "check": read_checked
    tells a whole file from a truncated or altered one without serializing the value again."""
    data = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return f'{data[:-1]}{CHECK}{hashlib.sha256(data.encode("utf-8")).hexdigest()}"}}'


def read_checked(text: str) -> dict | None:
    """The dict that checked_json wrote as `text`, or None when the text is not whole. A dict written with its
    "check" among its sorted keys (as Annals did before) is checked by serializing it again."""
    at = text.rfind(CHECK)
    data = text[:at] + "}" if at > 0 and text.endswith('"}') else ""
    if data and hashlib.sha256(data.encode("utf-8")).hexdigest() == text[at + len(CHECK):-2]:
        value = json.loads(data)
        return value if isinstance(value, dict) else None
    value = json.loads(text)
    if not isinstance(value, dict) or not isinstance(value.get("check"), str):
        return None
    check = value.pop("check")
    for ascii_ in (False, True):
        if hashlib.sha256(json.dumps(value, ensure_ascii=ascii_, sort_keys=True).encode("utf-8")).hexdigest() == check:
            return value
    return None


def write_export(archive, out: Path) -> int:
    """Write <out>/<id>.json for every document (and entities.json, timeline.json); return the documents."""
    for path, text in data_files(archive).items():
        write_if_changed(out / path.rsplit("/", 1)[-1], text.encode("utf-8"))
    return len(archive.documents)


def make_staging(target: Path) -> Path:
    """Make an empty folder beside `target` to build its next version in, named as `leftovers` knows it."""
    while True:
        staging = target.with_name(f".{target.name}-{secrets.token_hex(4)}")
        try:
            staging.mkdir()
            return staging
        except FileExistsError:
            continue


def swap_in(built: Path, target: Path, spare: Path | None = None) -> None:
    """Put the folder `built` in the place of `target` so that `target` is never missing, then remove the old one,
    or, given a `spare` path (where nothing is), keep it there.

    Where the system can (Linux's renameat2), the two folders exchange names in one step. Elsewhere the old
    folder is first renamed aside (`aside`): a stop between the two renames leaves it there, and
    `repair_swap`, at the start of the next build, puts it back.
    """
    if not os.path.lexists(target):
        os.rename(built, target)
    elif exchange(built, target):  # `built` now holds the old folder
        if spare is not None:
            os.rename(built, spare)
        else:
            remove(built)
    else:
        old = aside(target)
        remove(old)
        os.rename(target, old)
        os.rename(built, target)
        remove(old)


def repair_swap(target: Path) -> list[Path]:
    """Undo what a build stopped before its end left beside `target`: put back a folder left aside in the middle
    of a swap, and remove staging folders and old folders. Hold the target's lock. Returns what was removed."""
    old = aside(target)
    if os.path.lexists(old) and not os.path.lexists(target):
        os.rename(old, target)
        log.warning("%s: a build was stopped while it put its site in place: the site before it is back", target)
    found = leftovers(target)
    for path in found:
        remove(path)
    if found:
        log.info("%s: removed what stopped builds left: %s", target, ", ".join(p.name for p in found))
    return found


def aside(target: Path) -> Path:
    """Where `swap_in` puts the old folder when it cannot exchange the two."""
    return target.with_name(f".{target.name}.old")


def spare(target: Path) -> Path:
    """Where an incremental build keeps the site it replaced (`swap_in`), for the next to start from
    (incremental.sync): most of its files are links to the site's own."""
    return target.with_name(f".{target.name}.spare")


def leftovers(target: Path) -> list[Path]:
    """The staging folders (`make_staging`) and old folders (`aside`) of `target` that are still there."""
    staging = re.compile(rf"\.{re.escape(target.name)}-[0-9a-f]{{8}}")
    try:
        names = os.listdir(target.parent)
    except FileNotFoundError:
        return []
    return sorted(target.parent / n for n in names if staging.fullmatch(n) or n == aside(target).name)


def remove(path: Path) -> None:
    """Remove a folder (or file, or link) and all it holds, as far as it can be removed."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Exchange the names of `a` and `b` in one step; False where the system or its file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc 2.28 or later
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def publishable(folder: Path) -> dict[str, int]:
    """Let anyone read the folder, as a web server running as another user must: folders 0755 and files 0644,
    less what the umask takes away (027 gives 0750 and 0640). Files copied from private places (the cache's
    are 0600) and folders made private (0700) would otherwise answer 403. Returns the size of each file (by
    its path in the folder, with "/"), found on the way."""
    mask = current_umask()
    modes = {True: 0o755 & ~mask, False: 0o644 & ~mask}
    os.chmod(folder, modes[True])
    sizes: dict[str, int] = {}
    pending = [(str(folder), "")]
    while pending:
        path, rel = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = f"{rel}{entry.name}"
                if entry.is_symlink():  # left as it is; a link to a file counted as the file
                    with contextlib.suppress(OSError):
                        if entry.is_file():
                            sizes[name] = os.stat(entry.path).st_size
                    continue
                is_dir = entry.is_dir(follow_symlinks=False)
                found = entry.stat(follow_symlinks=False)
                if stat.S_IMODE(found.st_mode) != modes[is_dir]:
                    os.chmod(entry.path, modes[is_dir])
                if is_dir:
                    pending.append((entry.path, f"{name}/"))
                else:
                    sizes[name] = found.st_size
    return sizes


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), as threads may be running."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def locked(lock_file: Path, busy: str = ""):
    """Hold an exclusive lock on `lock_file` (made if missing) for the block; if another process holds it, log
    `busy` and wait for it. The system releases the lock when the process ends, however it ends, with the
    processes it forked meanwhile (which share it: site.apart ends them with it)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock
        yield
        return
    with open(lock_file, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if busy:
                log.warning("%s", busy)
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
