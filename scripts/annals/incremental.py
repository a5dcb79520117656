"""Incremental builds, the default: MkDocs renders only the pages whose generated Markdown changed, Pagefind
re-indexes only the parts of the search index whose pages changed, and the rest of the previous site is reused.

Every build leaves a record in its site (RECORD, a hidden file, checked by its own hash): a fingerprint of all
that changes every page (the code and the versions of MkDocs, Material and Markdown, mkdocs.yml, site_url,
docs/, the theme overrides), the hash of each generated file, the corpus download's key, the search index's
parts, and the size of each file of the site. The next build with the same fingerprint fills its staging folder
with hard links to the previous site's files, removes the outputs of generated files no longer made, and runs
MkDocs' dirty build, told exactly which files changed (not by their times); a different fingerprint, or a
previous site that is not what its record says (a file missing or of another size), makes a full build. A file
MkDocs writes again is unlinked first, so a write never reaches the published site through a link.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import shutil
from pathlib import Path

from annals.write import checked_json, current_umask, read_checked

log = logging.getLogger(__name__)

RECORD = ".annals-build.json"
ALWAYS = ("data/index.md",)  # pages that show what other files hold (the Data page: the download's size)


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a build re-makes: `changed`, the generated files to copy or render again, or None for all (full)."""

    fingerprint: str
    files: dict  # generated path: SHA-256, as the generate stage's manifest records them
    bundle: str  # the key of the corpus download
    changed: frozenset | None
    reason: str  # why the build is full, or "" when it is incremental
    removed: frozenset = frozenset()  # generated files of the previous site no longer made
    parts: dict = dataclasses.field(default_factory=dict)  # the previous site's search parts (folder: key)

    @property
    def is_full(self) -> bool:
        return self.changed is None

    @property
    def is_nothing(self) -> bool:
        """Nothing changed since the previous site: it is what this build would make, as it is."""
        return self.changed is not None and self.changed <= set(ALWAYS) and not self.removed


def fingerprint(config, generated, theme: Path, search: bool = True) -> str:
    """A key of all that every page depends on: same key, each unchanged page renders to the same bytes. (With
    whether the site has a search index, and whether the build is strict: a strict build after a lenient one
    renders every page, to find their warnings.)"""
    from importlib.metadata import version

    from annals.generate import code_key

    key = hashlib.sha256(code_key().encode())
    for package in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
        key.update(f"\0{package} {version(package)}".encode())
    key.update(b"\0config\0" + Path(config.config_file_path).read_bytes())
    key.update(f"\0{config.site_url or ''}\0{bool(config.strict)}\0{search}\0".encode())
    for folder in (Path(config.docs_dir), theme):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key.update(f"\0f\0{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes())
    return key.hexdigest()


def plan(config, generated, theme: Path, previous: Path, full: bool = False, search: bool = True) -> Plan:
    """Compare this build's inputs with the record of the previous site `previous`; say what to re-make."""
    files, bundle = generated.hashes, generated.bundle
    key = fingerprint(config, generated, theme, search)
    record = None if full else read_record(previous)
    reason = ("asked for (--full)" if full
              else "no previous site, or no record of its build" if record is None
              else "a change that affects every page" if record["fingerprint"] != key
              else "the previous site is not what its record says" if not is_whole(previous, record["outputs"])
              else "")
    if reason:
        return Plan(key, files, bundle, None, reason)
    changed = {p for p, digest in files.items() if record["files"].get(p) != digest} | (set(ALWAYS) & set(files))
    if bundle != record["bundle"]:
        from annals.render.data import BUNDLE
        changed.add(BUNDLE)
    removed = frozenset(set(record["files"]) - set(files))
    parts = record.get("parts") if isinstance(record.get("parts"), dict) else {}
    return Plan(key, files, bundle, frozenset(changed), "", removed, parts)


def read_record(site: Path) -> dict | None:
    """The record of the site's build, or None when there is none or it is not whole."""
    try:
        record = read_checked((site / RECORD).read_text(encoding="utf-8"))
        if record is not None and all(k in record for k in ("fingerprint", "files", "bundle", "outputs")):
            return record
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    log.warning("%s: the record of the last build is damaged: the site is built in full", site / RECORD)
    return None


def is_whole(site: Path, outputs: dict) -> bool:
    """Whether each file the record lists is in the site with its recorded size."""
    folder = str(site)
    for path, size in outputs.items():
        try:
            if os.stat(os.path.join(folder, path)).st_size != size:
                return False
        except OSError:
            return False
    return True


def write_record(site: Path, plan_: Plan, parts: dict, sizes: dict[str, int]) -> None:
    """Record what the site in `site` was built from, its search index's parts (folder: key), and the size of
    each of its files (`sizes`, by path, as write.publishable finds them)."""
    record = {"fingerprint": plan_.fingerprint, "files": plan_.files, "bundle": plan_.bundle,
              "outputs": dict(sorted((p, n) for p, n in sizes.items() if p != RECORD)),
              "parts": dict(sorted(parts.items()))}
    (site / RECORD).write_text(checked_json(record), encoding="utf-8")
    os.chmod(site / RECORD, 0o644 & ~current_umask())  # as write.publishable leaves the others


def prefill(previous: Path, staging: Path) -> None:
    """Fill the staging folder with hard links to the previous site's files (copies where links cannot be made),
    but for its record."""
    for root, dirs, names in os.walk(previous):
        rel = Path(root).relative_to(previous)
        if rel == Path("."):
            names = [n for n in names if n != RECORD]
        (staging / rel).mkdir(exist_ok=True)
        for name in names:
            link_or_copy(os.path.join(root, name), staging / rel / name)


def sync(previous: Path, staging: Path) -> None:
    """Make the staging folder, which holds an earlier site (write.spare: the site the previous build replaced,
    most of its files links to the previous site's), the tree prefill would make: the same names as the previous
    site's, each a link to its file (a copy where links cannot be made), but for its record. A file that is
    already the previous site's own (the same device and inode) stays; any other is unlinked and linked again;
    what the previous site does not hold is removed. Nothing is ever written into a file: they are the published
    site's."""
    pending = [""]
    while pending:
        rel = pending.pop()
        theirs, mine = entries(previous / rel), entries(staging / rel)
        if not rel:
            theirs.pop(RECORD, None)
        for name, entry in mine.items():
            if name not in theirs or is_folder(entry) != is_folder(theirs[name]):
                remove_entry(entry)
        for name, entry in sorted(theirs.items()):
            path = f"{rel}/{name}" if rel else name
            have = mine.get(name)
            if is_folder(entry):
                if have is None or not is_folder(have):
                    (staging / path).mkdir()
                pending.append(path)
            elif have is None or is_folder(have) or not same_file(have, entry):
                if have is not None and not is_folder(have):
                    os.unlink(have.path)
                link_or_copy(entry.path, staging / path)


def entries(folder: Path) -> dict[str, os.DirEntry]:
    with os.scandir(folder) as found:
        return {entry.name: entry for entry in found}


def is_folder(entry: os.DirEntry) -> bool:
    return entry.is_dir(follow_symlinks=False)


def same_file(a: os.DirEntry, b: os.DirEntry) -> bool:
    first, second = a.stat(follow_symlinks=False), b.stat(follow_symlinks=False)
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def remove_entry(entry: os.DirEntry) -> None:
    if is_folder(entry):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


def link_or_copy(source: str, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def apply(plan_: Plan, files, generated_root: Path, config) -> None:
    """Tell MkDocs' dirty build which files changed (generated files not in the plan, and every hand-written file
    and theme file, did not), and unlink from the staging folder every output it will write again, and those of
    the generated files no longer made."""
    from mkdocs.structure.files import File

    for path in sorted(plan_.removed):
        gone = File(path, None, config.site_dir, config.use_directory_urls)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(gone.abs_dest_path)
        folder = Path(gone.abs_dest_path).parent
        while folder != Path(config.site_dir) and Path(config.site_dir) in folder.parents:
            try:
                folder.rmdir()  # only if empty: a page's folder may hold other files (a document's data files)
            except OSError:
                break
            folder = folder.parent
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


def rendered_pages(plan_: Plan, files: tuple, docs_dir: Path) -> tuple[int, int]:
    """How many Markdown pages a build renders (all, for a full build), and how many it reuses."""
    pages = [p for p in files if p.endswith(".md")]
    written = len([p for p in docs_dir.rglob("*.md") if p.is_file()]) if docs_dir.is_dir() else 0
    rendered = len(pages) + written if plan_.is_full else 0 if plan_.is_nothing else \
        len([p for p in pages if p in plan_.changed])
    return rendered, len(pages) + written - rendered


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a build did: pages rendered and reused, search parts indexed again of all, seconds, and why it was a
    full build ("" when it reused the previous site). Said in one line (str)."""

    rendered: int
    reused: int
    parts_indexed: int | None  # None: built without a search index
    parts: int
    seconds: float
    full: str = ""
    problems: tuple = dataclasses.field(default=(), compare=False)  # the sources' warnings (Problem), to summarise

    def __str__(self) -> str:
        search = "search: not indexed" if self.parts_indexed is None else \
            f"search: {self.parts_indexed:,} part{'s' * (self.parts_indexed != 1)} of {self.parts:,} re-indexed"
        why = f" (full build: {self.full})" if self.full else ""
        return f"{self.rendered:,} pages rendered, {self.reused:,} reused, {search}, {self.seconds:.1f} s{why}"


def outcome(plan_: Plan, files: tuple, docs_dir: Path, search, seconds: float) -> Outcome:
    rendered, reused = rendered_pages(plan_, files, docs_dir)
    return Outcome(rendered, reused, None if search is None else search.indexed,
                   0 if search is None else len(search.parts), round(seconds, 3), plan_.reason)
