"""Incremental builds stay atomic and safe (issue 17): killed (SIGKILL) while MkDocs renders or while the new
site is swapped in, the published site is whole (the previous one, or while swapping the previous or the new),
its files never written through the staging folder's links; a truncated cache or site file is never trusted;
and the next build is the same as a cold one."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import THREE_TEXTS, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

PARAGRAPH = "The venue and entry procedures for accredited journalists will be announced later."
EDITED = "documents/2012/2012-12-10-accreditation-is-open-for-journalists-to-cover-the-meeting-of-the/index.html"

# The build, killed at a chosen moment: after MkDocs has written its first page (in MkDocs' own process, the
# build's process killed first, as `kill -9` of the build would, then MkDocs' process itself), or at the
# n-th step (rename, exchange, unlink, rmdir) of putting the new site in place.
KILLED = r"""
import os, signal, sys
how, at = sys.argv[1], int(sys.argv[2])
if how == "render":
    import mkdocs.commands.build as mkdocs_build
    build_page = mkdocs_build._build_page
    def killing(page, config, *args, **kwargs):
        build_page(page, config, *args, **kwargs)
        if page.file.src_uri.startswith("documents/"):
            os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
    mkdocs_build._build_page = killing
elif how == "sync":  # killed at the n-th link or unlink of the spare site made ready (site.ready_spare)
    import annals.incremental
    sync, linked, unlinked, steps = annals.incremental.sync, os.link, os.unlink, []
    def step(func):
        def stepped(*args, **kwargs):
            steps.append(func.__name__)
            if len(steps) == at:
                os.kill(os.getpid(), signal.SIGKILL)
            return func(*args, **kwargs)
        return stepped
    def syncing(*args):
        os.link, os.unlink = step(linked), step(unlinked)
        try:
            sync(*args)
        finally:
            os.link, os.unlink = linked, unlinked
        print("sync steps:", len(steps))
    annals.incremental.sync = syncing
else:
    import annals.site, annals.write
    steps, swapping = [], []
    def step(func):
        def stepped(*args, **kwargs):
            if swapping:
                steps.append(func.__name__)
                if len(steps) == at:
                    os.kill(os.getpid(), signal.SIGKILL)
            return func(*args, **kwargs)
        return stepped
    annals.write.exchange = step(annals.write.exchange)
    os.rename, os.unlink, os.rmdir = step(os.rename), step(os.unlink), step(os.rmdir)
    swap_in = annals.site.swap_in
    def swap(*args):
        swapping.append(True)
        swap_in(*args)
        print("swap steps:", len(steps))
    annals.site.swap_in = swap
from annals.cli import main

sys.exit(main(["build", *sys.argv[3:]]))
"""


@pytest.fixture
def project(tmp_path) -> Path:
    return project_copy(tmp_path / "p", *THREE_TEXTS)


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}
    return env | {"ANNALS_CACHE": str(cache)}


def build(project: Path, *args: str, cache: str = "cache") -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "annals", "build", *args], cwd=project,
                         env=environment(project.parent / cache), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return run


def killed(project: Path, how: str, at: int = 0, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLED, how, str(at), *args], cwd=project,
                          env=environment(project.parent / "cache"), capture_output=True, text=True, timeout=600)


def tree(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def edit(project: Path, new: str, old: str = "later.") -> None:
    source = project / "sources" / "kremlin-17100.txt"
    text = source.read_text(encoding="utf-8")
    assert PARAGRAPH.replace("later.", old) in text
    source.write_text(text.replace(PARAGRAPH.replace("later.", old), PARAGRAPH.replace("later.", new)),
                      encoding="utf-8")


def same_as_cold(project: Path) -> None:
    """The site equals a cold build (a site and a cache of its own) of the same sources."""
    build(project, "--full", "--site-dir", "cold", cache="cold-cache")
    assert tree(project / "site") == tree(project / "cold")
    shutil.rmtree(project / "cold")
    shutil.rmtree(project.parent / "cold-cache")


def test_killed_while_rendering_the_published_site_is_the_previous_one_and_the_next_build_is_right(project):
    build(project)
    before = tree(project / "site")
    edit(project, "later, by telephone.")
    run = killed(project, "render")
    assert run.returncode == -9, run.stderr
    assert [p.name for p in project.glob(".site-*")], "the build was not killed while it rendered"
    assert tree(project / "site") == before  # whole, and never written through the staging folder's links
    said = build(project).stdout
    assert "1 part of" in said and "full build" not in said, said
    assert "by telephone" in (project / "site" / EDITED).read_text(encoding="utf-8")
    assert not list(project.glob(".site-*"))  # what the killed build left is gone
    same_as_cold(project)


@pytest.mark.parametrize("full, at", [(False, 1), (False, 2), (True, 1), (True, 2), (True, 3), (True, 40)])
def test_killed_while_swapping_the_site_is_whole_and_the_next_build_is_right(project, full, at):
    """Killed at the exchange of the two folders, or after it: an incremental build then keeps the old site as
    the next one's spare (one rename), a full build removes it (the removal of the old site's links leaves the new
    site's files as they are). The site is the previous one or the new one, whole."""
    build(project)
    before = tree(project / "site")
    edit(project, "later, by telephone.")
    how = ("--full",) if full else ()
    steps = killed(project, "swap", 10**6, *how)  # not killed: how many steps a swap takes, and the new site
    assert steps.returncode == 0, steps.stderr
    count = int(steps.stdout.split("swap steps: ")[1].split()[0])
    assert count > 40 if full else count == 2  # exchange, then the removal (or the rename to the spare)
    after = tree(project / "site")
    edit(project, "later, by letter.", "later, by telephone.")  # a second change, built and killed while swapped in
    assert killed(project, "swap", at, *how).returncode == -9
    site = project / "site"
    left = tree(site) if site.exists() else tree(project / ".site.old")  # put back by the next build
    said = build(project).stdout
    assert "by letter" in (site / EDITED).read_text(encoding="utf-8"), said
    assert left in (after, tree(site))  # the previous site or the new one, whole
    assert not list(project.glob(".site-*")) and not (project / ".site.old").exists()
    same_as_cold(project)
    assert before != after


@pytest.mark.parametrize("at", [1, 2, 5])
def test_killed_while_starting_from_the_spare_site_the_next_build_is_right(project, at):
    """The site the last build replaced (the spare), made ready in place for the next staging folder while the
    archive is generated (site.ready_spare, incremental.sync), killed at its n-th link or unlink: the published
    site is the previous one, whole, and the next build, which starts from the spare as it was left, the same as a
    cold one."""
    build(project)
    edit(project, "later, by telephone.")
    assert "full build" not in build(project).stdout
    assert (project / ".site.spare").is_dir(), "an incremental build keeps the site it replaced"
    before = tree(project / "site")
    edit(project, "later, by letter.", "later, by telephone.")
    steps = killed(project, "sync", 10**6)  # not killed: how many links and unlinks it takes
    assert steps.returncode == 0, steps.stderr
    assert int(steps.stdout.split("sync steps: ")[1].split()[0]) >= 5
    after = tree(project / "site")
    assert "by letter" in (project / "site" / EDITED).read_text(encoding="utf-8")
    edit(project, "later, by fax.", "later, by letter.")
    assert killed(project, "sync", at).returncode == -9
    assert tree(project / "site") == after  # whole: the links removed were the staging folder's own
    assert (project / ".site.spare").is_dir(), "the build was not killed while it made its spare site ready"
    assert not list(project.glob(".site-*"))  # killed before any staging folder was made
    said = build(project).stdout
    assert "by fax" in (project / "site" / EDITED).read_text(encoding="utf-8") and "full build" not in said, said
    assert not list(project.glob(".site-*"))
    same_as_cold(project)
    assert before != after


@pytest.mark.parametrize("damaged", ["generated page", "site page", "search part"])
def test_a_truncated_cache_or_site_file_is_not_trusted(project, damaged):
    build(project)
    if damaged == "generated page":
        [folder] = (project.parent / "cache" / "generated").iterdir()
        victim = folder / "files" / EDITED.replace("/index.html", ".md")
        if not victim.exists():
            victim = next((folder / "files" / "documents").rglob("*.md"))
    elif damaged == "site page":
        victim = project / "site" / EDITED
    else:
        victim = next((project / "site" / "pagefind").glob("*.pf_meta"))
    with open(victim, "r+b") as f:
        f.truncate(victim.stat().st_size // 2)
    edit(project, "later, by telephone.")
    said = build(project).stdout
    if damaged != "generated page":  # the previous site is not what its record says: built in full
        assert "full build: the previous site is not what its record says" in said, said
    same_as_cold(project)
