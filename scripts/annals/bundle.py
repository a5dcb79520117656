"""The corpus download: one zip of every data file of the archive, with its README and licences.

Deterministic: the entries are in path order, each dated by the newest document (a zip cannot hold dates
before 1980) with the same permissions, so the same files always give the same zip.

The generate stage writes the data files and, in its manifest, the plan of the zip (its key, README and
LICENCE); `update_bundle` makes the zip from them. The MkDocs plugin runs it in a thread while MkDocs renders
the pages: compressing is zlib's work, done outside Python's lock, on the core MkDocs leaves idle (6.1 s for
the 315 MB of data files of 10,000 texts, which in the stage before MkDocs made it a fifth slower).

Nothing is zipped or reused unchecked: each data file is hashed as it is read and compared with the hash the
manifest records (the generate stage has just checked them all: a difference now means the file changed under
the build, which then fails rather than publish it); the zip itself is reused only while its bytes have the
hash recorded when it was made, and made again, with a warning, when they do not.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from annals.errors import AnnalsError, Problem
from annals.render_data import BUNDLE, BUNDLE_FOLDER
from annals.write import write_if_changed

log = logging.getLogger(__name__)

EPOCH = datetime.date(1980, 1, 1)  # the earliest date a zip entry can have
LEVEL = 6  # zlib's default
DONE = "bundle.done"  # beside the manifest: the key of the plan the zip was last made from, and the zip's hash
DATA_SUFFIXES = (".json", ".xml", ".csv")


def is_bundled(path: str) -> bool:
    """Whether a generated file goes into the corpus download: every data file, not the Data page."""
    return path.startswith("data/") and path.endswith(DATA_SUFFIXES)


def update_bundle(folder: Path) -> bool:
    """Make the zip of the generated files in `folder` as its manifest plans it, unless it is made already;
    return whether it was made."""
    from annals.generate import FILES, digest_of, read_manifest

    manifest = read_manifest(folder)
    plan = manifest.get("bundle")
    if not plan:
        return False
    target, done = folder / FILES / BUNDLE, folder / DONE
    made = read_done(done)
    if made.get("key") == plan["key"] and target.is_file():
        if digest_of(target) == made.get("sha256"):
            return False
        log.warning("%s: the corpus download in the cache is damaged (not the bytes it had when it was made): "
                    "made again", target)
    hashes = {p: digest for p, digest in sorted(manifest["files"].items()) if is_bundled(p)}
    newest = datetime.date.fromisoformat(plan["newest"]) if plan["newest"] else None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".annals-")
    try:  # written to disk as it is made, not held in memory (86 MB at 10,000 texts); swapped in when whole
        with os.fdopen(fd, "wb") as out:
            make_bundle(folder / FILES, list(hashes), plan["extra"], newest, out, hashes)
        digest = digest_of(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    write_if_changed(done, json.dumps({"key": plan["key"], "sha256": digest}, sort_keys=True).encode("utf-8"))
    return True


def read_done(done: Path) -> dict:
    """What the zip was last made from and its hash ({} when unknown: the zip is then made again)."""
    try:
        made = json.loads(done.read_text(encoding="utf-8"))
        return made if isinstance(made, dict) else {}
    except (OSError, ValueError):
        return {}


def make_bundle(root: Path, paths: list[str], extra: dict[str, str], newest: datetime.date | None,
                out: BinaryIO, hashes: dict[str, str] | None = None) -> None:
    """Zip the files root/<path> (paths under data/) and the `extra` texts into annals-data/, writing to `out`;
    with `hashes`, refuse (AnnalsError) a file whose bytes do not have the hash given for its path."""
    day = max(newest or EPOCH, EPOCH)
    entries = {p.removeprefix("data/"): root / p for p in paths} | {name: text for name, text in extra.items()}
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{BUNDLE_FOLDER}/{name}", date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is made
            info.external_attr = 0o644 << 16
            body = entries[name]
            data = body.encode("utf-8") if isinstance(body, str) else read_checked(body, root, hashes)
            z.writestr(info, data, compresslevel=LEVEL)


def read_checked(path: Path, root: Path, hashes: dict[str, str] | None) -> bytes:
    """The bytes of a generated data file, checked against the hash the manifest records for it, if given."""
    data = path.read_bytes()
    if hashes is not None and hashlib.sha256(data).hexdigest() != hashes[path.relative_to(root).as_posix()]:
        raise AnnalsError(Problem(str(path), 0, "changed during the build (not the bytes generated): the corpus "
                                  "download is not made from it", "build again"))
    return data
