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

A change to a few data files does not compress them all again: a member is compressed on its own, its
compressed bytes depend only on its own bytes (and zlib's version and level), so those of every file whose
hash is the one recorded when the previous zip was made are copied from that zip, once its own hash is found
unchanged (0.6 s instead of 14 s for the 20,000 data files of 10,000 texts). The zip is the one a fresh
make_bundle writes, byte for byte.
"""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import re
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from annals.errors import AnnalsError, Problem
from annals.render.data import BUNDLE, BUNDLE_FOLDER
from annals.write import write_if_changed

log = logging.getLogger(__name__)

EPOCH = datetime.date(1980, 1, 1)  # the earliest date a zip entry can have
LEVEL = 6  # zlib's default
DONE = "bundle.done"  # beside the manifest: the key of the plan the zip was last made from, the zip's hash, and
# the hash of each member's bytes (its "members"), with the zlib and level that compressed them
DATA_SUFFIXES = (".json", ".xml", ".csv")


def is_bundled(path: str) -> bool:
    """Whether a generated file goes into the corpus download: every data file, not the Data page."""
    return path.startswith("data/") and path.endswith(DATA_SUFFIXES)


def update_bundle(folder: Path) -> bool:
    """Make the zip of the generated files in `folder` as its manifest plans it, unless it is made already;
    return whether it was made. Two processes that ask for it at once take turns (LOCK): the second finds it
    made (a build starts making it as soon as the files are generated, and MkDocs' plugin waits for it)."""
    from annals.write import locked

    with locked(folder / LOCK):
        return make_planned(folder)


LOCK = "bundle.lock"  # beside the manifest


def make_planned(folder: Path) -> bool:
    """update_bundle, holding its lock."""
    from annals.manifest import FILES, digest_of, read_manifest

    manifest = read_manifest(folder)
    plan = manifest.get("bundle")
    if not plan:
        return False
    target, done = folder / FILES / BUNDLE, folder / DONE
    made = read_done(done)
    hashes = {p: digest for p, digest in sorted(manifest["files"].items()) if is_bundled(p)}
    newest = datetime.date.fromisoformat(plan["newest"]) if plan["newest"] else None
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(".annals-*"):  # what a maker stopped by SIGKILL left (the lock is ours)
        stale.unlink(missing_ok=True)
    with previous(target, made) as (intact, reuse):
        if intact and made.get("key") == plan["key"]:
            return False
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".annals-")
        try:  # written to disk as it is made, not held in memory (86 MB at 10,000 texts); swapped in when whole
            chunks: dict[str, list] = {}
            with os.fdopen(fd, "wb") as out:
                members = make_bundle(folder / FILES, list(hashes), plan["extra"], newest, out, hashes, reuse,
                                      chunks)
            digest = digest_of(Path(tmp))
            done.unlink(missing_ok=True)  # a stop before the new record is written leaves none, and no false alarm
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    write_if_changed(done, json.dumps({"key": plan["key"], "sha256": digest, "members": members, "chunks": chunks,
                                       "zlib": COMPRESSOR}, sort_keys=True).encode("utf-8"))
    return True


COMPRESSOR = f"{zlib.ZLIB_RUNTIME_VERSION} {LEVEL}"  # what the compressed bytes of a member depend on, beside them


@contextlib.contextmanager
def previous(target: Path, made: dict):
    """Whether the zip in place is the one last made (its hash is the one recorded), and its members that can
    be copied as they are: {name: (the hash of its bytes, its ZipInfo, the open zip)}, none where the zip is
    not the one recorded, or other code compressed it. Warns of a zip whose bytes are not those recorded."""
    try:
        f = open(target, "rb")
    except FileNotFoundError:
        yield False, {}
        return
    with f:
        if hashlib.file_digest(f, "sha256").hexdigest() != made.get("sha256"):
            if made:
                log.warning("%s: the corpus download in the cache is damaged (not the bytes it had when it was "
                            "made): made again", target)
            yield False, {}
            return
        if made.get("zlib") != COMPRESSOR or not isinstance(made.get("members"), dict):
            yield True, {}
            return
        chunks = made.get("chunks") if isinstance(made.get("chunks"), dict) else {}
        with zipfile.ZipFile(f) as old:
            yield True, {i.filename: (made["members"].get(i.filename), i, f, chunks.get(i.filename))
                         for i in old.infolist()}


def read_done(done: Path) -> dict:
    """What the zip was last made from and its hash ({} when unknown: the zip is then made again)."""
    try:
        made = json.loads(done.read_text(encoding="utf-8"))
        return made if isinstance(made, dict) else {}
    except (OSError, ValueError):
        return {}


def make_bundle(root: Path, paths: list[str], extra: dict[str, str], newest: datetime.date | None,
                out: BinaryIO, hashes: dict[str, str] | None = None, reuse: dict | None = None,
                chunks: dict[str, list] | None = None) -> dict[str, str]:
    """Zip the files root/<path> (paths under data/) and the `extra` texts into annals-data/, writing to `out`
    (a file that can seek); with `hashes`, refuse (AnnalsError) a file whose bytes do not have the hash given
    for its path, and copy the compressed bytes of the members of `reuse` (as `previous` gives them) whose hash
    is that. Return each member's name and the hash of its bytes; put in `chunks`, if given, the chunks of
    each member compressed in chunks (chunked_member)."""
    day = max(newest or EPOCH, EPOCH)
    entries = {p.removeprefix("data/"): root / p for p in paths} | {name: text for name, text in extra.items()}
    reuse, members = reuse or {}, {}
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{BUNDLE_FOLDER}/{name}", date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is made
            info.external_attr = 0o644 << 16
            body = entries[name]
            if isinstance(body, str):
                data = body.encode("utf-8")
                digest = hashlib.sha256(data).hexdigest()
            else:
                digest = hashes[f"data/{name}"] if hashes is not None else None
                data = None
            found = reuse.get(info.filename)
            if digest is not None and found and found[0] == digest and (found[3] is not None
                                                                      or found[1].file_size < CHUNKED):
                copy_member(z, info, found[1], found[2])  # (a large member, only as chunks: as it is made now)
                if found[3] is not None and chunks is not None:
                    chunks[info.filename] = found[3]
            else:
                data = data if data is not None else read_checked(body, root, hashes)
                if len(data) >= CHUNKED:
                    made = chunked_member(z, info, data, found)
                    if chunks is not None:
                        chunks[info.filename] = made
                else:
                    z.writestr(info, data, compresslevel=LEVEL)
            members[info.filename] = digest or hashlib.sha256(data).hexdigest()
    return members


CHUNKED = 1 << 20  # a member this large is compressed in chunks (chunked_member)
CHUNK_MIN, CHUNK_MAX = 1 << 19, 1 << 21  # a chunk's bounds, in bytes (larger ones compress better: +1.1 % here)
CUT_AFTER = re.compile(rb"\n|\},")  # where a chunk may end: after a line (CSV) or an object in a list (JSON)
CUT_ONE_IN = 8  # of those places, about one in this many is a cut, by the bytes before it


def chunk_ends(data: bytes) -> list[int]:
    """Where `data` is cut into chunks: each chunk at least CHUNK_MIN bytes, at most CHUNK_MAX, ending at the
    first place past its minimum where a line or an object ends and the 32 bytes before hash to a multiple of
    CUT_ONE_IN. The cuts are found by the bytes around them, not by their offsets: an edit moves the cuts
    of its own chunk alone (or the next few), and the others fall where they fell before."""
    ends, start = [], 0
    while len(data) - start > CHUNK_MAX:
        end, pos = start + CHUNK_MAX, start + CHUNK_MIN
        while (m := CUT_AFTER.search(data, pos, start + CHUNK_MAX)) is not None:
            if zlib.crc32(data[m.end() - 32:m.end()]) % CUT_ONE_IN == 0:
                end = m.end()
                break
            pos = m.end()
        ends.append(end)
        start = end
    return ends + [len(data)]


def chunked_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, found) -> list:
    """Write the member `info` of `data` as deflate chunks each compressed on its own, as pigz's independent
    blocks are (a full flush after each, the last one final): one deflate stream, read by any unzip, and the
    compressed bytes of a chunk depend on the chunk's bytes alone. The chunks the previous zip holds with the
    same bytes (`found`, as `previous` gives a member, with its recorded chunks) are copied from it. Returns the
    chunks as recorded: [the hash of its bytes, whether it is the last, its compressed size] each."""
    old = {}
    if found is not None and found[3]:
        offset = member_data_offset(found[2], found[1])
        for digest, last, size in found[3]:
            old[digest, last] = (offset, size)
            offset += size
    start, parts, made = 0, [], []
    ends = chunk_ends(data)
    for i, end in enumerate(ends):
        chunk, last = data[start:end], i == len(ends) - 1
        digest = hashlib.sha256(chunk).hexdigest()
        if (digest, last) in old:
            where, size = old[digest, last]
            found[2].seek(where)
            raw = found[2].read(size)
        else:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
            raw = compressor.compress(chunk) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
        parts.append(raw)
        made.append([digest, last, len(raw)])
        start = end
    write_raw(z, info, b"".join(parts), zlib.crc32(data), len(data))
    return made


def member_data_offset(f: BinaryIO, old: zipfile.ZipInfo) -> int:
    """Where the compressed bytes of the member `old` of the zip open as `f` start."""
    f.seek(old.header_offset)
    header = f.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"{old.filename}: no member header where the zip's directory says")
    return old.header_offset + zipfile.sizeFileHeader + int.from_bytes(header[26:28], "little") \
        + int.from_bytes(header[28:30], "little")


def copy_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, old: zipfile.ZipInfo, f: BinaryIO) -> None:
    """Write the member `info` into z with the compressed bytes, CRC and sizes of `old`, a member of the zip
    open as `f`: what z.writestr writes for the same bytes, without compressing them again.

    zipfile has no public way to write bytes already compressed (python/cpython#125009 proposes one): this
    does what its writestr does (ZipFile._open_to_write and _ZipWriteFile.close, Python 3.11 to 3.13), and a
    test compares the result with writestr's, byte for byte."""
    f.seek(member_data_offset(f, old))
    raw = f.read(old.compress_size)
    if len(raw) != old.compress_size:
        raise zipfile.BadZipFile(f"{old.filename}: shorter than the zip's directory says")
    write_raw(z, info, raw, old.CRC, old.file_size)


def write_raw(z: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes, crc: int, size: int) -> None:
    """Write the member `info` into z with the compressed bytes `raw` of `size` bytes whose CRC is `crc` (see
    copy_member)."""
    info.file_size, info.compress_size, info.CRC, info.flag_bits = size, len(raw), crc, 0
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    z.fp.seek(z.start_dir)
    info.header_offset = z.fp.tell()
    z._writecheck(info)
    z._didModify = True
    z.fp.write(info.FileHeader(zip64))
    z.fp.write(raw)
    z.start_dir = z.fp.tell()
    z.filelist.append(info)
    z.NameToInfo[info.filename] = info


def read_checked(path: Path, root: Path, hashes: dict[str, str] | None) -> bytes:
    """The bytes of a generated data file, checked against the hash the manifest records for it, if given."""
    data = path.read_bytes()
    if hashes is not None and hashlib.sha256(data).hexdigest() != hashes[path.relative_to(root).as_posix()]:
        raise AnnalsError(Problem(str(path), 0, "changed during the build (not the bytes generated): the corpus "
                                  "download is not made from it", "build again"))
    return data
