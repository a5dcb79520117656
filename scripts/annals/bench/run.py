"""Benchmarks, measured in one run so that ratios compare like with like on a noisy machine."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from annals.bench.memory import peak_memory
from annals.search import measure
from annals.site import build_site


def bench_crosslinks(config_file: Path, sources: Path, registry: Path | None, runs: int) -> dict:
    """Build the site with and without cross-links, alternately, `runs` times each; return the timings."""
    times = {"with": [], "without": []}
    with tempfile.TemporaryDirectory(prefix="annals-bench-") as tmp:
        for _ in range(runs):
            for kind in ("without", "with"):
                start = time.perf_counter()
                site = build_site(config_file, sources, registry, Path(tmp) / kind, crosslinks=kind == "with")
                times[kind].append(time.perf_counter() - start)
                pages = sum(1 for _ in site.rglob("index.html"))
                times[f"{kind}_pages"] = pages
                shutil.rmtree(site)
    with_, without = statistics.median(times["with"]), statistics.median(times["without"])
    return {"runs": runs, "median_with_s": round(with_, 3), "median_without_s": round(without, 3),
            "ratio": round(with_ / without, 3), "pages_with": times["with_pages"],
            "pages_without": times["without_pages"], "times_with": [round(t, 3) for t in times["with"]],
            "times_without": [round(t, 3) for t in times["without"]]}


def scale_corpus(sources: Path, out: Path, count: int) -> int:
    """Write `count` documents into `out`, copies of the texts of `sources` with distinct titles and dates."""
    import datetime

    from annals.load import find_sources
    from annals.parse import parse
    from annals.read import read_source

    files, _ = find_sources(sources)
    texts = [(rel, read_source(path, rel).text) for path, rel in files]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rel, text = texts[i % len(texts)]
        round_ = i // len(texts)
        name = out / f"{round_:04d}" / rel
        if round_:
            doc = parse(text, rel)
            shifted = doc.date - datetime.timedelta(days=7 * round_)
            meta = f"---\ntitle: {json.dumps(f'{doc.title} ({round_})')}\ndate: {shifted.isoformat()}\n---\n"
            text = meta + (text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
        name.parent.mkdir(parents=True, exist_ok=True)
        name.write_text(text, encoding="utf-8")
    return count


def bench_serve(sources: Path, edits: int, timeout: float = 300) -> dict:
    """Start `annals serve` on a copy of `sources`, edit one document `edits` times, time until it shows."""
    import socket
    import subprocess
    import sys
    import urllib.request

    def fetch(url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait(predicate) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if predicate():
                return time.perf_counter() - start
            time.sleep(0.2)
        raise TimeoutError("the served page did not change in time")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="annals-serve-") as tmp:
        copy = Path(tmp) / "sources"
        shutil.copytree(sources, copy)
        from annals.load import load_archive
        doc = load_archive(copy, crosslinks=False).documents[0]
        url = f"http://127.0.0.1:{port}/{doc.url}"
        proc = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--sources", str(copy),
                                 "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            first = wait(lambda: doc.title.split()[0] in fetch(url))
            times = []
            for i in range(edits):
                marker = f"Edited paragraph number {i} for the benchmark."
                with open(copy / doc.source, "a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                times.append(wait(lambda: marker in fetch(url)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"documents": len(list(sources.rglob("*.txt"))), "first_build_s": round(first, 2),
            "edit_shown_s": [round(t, 2) for t in times], "median_edit_shown_s": round(statistics.median(times), 2)}


# Spellings of Vladimir Putin's name in other languages (German, French, Dutch, Polish, Czech): aliases an editor
# adds, which no text of the demo writes.
SPELLINGS = ("Wladimir Putin", "Vladimir Poutine", "Vladimir Poetin", "Władimir Putin", "Vladimír Putin")


def bench_incremental(config_file: Path, sources: Path, registry: Path | None, documents: int, runs: int = 3,
                      work: Path | None = None) -> dict:
    """An editor's day on an archive of `documents` texts (the sources scaled up): a cold build, then builds after
    each kind of change, each made `runs` times (a different change each time): nothing changed; add one
    document; edit one paragraph; change a speaker's label; delete one document; add an alias to a registry
    entry (another spelling of a name; then one whose words most texts write); change one glossary term. For
    each: the median seconds, pages rendered and search parts re-indexed.

    Works in a project folder of its own (`work`, else a temporary one): a copy of mkdocs.yml, docs/ and the
    registry, the scaled sources, a cache and a site."""
    import re

    from annals.incremental import Outcome

    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="annals-incremental-")))
        project = bench_project(root, config_file, sources, registry, documents)
        saved = {k: os.environ.get(k) for k in ("ANNALS_CACHE", "SOURCE_DATE_EPOCH")}
        os.environ["ANNALS_CACHE"] = str(root / "cache")
        shutil.rmtree(root / "cache", ignore_errors=True)
        texts = sorted(p for p in (project / "sources").rglob("*.txt"))
        paragraph = re.compile(r"\n\n([A-Z][^\n:]{80,}[.])\n")
        label = re.compile(r"^(Vladimir Putin|Dmitry Medvedev|Ilham Aliyev|Heydar Aliyev):", re.M)
        spare = [t for t in texts if paragraph.search(t.read_text(encoding="utf-8"))]
        labelled = [t for t in texts if label.search(t.read_text(encoding="utf-8"))]

        def build(full: bool = False) -> Outcome:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            done: list[Outcome] = []
            build_site(project / "mkdocs.yml", project / "sources", project / "registry", project / "site",
                       full=full, told=done.append)
            return done[0]

        def nothing(i: int) -> None:
            pass

        def add(i: int) -> None:
            text = spare[-1 - i].read_text(encoding="utf-8")
            (project / "sources" / f"added-{i}.txt").write_text(
                f"---\ntitle: An added document {i}\ndate: 2022-0{i + 1}-15\n---\n" + strip_front(text),
                encoding="utf-8")

        def edit(i: int) -> None:
            path = spare[len(spare) // 2 + i]
            text = path.read_text(encoding="utf-8")
            found = paragraph.search(text)
            path.write_text(text[:found.end(1) - 1] + f", as edited ({i})." + text[found.end(1):], encoding="utf-8")

        def relabel(i: int) -> None:
            path = labelled[(len(labelled) // 3 + i) % len(labelled)]
            path.write_text(label.sub(lambda m: f"President {m[1]}:", path.read_text(encoding="utf-8")),
                            encoding="utf-8")

        def delete(i: int) -> None:
            spare[len(spare) // 4 + i].unlink()

        def alias(i: int) -> None:  # another spelling of the first entry's name (Vladimir Putin's in the demo)
            spelling = SPELLINGS[i % len(SPELLINGS)] + (f" {i}" if i >= len(SPELLINGS) else "")
            people = project / "registry" / "people.yml"
            text = people.read_text(encoding="utf-8")
            people.write_text(text.replace("  aliases: [", f"  aliases: [{spelling}, ", 1), encoding="utf-8")

        def alias_everywhere(i: int) -> None:  # a name whose last word ("0": a surname now) most texts write
            people = project / "registry" / "people.yml"
            text = people.read_text(encoding="utf-8")
            people.write_text(text.replace("  aliases: [", f"  aliases: [Benchmark Alias {i}, ", 1), encoding="utf-8")

        def glossary(i: int) -> None:
            terms = project / "registry" / "glossary.yml"
            text = terms.read_text(encoding="utf-8")
            terms.write_text(re.sub(r"(  definition: )(.*)", lambda m: f"{m[1]}{m[2]} (Revised {i}.)", text, count=1),
                             encoding="utf-8")

        try:
            clock = time.perf_counter()
            cold = build(full=True)
            result = {"documents": documents, "runs": runs, "cold_s": round(time.perf_counter() - clock, 2),
                      "cold": str(cold), "changes": {}}
            for name, change in (("nothing changed", nothing), ("add one document", add),
                                 ("edit one paragraph", edit),
                                 *([("change a speaker's label", relabel)] if labelled else []),
                                 ("delete one document", delete), ("add an alias to a registry entry", alias),
                                 ("add an alias whose words most texts write", alias_everywhere),
                                 ("change one glossary term", glossary)):
                seen = []
                for i in range(runs):
                    change(i)
                    clock = time.perf_counter()
                    done = build()
                    seen.append((time.perf_counter() - clock, done))
                times = [t for t, _ in seen]
                result["changes"][name] = {
                    "median_s": round(statistics.median(times), 2), "times_s": [round(t, 2) for t in times],
                    "pages_rendered": [d.rendered for _, d in seen],
                    "search_parts_reindexed": [d.parts_indexed for _, d in seen], "search_parts": seen[-1][1].parts,
                    "full_builds": [d.full for _, d in seen if d.full]}
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return result


def bench_project(root: Path, config_file: Path, sources: Path, registry: Path | None, documents: int) -> Path:
    """A project folder root/project for a benchmark: a copy of mkdocs.yml, docs/ and the registry, and the
    sources scaled to `documents` texts."""
    project = root / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copy(config_file, project / "mkdocs.yml")
    shutil.copytree(config_file.parent / "docs", project / "docs")
    if registry is not None:
        shutil.copytree(registry, project / "registry")
    (project / "registry").mkdir(exist_ok=True)
    (project / "scripts" / "annals").mkdir(parents=True)  # watched by mkdocs.yml
    scale_corpus(sources, project / "sources", documents)
    return project


def bench_jobs(config_file: Path, sources: Path, registry: Path | None, documents: int, runs: int = 3,
               work: Path | None = None) -> dict:
    """Full builds of `documents` texts (the sources scaled) with the pages rendered in one process and in two
    (--jobs 1, --jobs 2), alternately, `runs` times each, after a first build that fills the cache: the seconds
    of MkDocs' stage and of the whole build, medians, and their ratio, measured in the same run."""
    from annals.load import Laps

    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="annals-jobs-")))
        project = bench_project(root, config_file, sources, registry, documents)
        saved = os.environ.get("ANNALS_CACHE")
        os.environ["ANNALS_CACHE"] = str(root / "cache")
        shutil.rmtree(root / "cache", ignore_errors=True)
        times: dict[int, dict[str, list[float]]] = {1: {"mkdocs": [], "build": []}, 2: {"mkdocs": [], "build": []}}
        try:
            build_site(project / "mkdocs.yml", project / "sources", project / "registry", project / "site", full=True)
            for _ in range(runs):
                for jobs in (1, 2):
                    laps, clock = Laps(), time.perf_counter()
                    build_site(project / "mkdocs.yml", project / "sources", project / "registry", project / "site",
                               full=True, jobs=jobs, lap=laps)
                    times[jobs]["build"].append(time.perf_counter() - clock)
                    times[jobs]["mkdocs"].append(laps.times["mkdocs"])
        finally:
            if saved is None:
                os.environ.pop("ANNALS_CACHE", None)
            else:
                os.environ["ANNALS_CACHE"] = saved
    median = {jobs: {k: statistics.median(v) for k, v in t.items()} for jobs, t in times.items()}
    return {"documents": documents, "runs": runs,
            **{f"jobs_{jobs}": {f"median_{k}_s": round(v, 2) for k, v in m.items()}
               | {f"{k}_s": [round(x, 2) for x in times[jobs][k]] for k in ("mkdocs", "build")}
               for jobs, m in median.items()},
            "mkdocs_speedup": round(median[1]["mkdocs"] / median[2]["mkdocs"], 2),
            "build_speedup": round(median[1]["build"] / median[2]["build"], 2)}


def bench_progress(config_file: Path, sources: Path, registry: Path | None, documents: int, runs: int = 3,
                   work: Path | None = None) -> dict:
    """What showing progress costs: `annals build --full` of `documents` texts (the sources scaled), each time
    with the generated files removed (every stage runs; the parses come from the cache, filled by a first
    build), on a terminal (bars) and piped (a line per stage), in `runs` pairs, either first in turn.

    A shared machine drifts within a run (by a fifth, measured), so beside the medians each pair gives its own
    ratio (its two builds ran one after the other), and the cost is also given as the median of those ratios;
    and beside the wall-clock seconds, the CPU seconds of the build and every process it started (less moved by
    other work on the machine). Last, what progress can cost at most, from its unit costs timed on a terminal
    (counting an item, redrawing a bar): the items the build counted, and a redraw every tenth of a second in
    every process a build runs at once."""
    import resource
    import subprocess
    import sys

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every waited-for descendant, its own included
        return usage.ru_utime + usage.ru_stime

    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="annals-progress-")))
        project = bench_project(root, config_file, sources, registry, documents)
        shutil.rmtree(root / "cache", ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY",
                                                                 "SOURCE_DATE_EPOCH")}
        env["ANNALS_CACHE"] = str(root / "cache")
        command = [sys.executable, "-m", "annals", "build", "--full"]
        subprocess.run(command, cwd=project, env=env, capture_output=True, check=True)
        times: dict[str, list[float]] = {"terminal": [], "piped": []}
        cpu: dict[str, list[float]] = {"terminal": [], "piped": []}
        for i in range(runs):
            for how in ("terminal", "piped") if i % 2 == 0 else ("piped", "terminal"):  # either first, in turn
                shutil.rmtree(root / "cache" / "generated")
                clock, used = time.perf_counter(), children_cpu()
                if how == "terminal":
                    run_on_terminal(command, project, env)
                else:
                    said = subprocess.run(command, cwd=project, env=env, capture_output=True, check=True,
                                          text=True).stderr
                times[how].append(time.perf_counter() - clock)
                cpu[how].append(children_cpu() - used)
        units = run_on_terminal([sys.executable, "-c", UNIT_COSTS], Path.cwd(), env)

    def percent(ratio: float) -> float:
        return round(100 * (ratio - 1), 2)

    median = {how: statistics.median(t) for how, t in times.items()}
    unit = json.loads(units.strip().splitlines()[-1])
    steps = items_counted(said)
    redraws = REDRAWS_PER_SECOND * median["terminal"] * (1 + (os.cpu_count() or 1))  # at most, every process
    bound = steps * unit["advance_us"] / 1e6 + redraws * unit["redraw_us"] / 1e6
    pairs = [t / p for t, p in zip(times["terminal"], times["piped"])]
    cpu_pairs = [t / p for t, p in zip(cpu["terminal"], cpu["piped"])]
    return {"documents": documents, "runs": runs,
            **{f"{how}_s": [round(t, 2) for t in ts] for how, ts in times.items()},
            **{f"median_{how}_s": round(m, 2) for how, m in median.items()},
            "terminal_cost_percent": percent(median["terminal"] / median["piped"]),
            "terminal_cost_percent_by_pair": [percent(r) for r in pairs],
            "terminal_cost_percent_median_of_pairs": percent(statistics.median(pairs)),
            **{f"{how}_cpu_s": [round(t, 2) for t in ts] for how, ts in cpu.items()},
            "terminal_cpu_cost_percent_median_of_pairs": percent(statistics.median(cpu_pairs)),
            "items_counted": steps, "advance_us": round(unit["advance_us"], 2), "redraw_us": round(unit["redraw_us"], 1),
            "redraws_at_most": round(redraws), "progress_s_at_most": significant(bound),
            "progress_percent_at_most": significant(100 * bound / median["terminal"])}


def significant(value: float, digits: int = 3) -> float:
    """`value` to `digits` significant figures: a bound of a few milliseconds on a small build stays above zero."""
    return float(f"{value:.{digits}g}")


REDRAWS_PER_SECOND = 10  # annals.progress.REDRAW: a process redraws a bar at most every tenth of a second
# The unit costs of progress on a terminal, timed in a process whose error stream is one: counting an item (with
# the redraws that come due) and redrawing a bar. Prints them as JSON on its last line.
UNIT_COSTS = """
import json, time
from annals import progress
progress.configure(progress.BARS)
n = 100_000
with progress.stage("counting", n, "items"):
    t = time.perf_counter()
    for _ in range(n):
        progress.advance()
    advance = (time.perf_counter() - t) / n
with progress.stage("redrawing", 10, "items") as s:
    t = time.perf_counter()
    for _ in range(2000):
        s.bar.n = 5
        s.bar.refresh()
    redraw = (time.perf_counter() - t) / 2000
print(json.dumps({"advance_us": advance * 1e6, "redraw_us": redraw * 1e6}))
"""


def items_counted(said: str) -> int:
    """How many items a build counted, from its stage lines ("cross-links: 10,000 texts, 11.2 s"): each stage's
    count, once per pass over its items."""
    import re

    from annals.load import CROSSLINK_PASSES

    total = 0
    for m in re.finditer(r"^([^:\n]+): ([\d,]+) [a-z]+, [\d.]+ s$", said, re.M):
        total += int(m[2].replace(",", "")) * (CROSSLINK_PASSES if m[1] == "cross-links" else 1)
    return total


def run_on_terminal(command: list[str], cwd: Path, env: dict) -> str:
    """Run a command with a pseudo-terminal as its output and error (so that it draws its progress bars); return
    all it wrote. Raises CalledProcessError if it fails."""
    import pty
    import subprocess

    leader, follower = pty.openpty()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    out = bytearray()
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed: the command ended
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
        code = proc.wait()
    text = out.decode("utf-8", errors="replace")
    if code:
        raise subprocess.CalledProcessError(code, command, text)
    return text


def strip_front(text: str) -> str:
    """A source's text without its front matter."""
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


STAGES = ("check for changes", "read and parse", "resolve", "index", "plan pages", "render and write pages and data",
          "Data page", "write", "mkdocs", "search index")


def bench_stages(config_file: Path, sources: Path, registry: Path | None, runs: int) -> dict:
    """Build the site `runs` times from a cold cache, timing each stage; then time a rebuild of the stage
    before MkDocs with nothing changed. Medians, documents per second, sizes and peak memory.

    Peak memory is that of the whole build: the sum over this process and every process it starts (the
    workers that parse and render, MkDocs' process, the search indexer), sampled (annals.bench.memory); and,
    from the operating system, the largest peak of any one of them.
    """
    import resource

    from annals.load import Laps
    from annals.generate import generate

    times: dict[str, list[float]] = {k: [] for k in (*STAGES, "before mkdocs", "build", "no-change rebuild")}
    peaks: list[int] = []
    saved = os.environ.get("ANNALS_CACHE")
    try:
        for _ in range(runs):
            os.sync()  # the writes of the run before reach the disk first, not during this run's stages
            with tempfile.TemporaryDirectory(prefix="annals-stages-") as tmp:
                os.environ["ANNALS_CACHE"] = str(Path(tmp) / "cache")
                laps = Laps()
                with peak_memory() as memory:
                    site = build_site(config_file, sources, registry, Path(tmp) / "site", lap=laps)
                peaks.append(memory["bytes"])
                for stage in STAGES:
                    times[stage].append(laps.times.get(stage, 0.0))
                times["before mkdocs"].append(sum(v for k, v in laps.times.items() if k not in ("mkdocs", "search index")))
                times["build"].append(sum(laps.times.values()))
                clock = time.perf_counter()
                again = generate(sources.resolve(), registry.resolve() if registry else None)
                times["no-change rebuild"].append(time.perf_counter() - clock)
                assert again.reused, "nothing changed, yet the generated files were made again"
                files = [f for f in site.rglob("*") if f.is_file()]
                size = sum(f.stat().st_size for f in files)
                search = measure(site).index_bytes
                pages = sum(1 for f in files if f.name == "index.html")
                count = again.documents
    finally:
        if saved is None:
            os.environ.pop("ANNALS_CACHE", None)
        else:
            os.environ["ANNALS_CACHE"] = saved
    medians = {k: round(statistics.median(v), 3) for k, v in times.items()}
    return {"documents": count, "runs": runs, "median_s": medians,
            "documents_per_s_before_mkdocs": round(count / medians["before mkdocs"], 1),
            "documents_per_s_build": round(count / medians["build"], 1),
            "ms_per_document_build": round(1000 * medians["build"] / count, 2),
            "pages": pages, "output_mb": round(size / 2**20, 1), "search_index_mb": round(search / 2**20, 2),
            "peak_memory_mb": round(max(peaks) / 2**20, 1),
            "peak_memory_of_one_process_mb": round(max(resource.getrusage(r).ru_maxrss for r in (
                resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024, 1),
            "all_s": {k: [round(t, 3) for t in v] for k, v in times.items()}}


def bench_growth(config_file: Path, sources: Path, registry: Path | None, sizes: list[int], runs: int) -> dict:
    """bench_stages at each size (the sources scaled up), each in a process of its own so that its peak
    memory is its own; and how the build's time per document grows from the smallest size to the largest."""
    import subprocess
    import sys

    results = {}
    with tempfile.TemporaryDirectory(prefix="annals-growth-") as tmp:
        for size in sizes:
            scaled = Path(tmp) / str(size)
            scale_corpus(sources, scaled, size)
            command = [sys.executable, "-m", "annals", "bench", "stages", "--sources", str(scaled), "--runs",
                       str(runs), "-f", str(config_file)] + (["--registry", str(registry)] if registry else [])
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"bench stages of {size} texts failed:\n" + "\n".join(done.stderr.splitlines()[-15:]))
            results[size] = json.loads(done.stdout)
            shutil.rmtree(scaled)
    small, large = results[min(sizes)], results[max(sizes)]
    return {"sizes": results, "growth_per_document": round(large["ms_per_document_build"]
                                                           / small["ms_per_document_build"], 3)}


# Hostile inputs: small texts that once cost minutes (issue 14). Each is made at two sizes and built; a cost
# that grows linearly doubles.

HEAD = "Hostile text\n\n20 July 2021, 19:40\n\nMoscow\n\n"
GIVEN = ("Anna", "Boris", "Chloe", "Dmitry", "Elena", "Fyodor", "Galina", "Hector", "Irina", "Jakob")
SYLLABLES = [c + v for c in ("b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "ch")
             for v in "aeiou"]
ENDINGS = ("ov", "in", "enko", "ski", "ev", "yan")


def speaker_names(count: int) -> list[str]:
    """`count` distinct made-up names ("Galina Rubeshoenko"), the same on every run."""
    import random

    draw, names = random.Random(14), {}
    while len(names) < count:
        surname = "".join(draw.choice(SYLLABLES) for _ in range(3)) + draw.choice(ENDINGS)
        names.setdefault(f"{draw.choice(GIVEN)} {surname.capitalize()}", None)
    return list(names)


def hostile_text(case: str, size: int, prose: str = "") -> str:
    """A source text of the hostile kind `case`, `size` characters (or speakers) large."""
    if case == "repeated-name":  # one paragraph naming a place thousands of times
        return HEAD + "Moscow. " * (size // 8) + "\n"
    if case == "angle-brackets":  # one paragraph of '>', which Markdown could read as quotes or HTML
        return HEAD + "Text " + ">" * size + "\n"
    if case == "speakers":  # as many distinct speakers, each heard once
        return HEAD + "".join(f"{name}: Thank you.\n\n" for name in speaker_names(size))
    if case == "dates":  # one sentence naming thousands of days
        return HEAD + "They met on May 5 and " * (size // 22) + "then.\n"
    if case == "prose":  # ordinary transcripts, one after the other, as one text
        return HEAD + (prose * (size // max(len(prose), 1) + 1))[:size].rsplit("\n\n", 1)[0] + "\n"
    if case == "prose-paragraph":  # the same words as one paragraph
        return HEAD + " ".join((prose * (size // max(len(prose), 1) + 1))[:size].split()) + "\n"
    raise ValueError(f"unknown hostile case {case!r}")


def prose_of(sources: Path) -> str:
    """The texts of `sources` without their front matter, one after the other: ordinary prose with names."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sources).rglob("*.txt"))]
    return "\n\n".join(t.split("\n---\n", 1)[1] if t.startswith("---\n") else t for t in texts) + "\n\n"


# A size N for each hostile case: the bench builds N and 2N. Chosen so that what grows with the input is
# seconds, not the fixed cost of a build (MkDocs and Material take some 3 s for any site).
HOSTILE = {"repeated-name": 320_000, "angle-brackets": 400_000, "speakers": 2_000, "dates": 200_000,
           "prose": 1_000_000, "prose-paragraph": 500_000}
MEASURES = ("check", "before mkdocs", "mkdocs", "search index", "build")


def bench_hostile(config_file: Path, sources: Path, registry: Path | None, runs: int,
                  cases: dict[str, int] | None = None) -> dict:
    """Check and build each hostile case at sizes N and 2N (`runs` times, medians); a linear cost doubles.

    Each size is also compared with a minimal text built the same way: `ratio beyond baseline` is the growth
    of what the hostile text adds, which the fixed cost of a build would otherwise hide.
    """
    prose, cases = prose_of(sources), cases or HOSTILE
    baseline = time_text(config_file, HEAD + "Thank you.\n", registry, runs)
    out = {"runs": runs, "baseline": baseline}
    for case, n in cases.items():
        small, large = (time_text(config_file, hostile_text(case, size, prose), registry, runs) for size in (n, 2 * n))
        out[case] = {"sizes": [n, 2 * n], "median_s": {n: small, 2 * n: large},
                     "ratio": {k: round(large[k] / small[k], 2) for k in MEASURES if small[k]},
                     "ratio beyond baseline": {k: round((large[k] - baseline[k]) / (small[k] - baseline[k]), 2)
                                               for k in MEASURES if small[k] - baseline[k] > 0.05}}
    return out


def time_text(config_file: Path, text: str, registry: Path | None, runs: int) -> dict:
    """Median seconds to check, then build (by stage), an archive of this one text; and the build's peak memory."""
    from annals.load import Laps, load_archive

    times: dict[str, list[float]] = {k: [] for k in MEASURES}
    peaks, saved = [], os.environ.get("ANNALS_CACHE")
    try:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="annals-hostile-") as tmp:
                folder = Path(tmp) / "sources"
                folder.mkdir()
                (folder / "hostile.txt").write_text(text, encoding="utf-8")
                os.environ["ANNALS_CACHE"] = str(Path(tmp) / "check-cache")
                clock = time.perf_counter()
                load_archive(folder, registry)
                times["check"].append(time.perf_counter() - clock)
                os.environ["ANNALS_CACHE"] = str(Path(tmp) / "cache")
                laps = Laps()
                with peak_memory() as memory:
                    build_site(config_file, folder, registry, Path(tmp) / "site", lap=laps)
                peaks.append(memory["bytes"])
                mkdocs = ("mkdocs", "search index")
                times["before mkdocs"].append(sum(v for k, v in laps.times.items() if k not in mkdocs))
                for stage in mkdocs:
                    times[stage].append(laps.times.get(stage, 0.0))
                times["build"].append(sum(laps.times.values()))
    finally:
        if saved is None:
            os.environ.pop("ANNALS_CACHE", None)
        else:
            os.environ["ANNALS_CACHE"] = saved
    return {**{k: round(statistics.median(v), 3) for k, v in times.items()}, "peak_mb": round(max(peaks) / 2**20)}
