"""The generate stage's manifest: what the generated files were made from and the hash of each, kept beside them
(<folder>/manifest.json, the files in <folder>/files/), checked by its own hash; read by the generate stage and by
the corpus download, which packs the files it lists."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from annals.write import checked_json, read_checked, write_if_changed

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FILES = "files"  # the generated files live in <folder>/files/, the manifest beside them


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write the manifest with its own hash ("check"), by which read_manifest knows it whole."""
    write_if_changed(folder / MANIFEST, checked_json(manifest).encode("utf-8"))


def read_manifest(folder: Path) -> dict:
    """The manifest of the last generation in `folder`, or {} when there is none, or it is not whole (with a
    warning: nothing it lists is trusted)."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
        if '"check": "' not in text and text.rstrip().endswith("}"):
            return {}  # an older Annals' manifest: nothing it lists is trusted, and nothing is wrong
        manifest = read_checked(text)
        if manifest is not None and isinstance(manifest.get("files"), dict):
            return manifest
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    log.warning("%s: the manifest in the cache is damaged: every generated file is made again", folder / MANIFEST)
    return {}


def digest_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex ("" for a file that cannot be read)."""
    try:
        with open(path, "rb", buffering=0) as f:
            return hashlib.sha256(f.readall()).hexdigest()
    except OSError:
        return ""
