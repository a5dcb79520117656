"""Progress on long work: each stage said as it runs and when it ends, bars only on a terminal, warnings
summarised by kind (annals.progress, errors.summarise, the command line's --quiet and --verbose)."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time

import pytest

from annals import progress
from annals.bench.run import run_on_terminal
from annals.cli import main
from annals.errors import Problem, kind_of, summarise
from conftest import ROOT, project_copy

STAGES = ("checking for changes", "reading and parsing", "resolving", "cross-links", "planning the pages",
          "pages and data files", "MkDocs", "search index")
STAGE_LINE = re.compile(r"^(?P<name>[A-Za-z -]+): (?:(?P<count>[\d,]+) \w+, )?(?P<seconds>\d+\.\d) s$")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # any control character but the newline


@pytest.fixture(autouse=True)
def progress_off():
    yield
    progress.configure(progress.OFF)


def test_kind_of_a_problem_leaves_out_its_particulars():
    def kind(message: str) -> str:
        return kind_of(Problem("a.txt", 1, message, severity="warning"))

    assert kind("ambiguous name 'Mr Beck' (Jozef Beck (person) or someone else of that name): left unlinked") \
        == "ambiguous name"
    assert kind("invisible zero-width space removed (column 256, 257)") == "invisible zero-width space removed"
    assert kind("paragraph joined to the one before (line 41): it was broken") == "paragraph joined to the one before"
    assert kind("the site's address is not set: the feed") == "the site's address is not set"
    assert kind("'Mr X' unknown") == "'Mr X' unknown"  # nothing before the particulars: the message itself


def test_warnings_are_summarised_by_kind_with_counts_and_first_places():
    problems = [Problem(f"sources/{i:04}.txt", 60 + i, f"ambiguous name 'Mr N{i}' (two people): left unlinked",
                        "add it to a registry file", "warning") for i in range(2419)]
    problems.insert(5, Problem("sources/x.txt", 3, "no date found"))  # an error: said in full, first
    problems.append(Problem("sources/y.txt", 9, "paragraph joined to the one before (line 8): broken", "",
                            "warning"))
    lines = summarise(problems)
    assert lines == [
        "sources/x.txt:3: no date found",
        "warning: ambiguous name (x2,419), first: sources/0000.txt:60 'Mr N0', sources/0001.txt:61 'Mr N1', "
        "sources/0002.txt:62 'Mr N2', ...\n  add it to a registry file",
        "sources/y.txt:9: warning: paragraph joined to the one before (line 8): broken"]


def test_lines_say_each_stage_with_its_count_and_time_and_no_control_character():
    out = io.StringIO()
    progress.configure(progress.LINES, out)
    with progress.stage("reading and parsing", 3, "texts"):
        for _ in range(3):
            progress.advance()
    with progress.stage("search index", 1, "parts"), progress.stage("inner"):
        pass
    with progress.stage("resolving"):
        pass
    lines = out.getvalue().splitlines()
    assert [STAGE_LINE.match(line)["name"] for line in lines] == ["reading and parsing", "inner", "search index",
                                                                  "resolving"]
    assert lines[0].startswith("reading and parsing: 3 texts, ") and lines[2].startswith("search index: 1 part, ")
    assert not CONTROL.search(out.getvalue())


def test_a_stage_that_fails_says_nothing_of_its_end():
    out = io.StringIO()
    progress.configure(progress.BARS, out)
    with pytest.raises(ZeroDivisionError), progress.stage("pages", 10, "pages"):
        progress.advance()
        1 / 0
    assert not re.search(r"^pages: ", out.getvalue(), re.M)
    assert progress._current is None


def test_bars_start_no_thread_and_count_work_done_in_forked_processes():
    """The bar counts what forked workers do (fork_map's results, MkDocs' shards), and no thread is started:
    a build whose main process runs another thread gives up its worker processes (annals.parallel)."""
    from annals.parallel import fork_map

    out = io.StringIO()
    progress.configure(progress.BARS, out)
    before = threading.active_count()
    with progress.stage("pages", 200, "pages") as stage:
        assert threading.active_count() == before
        fork_map(time.sleep, [0.001] * 200)
        assert stage.done.value == 200
    text = out.getvalue()
    assert "\r" in text and "200/200" in text  # drawn in place, to the end
    assert text.splitlines()[-1].startswith("pages: 200 pages, ")


def test_log_messages_go_above_the_bar_not_into_its_line(capsys):
    import logging

    progress.configure(progress.BARS)  # on standard error, as the console's log handler
    handler = logging.StreamHandler(sys.stderr)
    logging.root.addHandler(handler)
    try:
        with progress.logging_beside_bars(), progress.stage("MkDocs", 4, "pages"):
            progress.advance()
            logging.getLogger("mkdocs.test").warning("a warning of MkDocs")
            progress.advance(3)
    finally:
        logging.root.removeHandler(handler)
    err = capsys.readouterr().err
    shown = [line.rsplit("\r", 1)[-1] for line in err.split("\n")]  # each line as the terminal shows it
    assert "a warning of MkDocs" in shown
    assert shown[-2].startswith("MkDocs: 4 pages, ")


def test_quiet_and_off_say_nothing():
    for mode in (progress.QUIET, progress.OFF):
        out = io.StringIO()
        progress.configure(mode, out)
        with progress.stage("reading and parsing", 3, "texts"):
            progress.advance(3)
        assert out.getvalue() == ""


def test_check_says_its_stages_and_its_warnings_once_by_kind(tmp_path, capsys):
    src = tmp_path / "s"
    src.mkdir()
    head = "Title {}\n\n20 July 2021\n\n"
    for i in range(3):  # three zero-width spaces, in three texts: one kind of warning
        (src / f"{i}.txt").write_text(head.format(i) + "A sentence\u200b of narration.\n", encoding="utf-8")
    (tmp_path / "r").mkdir()
    assert main(["check", "--sources", str(src), "--registry", str(tmp_path / "r")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [STAGE_LINE.match(line)["name"] for line in err[:3]] == ["reading and parsing", "resolving", "cross-links"]
    [summary] = [line for line in err if "zero-width" in line]
    assert summary.startswith("warning: invisible zero-width space removed (x3), first: ")
    assert err[-1] == "3 problem(s) in all: annals check --verbose lists every one"
    assert main(["check", "--verbose", "--sources", str(src), "--registry", str(tmp_path / "r")]) == 0
    assert sum("zero-width" in line for line in capsys.readouterr().err.splitlines()) == 3


# The command itself, on a terminal and piped

@pytest.fixture(scope="module")
def demo_project(tmp_path_factory):
    project = project_copy(tmp_path_factory.mktemp("progress"))
    for source in sorted((ROOT / "sources").glob("*.txt")):
        (project / "sources" / source.name).write_bytes(source.read_bytes())
    return project, {k: v for k, v in os.environ.items()
                     if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}


@pytest.mark.site
def test_a_build_on_a_terminal_shows_bars_then_each_stage_with_its_time(demo_project, tmp_path):
    project, env = demo_project
    env = env | {"ANNALS_CACHE": str(tmp_path / "cache")}  # an empty cache: every stage runs
    out = run_on_terminal([sys.executable, "-m", "annals", "build", "--full"], project, env)
    assert re.search(r"\rpages and data files: +\d+%\|.*\| \d+/\d+ \[", out)  # a bar, with done/total and times
    assert re.search(r"\rMkDocs: +\d+%\|.*\| \d+/\d+ \[", out)
    said = [line.rsplit("\r", 1)[-1] for line in out.split("\r\n")]  # each line as it finally shows
    stages = [m["name"] for m in map(STAGE_LINE.match, said) if m]
    assert stages == list(STAGES)
    last_stage = max(i for i, line in enumerate(said) if STAGE_LINE.match(line))
    assert said[last_stage].startswith("search index: 1 part, ")
    assert last_stage < next(i for i, line in enumerate(said) if line.startswith("built the site into "))


@pytest.mark.site
def test_a_piped_build_says_one_line_per_stage_and_summarises_warnings(demo_project, tmp_path):
    project, env = demo_project
    env = env | {"ANNALS_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "annals", "build", "--full"], cwd=project, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert not CONTROL.search(run.stdout + run.stderr)
    err = run.stderr.splitlines()
    stages = [m["name"] for m in map(STAGE_LINE.match, err) if m]
    assert stages == list(STAGES)
    count = len(list((project / "sources").glob("*.txt")))
    assert f"reading and parsing: {count:,} texts, " in run.stderr
    kinds = [line for line in err if line.startswith("warning: ")]
    assert any(re.match(r"warning: ambiguous name \(x\d+\), first: sources/\S+:\d+ '", line) for line in kinds)
    assert len({line.split(" (x")[0] for line in kinds}) == len(kinds)  # each kind once
    assert re.search(r"^\d+ problem\(s\) in all: the editors' report \(.*\) lists every one$", run.stderr, re.M)
    assert run.stdout.splitlines()[-1].startswith("built the site into ")
    again = subprocess.run([sys.executable, "-m", "annals", "build"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=600)
    assert [m["name"] for m in map(STAGE_LINE.match, again.stderr.splitlines()) if m] == ["checking for changes"]


@pytest.mark.site
def test_a_quiet_build_prints_only_its_final_line(tmp_path):
    project = project_copy(tmp_path / "p", "kremlin-39225.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}
    run = subprocess.run([sys.executable, "-m", "annals", "build", "--quiet", "--site-url", "https://example.org/"],
                         cwd=project, env=env | {"ANNALS_CACHE": str(tmp_path / "cache")}, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    [line] = run.stdout.splitlines()
    assert re.fullmatch(r"built the site into .*site: [\d,]+ pages rendered, 0 reused, search: 1 part of 1 "
                        r"re-indexed, [\d.]+ s \(full build: .*\)", line)


def test_the_items_a_build_counted_are_read_from_its_stage_lines():
    from annals.bench.run import items_counted

    said = ("checking for changes: 0.0 s\nreading and parsing: 10,000 texts, 4.1 s\nresolving: 1.2 s\n"
            "cross-links: 10,000 texts, 20.3 s\npages and data files: 10,665 pages, 30.0 s\n"
            "MkDocs: 10,664 pages, 70.1 s\nsearch index: 52 parts, 30.2 s\nwarning: x (x3), first: a.txt:3\n")
    assert items_counted(said) == 10_000 + 4 * 10_000 + 10_665 + 10_664 + 52


@pytest.mark.site
def test_the_progress_benchmark_gives_the_cost_each_way_and_at_most(tmp_path):
    from annals.bench.run import bench_progress

    result = bench_progress(ROOT / "mkdocs.yml", ROOT / "sources", ROOT / "registry", 20, runs=1, work=tmp_path)
    assert len(result["terminal_s"]) == len(result["piped_s"]) == len(result["terminal_cost_percent_by_pair"]) == 1
    assert result["items_counted"] > 4 * 20  # the texts read, and four passes of cross-links over them, at least
    assert 0 < result["advance_us"] < 1000 and 0 < result["redraw_us"] < 100_000
    assert result["progress_s_at_most"] > 0 and 0 < result["progress_percent_at_most"] < 100
