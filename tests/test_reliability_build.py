"""Hardened builds (issue 14): a damaged cache is made again, never published; the site is readable by a web
server; unwritable folders are named; the swap never leaves the site missing and is locked; leftovers of
stopped builds are removed; stopping a build stops its child processes.

Most builds here run `python -m annals build` in a process of its own, as a user runs it: what reaches the
user is its standard error, and a kill must not take the test's own process with it.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "president-az-52519.txt"
SEED_ID = "2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit"
SECOND = ROOT / "sources" / "kremlin-39225.txt"  # a short text: the "elsewhere" an edit goes
NO_SITE_URL = "WARNING -  the site's address is not set"


def make_project(folder: Path, *sources: Path) -> Path:
    """A project folder (docs, registry, mkdocs.yml) whose sources/ holds `sources`."""
    for name in ("docs", "registry"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "scripts" / "annals").mkdir(parents=True)  # watched by mkdocs.yml
    (folder / "sources").mkdir()
    for source in sources:
        shutil.copy(source, folder / "sources" / source.name)
    return folder


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}
    return env | {"ANNALS_CACHE": str(cache)}


def build(project: Path, *args: str, cache: Path, **popen) -> subprocess.CompletedProcess:
    """Run `annals build` in the project folder, in a process of its own."""
    return subprocess.run([sys.executable, "-m", "annals", "build", *args], cwd=project, env=environment(cache),
                          capture_output=True, text=True, timeout=600, **popen)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def published(folder: Path) -> dict[str, bytes]:
    """The site's files, search index and build record included."""
    return tree(folder)


def warnings_of(run: subprocess.CompletedProcess) -> list[str]:
    assert run.returncode == 0, run.stderr
    return [line for line in run.stderr.splitlines() if line.startswith("WARNING") and not line.startswith(NO_SITE_URL)]


def generated_root(cache: Path) -> Path:
    [folder] = (cache / "generated").iterdir()  # one sources folder, one generated folder
    return folder / "files"


def truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as f:
        f.truncate(size)


# 1. A damaged cache is made again, with a warning, and never published

def test_damaged_cache_is_made_again_with_warnings_and_publishes_a_clean_builds_site(tmp_path):
    project, cache = make_project(tmp_path / "p", SEED, SECOND), tmp_path / "cache"
    assert warnings_of(build(project, cache=cache)) == []
    root = generated_root(cache)
    page, data, zipped = (root / f"documents/2021/{SEED_ID}.md", root / f"data/documents/{SEED_ID}.json",
                          root / "data/annals-data.zip")
    truncate(page, page.stat().st_size // 2)
    truncate(data, 0)
    truncate(zipped, zipped.stat().st_size // 2)
    assert warnings_of(build(project, cache=cache)) == [
        f"WARNING -  {root}: 2 generated file(s) in the cache differ from what their manifest records (damaged or "
        f"missing), made again: data/documents/{SEED_ID}.json, documents/2021/{SEED_ID}.md"]
    # made again with the same bytes: nothing changed, the site stays; the zip in the cache is checked (or made
    # again) when it is next used: a build in full uses it now
    assert warnings_of(build(project, "--full", cache=cache)) == [
        f"WARNING -  {zipped}: the corpus download in the cache is damaged (not the bytes it had when it was made): "
        "made again"]
    assert warnings_of(build(project, "--site-dir", "clean", cache=tmp_path / "fresh")) == []
    assert published(project / "site") == published(project / "clean")
    assert len(json.loads((project / f"site/data/documents/{SEED_ID}.json").read_bytes())["paragraphs"]) == 21

    # The same data file damaged again, then a text edited elsewhere: the zip is made again, from the data
    # file made again, never from the damaged one.
    truncate(data, 0)
    second = project / "sources" / SECOND.name
    second.write_text(second.read_text(encoding="utf-8") + "\n\nA closing paragraph added later.\n", encoding="utf-8")
    assert warnings_of(build(project, cache=cache)) == [
        f"WARNING -  {root}: 1 generated file(s) in the cache differ from what their manifest records (damaged or "
        f"missing), made again: data/documents/{SEED_ID}.json"]  # the damaged zip is made again for the new text
    with zipfile.ZipFile(project / "site/data/annals-data.zip") as z:
        assert z.testzip() is None
        published_json = (project / f"site/data/documents/{SEED_ID}.json").read_bytes()
        assert z.read(f"annals-data/documents/{SEED_ID}.json") == published_json
    assert warnings_of(build(project, "--site-dir", "clean", cache=tmp_path / "fresh")) == []
    assert published(project / "site") == published(project / "clean")


def test_a_damaged_manifest_is_trusted_in_nothing(tmp_path, monkeypatch, caplog):
    from annals.generate import generate
    from annals.manifest import read_manifest
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "s").mkdir()
    shutil.copy(SEED, tmp_path / "s")
    first = generate(tmp_path / "s", ROOT / "registry")
    manifest = first.folder / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"documents": 1', '"documents": 2'), encoding="utf-8")  # valid JSON, wrong
    again = generate(tmp_path / "s", ROOT / "registry")
    assert not again.reused and again.documents == 1 and again.files == first.files
    assert [r.getMessage() for r in caplog.records if r.name.startswith("annals.")] == [
        f"{manifest}: the manifest in the cache is damaged: every generated file is made again"]
    assert read_manifest(first.folder)["documents"] == 1  # made whole again
    assert generate(tmp_path / "s", ROOT / "registry").reused


def test_unchanged_generated_files_are_known_by_their_stats_and_changed_ones_hashed(tmp_path, monkeypatch):
    # A rebuild with nothing changed must not read every generated file (861 MB at 10,000 texts): a file with
    # the size, time and inode recorded is trusted, any other hashed; one changed in place is caught.
    import annals.generate as gen
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "s").mkdir()
    shutil.copy(SEED, tmp_path / "s")
    first = gen.generate(tmp_path / "s", ROOT / "registry")
    hashed = []
    digest = gen.digest_of
    monkeypatch.setattr(gen, "digest_of", lambda path: hashed.append(path) or digest(path))
    assert gen.generate(tmp_path / "s", ROOT / "registry").reused
    assert len(hashed) == len(first.files)  # just written: within RACY of the stats, so hashed all the same
    monkeypatch.setattr(gen, "RACY", 0)
    hashed.clear()
    assert gen.generate(tmp_path / "s", ROOT / "registry").reused and hashed == []
    page = first.root / f"documents/2021/{SEED_ID}.md"
    with open(page, "r+b") as f:  # in place: the same inode, another size
        f.truncate(page.stat().st_size - 1)
    again = gen.generate(tmp_path / "s", ROOT / "registry")
    assert not again.reused and hashed == [page] and again.files == first.files
    assert page.read_bytes().endswith(b"\n")  # made again whole
    # the sources too are known by their stats, and a text changed in place, to the same size, is read again
    source = tmp_path / "s" / SEED.name
    monkeypatch.setattr(gen, "file_digest", lambda path, digest=gen.file_digest: hashed.append(path) or digest(path))
    hashed.clear()
    assert gen.generate(tmp_path / "s", ROOT / "registry").reused and hashed == []
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Azerbaijan", "Azerbaijan".upper(), 1), encoding="utf-8")
    edited = gen.generate(tmp_path / "s", ROOT / "registry")
    assert not edited.reused and hashed == [source]
    # the stats recorded are the files' own: taken again for those written, kept for those found as recorded
    from annals.manifest import read_manifest
    stats = read_manifest(edited.folder)["stats"]
    assert sorted(stats) == sorted(edited.files)
    for path, recorded in stats.items():
        st = os.stat(edited.root / path)
        assert recorded == [st.st_size, st.st_mtime_ns, st.st_ino], path
    hashed.clear()
    assert gen.generate(tmp_path / "s", ROOT / "registry").reused and hashed == []


def test_a_data_file_changed_under_the_build_is_never_zipped(tmp_path, monkeypatch):
    from annals.bundle import update_bundle
    from annals.errors import AnnalsError
    from annals.generate import generate
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "s").mkdir()
    shutil.copy(SEED, tmp_path / "s")
    generated = generate(tmp_path / "s", ROOT / "registry")
    data = generated.root / f"data/documents/{SEED_ID}.json"
    truncate(data, 10)  # after the generate stage checked it, before the zip is made
    with pytest.raises(AnnalsError) as caught:
        update_bundle(generated.folder)
    assert str(caught.value) == (f"{data}: changed during the build (not the bytes generated): the corpus download "
                                 "is not made from it\n  build again")
    assert not (generated.root / "data/annals-data.zip").exists()
    assert not list((generated.root / "data").glob(".annals-*"))  # nor a half-made one


def test_a_damaged_cached_object_is_a_miss_with_a_warning(tmp_path, caplog):
    import pickle

    from annals import cache
    path = tmp_path / "x.pickle"
    cache.store(path, {"a": "b" * 100})
    assert cache.load(path) == {"a": "b" * 100}
    data = path.read_bytes()
    path.write_bytes(data[:-30] + b"c" + data[-29:])  # one byte of a string changed: it would unpickle
    assert cache.load(path) is None
    truncate(path, 20)
    assert cache.load(path) is None
    damaged = f"{path}: damaged in the cache (not the bytes stored): made again"
    assert [r.getMessage() for r in caplog.records] == [damaged, damaged]
    path.write_bytes(pickle.dumps({"a": "b"}))  # an older Annals' file: a miss, nothing wrong
    assert cache.load(path) is None and len(caplog.records) == 2


# 2. The site is readable by a web server running as another user

@pytest.mark.parametrize(("umask", "folders", "files"), [pytest.param(0o022, 0o755, 0o644, id="umask-022"),
                                                          pytest.param(0o002, 0o755, 0o644, id="umask-002"),
                                                          pytest.param(0o027, 0o750, 0o640, id="umask-027")])
def test_site_modes_let_others_read_as_far_as_the_umask_allows(tmp_path, umask, folders, files):
    project = make_project(tmp_path / "p", SEED)
    assert build(project, cache=tmp_path / "cache", umask=umask).returncode == 0
    modes = {p.relative_to(project).as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in [project / "site", *(project / "site").rglob("*")]}
    assert len(modes) > 100
    expected = {path: folders if (project / path).is_dir() else files for path in modes}
    assert modes == expected
    if umask == 0o022:  # what a web server running as another user needs
        assert all(mode & 0o004 and (mode & 0o001 or not (project / path).is_dir()) for path, mode in modes.items())


# 3. Folders that cannot be written are named

def without_root_override() -> dict:
    """Subprocess options under which a read-only folder is read-only: root may write anywhere (the capability
    CAP_DAC_OVERRIDE), so a build run by root runs without it; anyone else needs nothing."""
    if os.geteuid() != 0:
        return {}
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        if libc.prctl(24, 1) != 0:  # PR_CAPBSET_DROP, CAP_DAC_OVERRIDE: gone from the program it runs
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")

    if subprocess.run(["true"], preexec_fn=drop).returncode != 0:
        pytest.skip("running as root, which this system does not let drop its power to write anywhere")
    return {"preexec_fn": drop}


def test_an_unwritable_site_folder_is_named(tmp_path):
    project = make_project(tmp_path / "p", SEED)
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o555)
    run = build(project, "--site-dir", str(tmp_path / "ro" / "site"), cache=tmp_path / "cache",
                **without_root_override())
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (f"{tmp_path / 'ro'}: cannot write the site here: Permission denied\n"
                          "  choose another --site-dir, or make this folder writable\n"
                          "1 error(s); nothing was written\n")


def test_an_unwritable_cache_is_named(tmp_path):
    project = make_project(tmp_path / "p", SEED)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache").chmod(0o555)
    run = build(project, cache=tmp_path / "cache", **without_root_override())
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (f"{tmp_path / 'cache' / 'generated'}: cannot write the cache: Permission denied\n"
                          "  the cache is $ANNALS_CACHE (else ~/.cache/annals): make it writable, or set ANNALS_CACHE "
                          "to a folder that is\n"
                          "1 error(s); nothing was written\n")
    assert not (project / "site").exists()


# 4. The swap: never without a site, locked, leftovers removed, children stopped with the build

OLD = {"index.html": b"old home", "a/b.html": b"old b", "a/c/d.txt": b"old d"}
NEW = {"index.html": b"new home", "a/b.html": b"new b", "e.txt": b"new e"}
STOP_AT = r"""
import os, sys
from pathlib import Path
from annals import write

built, target, at, renames = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "renames"
calls = []

def stop_at(func):
    def step(*args, **kwargs):
        calls.append(func.__name__)
        if len(calls) == at:
            os._exit(9)  # as a kill would: no cleanup, no finally
        return func(*args, **kwargs)
    return step

write.exchange = (lambda a, b: False) if renames else stop_at(write.exchange)
os.rename, os.unlink, os.rmdir = stop_at(os.rename), stop_at(os.unlink), stop_at(os.rmdir)
write.swap_in(built, target)
print(len(calls))
"""


def fill(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("way", ["exchange", "renames"])
def test_a_swap_stopped_at_any_step_leaves_a_site_that_the_next_build_completes(tmp_path, way):
    """Stopped before each rename, exchange and removal of the swap in turn (and not at all): the site is there
    whole, old or new (between the two renames of the fallback, whole beside it, where the next build puts it
    back); what the next build's start does (repair_swap) leaves the site whole and nothing else."""
    from annals.write import aside, exchange, leftovers, repair_swap
    if way == "exchange" and not exchange(fill(tmp_path / "x", {}), fill(tmp_path / "y", {})):
        pytest.skip("this system or file system cannot exchange two names at once (renameat2)")
    def swap(at: int) -> tuple[Path, subprocess.CompletedProcess]:
        work = tmp_path / f"{way}-{at}"
        target, built = fill(work / "site", OLD), fill(work / ".site-0123abcd", NEW)
        return target, subprocess.run([sys.executable, "-c", STOP_AT, str(built), str(target), str(at), way],
                                      capture_output=True, text=True)

    target, run = swap(0)  # not stopped: how many steps it takes
    assert run.returncode == 0 and tree(target) == NEW, run.stderr
    steps = int(run.stdout)
    assert steps >= 5  # the renames (or exchange), and the removal of the old site's files and folders
    for at in range(1, steps + 1):
        target, run = swap(at)
        assert run.returncode == 9, run.stderr
        if target.exists():
            assert tree(target) in (OLD, NEW)
        else:  # only ever between the fallback's two renames
            assert way == "renames" and tree(aside(target)) == OLD
        repair_swap(target)
        assert tree(target) in (OLD, NEW) and leftovers(target) == []
        assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_the_next_build_puts_back_a_site_left_aside_and_removes_leftovers(tmp_path):
    project, cache = make_project(tmp_path / "p", SEED), tmp_path / "cache"
    assert build(project, cache=cache).returncode == 0
    clean = tree(project / "site")
    os.rename(project / "site", project / ".site.old")  # a build stopped between the fallback's renames
    fill(project / ".site-0123abcd", NEW)  # a build stopped while MkDocs wrote
    fill(project / ".site-89abcdef", OLD)  # one stopped after an exchange
    kept = [fill(project / name, NEW) for name in (".site-keep", ".sites-0123abcd", ".site-0123abcd0")]
    run = build(project, cache=cache)
    assert warnings_of(run) == [f"WARNING -  {project / 'site'}: a build was stopped while it put its site in place: "
                                "the site before it is back"]
    assert tree(project / "site") == clean
    assert sorted(p.name for p in project.glob(".site*")) == sorted([".site.lock", *(p.name for p in kept)])


def descendants(pid: int) -> list[int]:
    """The processes started by process `pid`, and by them, still running (Linux: from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] not in "ZX":  # a zombie has ended
                children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def default_sigint() -> None:
    """In the build's process, Ctrl-C as a terminal gives it: a run in the background (`cmd &`, as some CI
    runners start the tests) inherits SIGINT ignored, and Python then keeps ignoring it, as it should."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(predicate, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def corpus_cache(tmp_path_factory) -> Path:
    """A cache for the corpus that the builds stopped in MkDocs share: their generate stage has filled it."""
    return tmp_path_factory.mktemp("corpus-cache")


@pytest.mark.parametrize(("signum", "stage"), [pytest.param(signal.SIGTERM, "generate", id="SIGTERM-generate"),
                                               pytest.param(signal.SIGTERM, "mkdocs", id="SIGTERM-mkdocs"),
                                               pytest.param(signal.SIGINT, "mkdocs", id="SIGINT-mkdocs")])
def test_a_stopped_build_stops_its_children_and_leaves_the_site_as_it_was(tmp_path, corpus, corpus_cache, signum,
                                                                         stage):
    """The corpus is built (the generate stage's workers, then MkDocs' process), and the build's own process
    alone is sent the signal, as a service manager or `kill` sends it."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to follow the build's processes")
    project = make_project(tmp_path / "p", SEED)
    assert build(project, cache=tmp_path / "seed-cache").returncode == 0
    before = tree(project / "site")
    (project / "sources" / SEED.name).unlink()
    command = [sys.executable, "-m", "annals", "build", "--sources", str(corpus / "sources")]
    with open(tmp_path / "err", "w") as err:
        cache = tmp_path / "cache" if stage == "generate" else corpus_cache  # cold: its workers are seen
        proc = subprocess.Popen(command, cwd=project, env=environment(cache) | {"PYTHONFAULTHANDLER": "1"},
                                stdout=subprocess.DEVNULL, stderr=err, preexec_fn=default_sigint)
    try:
        staging = lambda: [p for p in project.glob(".site-*") if p.is_dir()]  # noqa: E731
        if stage == "generate":  # the stage's process and its workers
            wait_for(lambda: len(descendants(proc.pid)) >= 3 or staging() or proc.poll() is not None)
            assert not staging() and proc.poll() is None, "the generate stage ended before it was seen"
        else:
            wait_for(lambda: (staging() and descendants(proc.pid)) or proc.poll() is not None)
            assert proc.poll() is None, "MkDocs ended before it was seen"
        running = descendants(proc.pid)
        proc.send_signal(signum)
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:  # where it waits: faulthandler prints every thread's stack on SIGABRT
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=10)
            pytest.fail("the build did not stop within 60 s:\n" + (tmp_path / "err").read_text(errors="replace"))
        assert code == (143 if signum == signal.SIGTERM else -signal.SIGINT)
    finally:
        proc.kill()
    wait_for(lambda: not any(is_running(pid) for pid in running), timeout=10)
    assert running and not staging()
    assert tree(project / "site") == before


def test_two_builds_at_once_take_turns(tmp_path):
    """Two builds of one site started while a third holds its lock: both wait, then build in turn."""
    from annals.write import locked
    project, cache = make_project(tmp_path / "p", SEED), tmp_path / "cache"
    waiting = f"WARNING -  {project / 'site'}: another build of this site is running; waiting for it to end"
    logs = [tmp_path / "one.err", tmp_path / "two.err"]
    with locked(project / ".site.lock"):
        procs = []
        for log in logs:
            with open(log, "w") as err:
                procs.append(subprocess.Popen([sys.executable, "-m", "annals", "build"], cwd=project,
                                              env=environment(cache), stdout=subprocess.DEVNULL, stderr=err))
        wait_for(lambda: all(waiting in log.read_text() for log in logs) or any(p.poll() is not None for p in procs))
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    for log in logs:
        assert waiting in log.read_text().splitlines() and "Traceback" not in log.read_text()
    assert build(project, "--site-dir", "clean", cache=tmp_path / "fresh").returncode == 0
    assert published(project / "site") == published(project / "clean")
    assert not [p for p in project.glob(".site-*")]


def test_checked_json_knows_a_whole_file_from_a_cut_or_altered_one_and_reads_the_older_form():
    from annals.write import checked_json, read_checked
    value = {"files": {"a.md": "0" * 64, "é.md": "1" * 64}, "key": "k", "n": [1, 2]}
    text = checked_json(value)
    assert read_checked(text) == value and json.loads(text)["check"]
    for cut in (len(text) - 1, len(text) - 3, len(text) // 2):
        with pytest.raises(ValueError):  # not JSON any more: the reader's caller says the file is damaged
            read_checked(text[:cut])
    assert read_checked(text.replace('"key": "k"', '"key": "j"')) is None
    assert read_checked(text.replace('"n": [1, 2]', '"n": [1, 3]')) is None
    import hashlib
    older = dict(value, check=hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest())
    assert read_checked(json.dumps(older, sort_keys=True)) == value  # "check" among the sorted keys, \u-escaped
    assert read_checked(json.dumps(dict(older, key="j"), sort_keys=True)) is None


STOPPED_WHILE_STARTING = """if True:
    import os, signal, sys, time
    from annals import site
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a run in the background inherits it ignored
    setpgid, parent = os.setpgid, os.getpid()
    def interrupted(pid, group):  # the parent's own call, right after the fork: a Ctrl-C lands there
        if os.getpid() == parent:
            print(pid, flush=True)
            os.kill(parent, signal.SIGINT)
        setpgid(pid, group)
    os.setpgid = interrupted
    try:
        if sys.argv[1] == "apart":
            site.apart(time.sleep, 30)
        else:
            with site.beside(time.sleep, 30):
                pass
    except KeyboardInterrupt:
        print("stopped", flush=True)
"""

STOPPED_WHILE_WAITING = """if True:
    import signal, time
    from annals import site
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)  # lands while the block's end waits for the child
    try:
        with site.beside(time.sleep, 30):
            pass
    except KeyboardInterrupt:
        print("stopped", flush=True)
"""


@pytest.mark.unit
@pytest.mark.parametrize("how", ["apart", "beside"])
def test_a_signal_between_a_fork_and_its_guard_still_stops_the_child(how):
    """SIGINT lands in the parent just after it forked a stage's process (site.running holds it until the
    process is guarded): the process is stopped at once, not left running 30 s, with the interpreter waiting
    for it at exit. In a process of its own: a test run may leave threads running, and nothing is forked then."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to follow the build's processes")
    clock = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STOPPED_WHILE_STARTING, how], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split()[1:] == ["stopped"] and done.returncode == 0, (done.stdout, done.stderr)
    child = int(done.stdout.split()[0])
    assert time.monotonic() - clock < 15 and not is_running(child)


@pytest.mark.unit
def test_a_signal_while_the_build_waits_for_the_download_stops_its_maker():
    """SIGINT (here, an alarm's KeyboardInterrupt) lands while the block's end waits for the process beside it:
    that process is stopped too, not waited for."""
    clock = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STOPPED_WHILE_WAITING], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "stopped" and done.returncode == 0, done.stderr
    assert time.monotonic() - clock < 15


def test_work_started_ahead_gives_its_result_or_its_error_and_is_stopped_if_the_caller_fails():
    """parallel.started: the archive's data files are made in a process of their own while the pages are planned;
    its result comes back, its error is raised in the caller, and a caller that fails first stops it."""
    from annals.parallel import finishing, started

    result = started(pow, 2, 10)
    with finishing(result):
        assert result() == 1024
    with pytest.raises((RuntimeError, ValueError), match="invalid literal"):  # said from its process, or raised
        started(int, "x")()
    slow = started(time.sleep, 60)
    clock = time.monotonic()
    with pytest.raises(KeyError), finishing(slow):
        raise KeyError("the caller failed")
    child = getattr(slow, "child", None)  # none where forking is not safe: the work would run when asked for
    assert child is None or (not child.is_alive() and time.monotonic() - clock < 30)
