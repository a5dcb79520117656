"""Incremental builds: MkDocs renders only the pages whose generated Markdown changed; the rest of the previous
site is reused.

Every build leaves a record in its site (RECORD, a hidden file, checked by its own hash): a fingerprint of all
that changes every page (the code and the versions of MkDocs, Material and Markdown, mkdocs.yml, site_url,
docs/, the theme overrides, the set of generated files, the build date), the hash of each generated file, the
corpus download's key, and the size of each file of the site. The next build with the same fingerprint fills
its staging folder with hard links to the previous site's files and runs MkDocs' dirty build, told exactly
which files changed (not by their times); any other difference, or a previous site that is not what its record
says, makes a full build. A file MkDocs writes again is unlinked first, so a write never reaches the published
site through a link.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

RECORD = ".annals-build.json"
NOT_REUSED = ("pagefind",)  # folders at the site's root made again by every build (the search index: pagefind*)
ALWAYS = ("data/index.md",)  # pages that show what other files hold (the Data page: the download's size)


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a build re-makes: `changed`, the generated files to copy or render again, or None for all (full)."""

    fingerprint: str
    files: dict  # generated path: SHA-256, as the generate stage's manifest records them
    bundle: str  # the key of the corpus download
    changed: frozenset | None
    reason: str  # why the build is full, or "" when it is incremental

    @property
    def is_full(self) -> bool:
        return self.changed is None


def fingerprint(config, generated, theme: Path) -> str:
    """A key of all that every page depends on: same key, each unchanged page renders to the same bytes."""
    from importlib.metadata import version

    from annals.generate import code_key

    key = hashlib.sha256(code_key().encode())
    for package in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
        key.update(f"\0{package} {version(package)}".encode())
    key.update(b"\0config\0" + Path(config.config_file_path).read_bytes())
    key.update(f"\0{config.site_url or ''}\0{generated.newest}\0".encode())
    for folder in (Path(config.docs_dir), theme):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key.update(f"\0f\0{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    key.update("\0".join(generated.files).encode())
    return key.hexdigest()


def plan(config, generated, theme: Path, previous: Path, full: bool = False) -> Plan:
    """Compare this build's inputs with the record of the previous site `previous`; say what to re-make."""
    from annals.generate import read_manifest

    manifest = read_manifest(generated.folder)
    files, bundle = manifest.get("files", {}), manifest.get("bundle", {}).get("key", "")
    key = fingerprint(config, generated, theme)
    if set(files) != set(generated.files):
        return Plan(key, files, bundle, None, "the generated files' manifest does not list them")
    record = None if full else read_record(previous)
    reason = ("asked for (--full, the default; --incremental reuses the previous site)" if full
              else "no previous site, or no record of its build" if record is None
              else "a change that affects every page" if record["fingerprint"] != key
              else "the previous site is not what its record says" if not is_whole(previous, record["outputs"])
              else "")
    if reason:
        return Plan(key, files, bundle, None, reason)
    changed = {p for p, digest in files.items() if record["files"].get(p) != digest} | (set(ALWAYS) & set(files))
    if bundle != record["bundle"]:
        from annals.render_data import BUNDLE
        changed.add(BUNDLE)
    return Plan(key, files, bundle, frozenset(changed), "")


def read_record(site: Path) -> dict | None:
    """The record of the site's build, or None when there is none or it is not whole."""
    try:
        record = json.loads((site / RECORD).read_text(encoding="utf-8"))
        check = record.pop("check")
        data = json.dumps(record, sort_keys=True).encode("utf-8")
        if hashlib.sha256(data).hexdigest() == check and all(k in record for k in ("fingerprint", "files", "bundle",
                                                                                     "outputs")):
            return record
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    log.warning("%s: the record of the last build is damaged: the site is built in full", site / RECORD)
    return None


def is_whole(site: Path, outputs: dict) -> bool:
    """Whether each file the record lists is in the site with its recorded size."""
    for path, size in outputs.items():
        try:
            if os.stat(site / path).st_size != size:
                return False
        except OSError:
            return False
    return True


def write_record(site: Path, plan_: Plan) -> None:
    """Record what the site in `site` was built from, and the size of each of its files."""
    outputs = {}
    for root, dirs, names in os.walk(site):
        rel = Path(root).relative_to(site).as_posix()
        if rel == ".":
            dirs[:] = [d for d in dirs if not d.startswith(NOT_REUSED)]
        for name in names:
            path = name if rel == "." else f"{rel}/{name}"
            if path != RECORD:
                outputs[path] = os.stat(os.path.join(root, name)).st_size
    record = {"fingerprint": plan_.fingerprint, "files": plan_.files, "bundle": plan_.bundle,
              "outputs": dict(sorted(outputs.items()))}
    data = json.dumps(record, sort_keys=True)
    record["check"] = hashlib.sha256(data.encode("utf-8")).hexdigest()
    (site / RECORD).write_text(json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")


def prefill(previous: Path, staging: Path) -> int:
    """Fill the staging folder with hard links to the previous site's files (copies where links cannot be made),
    but for the record and the search index; return how many."""
    count = 0
    for root, dirs, names in os.walk(previous):
        rel = Path(root).relative_to(previous)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if not d.startswith(NOT_REUSED)]
            names = [n for n in names if n != RECORD]
        (staging / rel).mkdir(exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(root, name), staging / rel / name)
            except OSError:
                shutil.copy2(os.path.join(root, name), staging / rel / name)
            count += 1
    return count


def apply(plan_: Plan, files, generated_root: Path) -> None:
    """Tell MkDocs' dirty build which files changed (generated files not in the plan, and every hand-written file
    and theme file, did not), and unlink from the staging folder every output it will write again."""
    root = str(generated_root)
    for file in files:
        changed = file.abs_src_path is not None and file.abs_src_path.startswith(root + os.sep) \
            and file.src_uri in plan_.changed
        file.is_modified = (lambda value: lambda: value)(changed)
        if changed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(file.abs_dest_path)


@contextlib.contextmanager
def unlinking_writes(site_dir: str):
    """While MkDocs builds: every file it writes is unlinked first (it opens the destination for writing, which
    would change a hard-linked published file), and its warning about dirty builds is left out."""
    from mkdocs import utils

    write_file, copy_file = utils.write_file, utils.copy_file

    def unlink_then_write(content: bytes, output_path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(output_path)
        write_file(content, output_path)

    def unlink_then_copy(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(output_path)
        copy_file(source_path, output_path)

    quiet = DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    utils.write_file, utils.copy_file = unlink_then_write, unlink_then_copy
    try:
        yield
    finally:
        utils.write_file, utils.copy_file = write_file, copy_file
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


class DirtyWarning(logging.Filter):
    """Leave out MkDocs' warning that a dirty build may be inaccurate: this one is told exactly what changed
    (and --strict would fail on it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


def dirty_build(config) -> None:
    """MkDocs' build in dirty mode, its writes unlinked first."""
    from mkdocs.commands.build import build

    with unlinking_writes(config.site_dir):
        build(config, dirty=True)


def rendered_pages(plan_: Plan, files: tuple) -> int:
    """How many Markdown pages a build renders (all, for a full build)."""
    pages = [p for p in files if p.endswith(".md")]
    return len(pages) if plan_.is_full else len([p for p in pages if p in plan_.changed])
