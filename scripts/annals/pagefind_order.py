"""Put Pagefind's filter lists in a fixed order, so that the same input gives a byte-identical index.

Pagefind 1.5.2 writes each filter's values, and the metadata's list of filters, in the order of a hash map,
which changes from run to run; the files' names are hashes of their bytes, so they change too. Here each
filter file's values and the metadata's filters are sorted, and the files renamed by the hash of their new
bytes (with the references to them). A file whose bytes do not read back exactly as written by this code's
small CBOR reader and writer is left as Pagefind wrote it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class Unsupported(ValueError):
    """Bytes this small CBOR reader does not handle: the file is left alone."""


def decode(data: bytes, at: int = 0):
    """One CBOR item at `at` (integers, byte and text strings, arrays, maps, true/false/null): (value, next)."""
    first = data[at]
    major, info = first >> 5, first & 31
    at += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise Unsupported(f"CBOR item {first:#x}")
    if major == 0:
        return n, at
    if major == 1:
        return -1 - n, at
    if major == 2:
        return bytes(data[at:at + n]), at + n
    if major == 3:
        return data[at:at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(n):
            key, at = decode(data, at)
            value, at = decode(data, at)
            pairs.append((key, value))
        return dict(pairs), at
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], at
    raise Unsupported(f"CBOR item {first:#x}")


def head(major: int, n: int) -> bytes:
    """The shortest head of a CBOR item."""
    if n < 24:
        return bytes([major << 5 | n])
    for info, size, fmt in ((24, 1, ">B"), (25, 2, ">H"), (26, 4, ">I"), (27, 8, ">Q")):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise Unsupported("integer too large")


def encode(value) -> bytes:
    """The CBOR of a value decode() gives."""
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(map(encode, value))
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise Unsupported(type(value).__name__)


def read(path: Path):
    """The value in a Pagefind file (gzip, signature, CBOR), checked to write back to the same bytes."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise Unsupported(f"{path.name}: no Pagefind signature")
    value, end = decode(data, len(SIGNATURE))
    if end != len(data) or encode(value) != data[len(SIGNATURE):]:
        raise Unsupported(f"{path.name}: does not read back to the same bytes")
    return value


def write(path: Path, value) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + encode(value), compresslevel=9, mtime=0))


def renamed(old: str, value, digits: int) -> str:
    """A file's new name: its language prefix and a hash of its new content."""
    language = old.split("_", 1)[0]
    return f"{language}_{hashlib.sha256(SIGNATURE + encode(value)).hexdigest()[:digits]}"


def fix_order(bundle: Path) -> bool:
    """Sort the filter lists of one Pagefind bundle in place; False (and nothing changed) if it cannot."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plan = []
        for language in entry["languages"].values():
            meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
            meta = read(meta_path)
            filters = {}
            for name, digest in meta[3]:
                values = read(bundle / "filter" / f"{digest}.pf_filter")
                values[1].sort(key=lambda v: v[0])
                filters[name] = (digest, values)
            plan.append((language, meta_path, meta, filters))
    except (Unsupported, OSError, ValueError, KeyError, IndexError, TypeError):
        return False
    for language, meta_path, meta, filters in plan:
        names = []
        for name, (digest, values) in sorted(filters.items()):
            new = renamed(digest, values, len(digest.split("_", 1)[1]))
            (bundle / "filter" / f"{digest}.pf_filter").unlink()
            write(bundle / "filter" / f"{new}.pf_filter", values)
            names.append([name, new])
        meta[3] = names
        new = renamed(language["hash"], meta, len(language["hash"].split("_", 1)[1]))
        meta_path.unlink()
        write(bundle / f"pagefind.{new}.pf_meta", meta)
        language["hash"] = new
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
