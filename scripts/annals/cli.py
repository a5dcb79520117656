"""The command line: annals build | export | check | serve. Only this module prints."""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path

from annals.errors import AnnalsError, Problem, collapse, summarise


def main(argv: list[str] | None = None) -> int:
    """Run the annals command line; return the exit status."""
    from annals import progress

    args = parser().parse_args(argv)
    verbose, quiet = getattr(args, "verbose", False), getattr(args, "quiet", False)
    level = logging.INFO if args.run is run_serve or verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)-7s -  %(message)s")
    if args.run in (run_build, run_export, run_check, run_bench):
        progress.configure(progress.mode_for(sys.stderr, quiet))
    try:
        with progress.logging_beside_bars():
            return args.run(args)
    except AnnalsError as exc:
        for line in collapse(exc.problems):
            print(line, file=sys.stderr)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"{errors} error(s); nothing was written", file=sys.stderr)
        return 1
    finally:
        progress.configure(progress.OFF)


def positive(text: str) -> int:
    """A whole number of at least 1 (an argument's type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    ap = argparse.ArgumentParser(prog="annals", description="Build and check an Annals archive.")
    sub = ap.add_subparsers(required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build the site into site/ (atomically)")
    common(b)
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site)")
    b.add_argument("--strict", action="store_true", help="fail on any MkDocs warning")
    b.add_argument("--full", action="store_true", help="build every page and index all of search, reusing nothing "
                   "of the previous site (by default a build renders only the pages a change touched)")
    b.add_argument("--jobs", type=positive, default=None, help="how many processes render the pages at once "
                   "(default: one per core); the site is the same for any number")
    b.add_argument("--site-url", default=None, help="the site's public address for this build (default: site_url of "
                                                     "mkdocs.yml): absolute links in the feed, sitemap and citations")
    b.set_defaults(run=run_build)
    e = sub.add_parser("export", help="write the JSON export without building the site")
    common(e)
    e.add_argument("--out", type=Path, required=True, help="folder for <id>.json files")
    e.set_defaults(run=run_export)
    c = sub.add_parser("check", help="read every source and registry and report every problem")
    common(c)
    c.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    c.add_argument("--format", choices=("text", "json"), default="text", help="json: one object, for tools")
    c.set_defaults(run=run_check)
    n = sub.add_parser("new", help="add a pasted or downloaded text to the sources")
    n.add_argument("file", nargs="?", default="-", help="the text's file, or - (default) to read it from input")
    n.add_argument("--sources", type=Path, default=Path("sources"), help="folder of source texts (default: sources)")
    n.add_argument("--source-url", default=None, help="where the text was published")
    n.set_defaults(run=run_new)
    s = sub.add_parser("serve", help="live preview at http://127.0.0.1:8000/")
    common(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    s.set_defaults(run=run_serve)
    bench = sub.add_parser("bench", help="benchmarks: build stages, growth with size, cross-links, serve, search")
    common(bench)
    bench.add_argument("what", nargs="?", choices=("crosslinks", "serve", "scale", "stages", "growth", "search",
                                                   "hostile", "incremental", "jobs", "progress"),
                       default="crosslinks",
                       help="crosslinks: build with and without; serve: time an edit to show; scale: make N texts; "
                            "stages: time each stage of a cold build, and a rebuild with no change; growth: "
                            "stages at each of --sizes; search: queries in Chromium on the site in --site-dir; "
                            "hostile: check and build texts that once cost minutes, at two sizes each; incremental: "
                            "a cold build of --documents texts, then builds after each kind of editor's change; jobs: full "
                            "builds of --documents texts with --jobs 1 and --jobs 2, alternately; progress: full builds of "
                            "--documents texts on a terminal and piped, alternately")
    bench.add_argument("--runs", type=int, default=None, help="builds (or edits) of each kind (default 5; "
                                                               "incremental, jobs, progress: 3)")
    bench.add_argument("--documents", type=int, default=1000, help="scale, incremental, jobs, progress: how many texts to make")
    bench.add_argument("--out", type=Path, default=None, help="scale: the folder to write them to; incremental, "
                                                              "jobs, progress: the folder to work in (default: a temporary one)")
    bench.add_argument("--sizes", default="1000,10000", help="growth: the numbers of texts to build (default 1000,10000)")
    bench.add_argument("--site-dir", type=Path, default=Path("site"), help="search: the built site (default site)")
    bench.add_argument("--queries", default="gas,vaccine,pipeline,Sputnik,agreement,Azerbaijan,inflation,grain",
                       help="search: comma-separated queries")
    bench.set_defaults(run=run_bench)
    return ap


def common(sp: argparse.ArgumentParser) -> None:
    """Options every command takes."""
    said = sp.add_mutually_exclusive_group()
    said.add_argument("-q", "--quiet", action="store_true", help="print only problems and the final line (no "
                                                                  "progress)")
    said.add_argument("-v", "--verbose", action="store_true", help="also print MkDocs' own messages and every "
                                                                    "warning, one by one")
    sp.add_argument("--sources", type=Path, default=None, help="folder of source texts (default: sources)")
    sp.add_argument("--registry", type=Path, default=None, help="folder of registry files (default: registry)")
    sp.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration")


def run_build(args) -> int:
    from annals.site import build_site
    told = []
    site = build_site(args.config_file, args.sources, args.registry, args.site_dir, strict=args.strict,
                      site_url=args.site_url, full=args.full, told=told.append, jobs=args.jobs)
    if not args.verbose:  # said one by one, as the build found them, when verbose
        say_warnings(told[0].problems, f"the editors' report ({site / 'editors' / 'report'}) lists every one")
    if args.quiet:
        print(f"built the site into {site}: {told[0]}")
        return 0
    print(told[0])
    print(f"built the site into {site}; preview it with: annals serve (or python -m http.server -d {site})")
    return 0


def run_export(args) -> int:
    from annals import progress
    from annals.load import load_archive
    from annals.write import write_export
    archive = load_archive(args.sources or Path("sources"), registry_of(args))
    with progress.stage("writing", len(archive.documents), "texts"):
        count = write_export(archive, args.out)
    if args.verbose:
        print_problems(archive.problems)
    else:
        say_warnings(archive.problems, "annals check --verbose lists every one")
    print(f"wrote {count} document(s) to {args.out}")
    return 0


def run_check(args) -> int:
    from annals.load import load_archive
    try:
        archive = load_archive(args.sources or Path("sources"), registry_of(args))
        problems, counts = list(archive.problems), (len(archive.documents), len(archive.people))
        identities = {"merged": [dataclasses.asdict(m) for m in archive.identities.merges],
                      "close": [dataclasses.asdict(c) for c in archive.identities.close]}
    except AnnalsError as exc:
        problems, counts, identities = exc.problems, None, None
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if args.format == "json":
        print(json.dumps({"errors": errors, "warnings": warnings, "documents": counts[0] if counts else None,
                          "problems": [dataclasses.asdict(p) for p in problems], "identities": identities}, ensure_ascii=False, indent=2))
    else:
        if args.verbose:
            print_problems(problems)
        else:
            say_warnings(problems, "annals check --verbose lists every one")
        if counts:
            for line in identity_lines(archive):
                print(line)
        summary = f"{counts[0]} document(s), {counts[1]} people: " if counts else ""
        print(f"{summary}{errors} error(s), {warnings} warning(s)")
    return 1 if errors or (args.strict and warnings) else 0


def identity_lines(archive) -> list[str]:
    """What unifying spellings did, for the editor: each merge and each close pair left apart."""
    ids = archive.identities
    lines = [f"one person: '{m.variant_name}' ({m.variant_count}) is "
             f"'{archive.people[m.into].name if m.into in archive.people else m.name}' ({m.count}), {m.reason}"
             for m in ids.merges]
    lines += [f"two people: '{c.a_name}' and '{c.b_name}' left apart ({c.reason})" for c in ids.close]
    return lines


def run_new(args) -> int:
    from annals.new import add_document, read_input
    data, name = read_input(args.file)
    path, report = add_document(data, args.sources, args.source_url, name)
    print(f"wrote {path}")
    print(report)
    return 0


def run_serve(args) -> int:
    from annals.site import serve_site
    serve_site(args.config_file, args.sources, args.registry, args.dev_addr)
    return 0


def run_bench(args) -> int:
    import json

    from annals.bench import run as bench
    sources = args.sources or Path("sources")
    args.runs = args.runs or (3 if args.what in ("incremental", "jobs", "progress") else 5)
    if args.what == "scale":
        if args.out is None:
            raise AnnalsError(Problem("annals bench scale", 0, "--out is needed: the folder to write the texts to"))
        result = {"written": bench.scale_corpus(sources, args.out, args.documents), "out": str(args.out)}
    elif args.what == "incremental":
        result = bench.bench_incremental(args.config_file, sources, registry_of(args), args.documents, args.runs,
                                         args.out)
    elif args.what == "progress":
        result = bench.bench_progress(args.config_file, sources, registry_of(args), args.documents, args.runs,
                                      args.out)
    elif args.what == "jobs":
        result = bench.bench_jobs(args.config_file, sources, registry_of(args), args.documents, args.runs, args.out)
    elif args.what == "stages":
        result = bench.bench_stages(args.config_file, sources, registry_of(args), args.runs)
    elif args.what == "search":
        from annals.bench.search import bench_search
        queries = args.queries.split(",")
        result = {"served as is": bench_search(args.site_dir, queries, args.runs),
                  "served gzip-compressed": bench_search(args.site_dir, queries, args.runs, compress=True)}
    elif args.what == "growth":
        sizes = [int(n) for n in args.sizes.split(",")]
        result = bench.bench_growth(args.config_file, sources, registry_of(args), sizes, args.runs)
    elif args.what == "serve":
        result = bench.bench_serve(sources, args.runs)
    elif args.what == "hostile":
        result = bench.bench_hostile(args.config_file, sources, registry_of(args), args.runs)
    else:
        result = bench.bench_crosslinks(args.config_file, sources, args.registry, args.runs)
    print(json.dumps(result, indent=2))
    return 0


def registry_of(args) -> Path | None:
    """The registry folder: the one given, or registry/ if it exists."""
    if args.registry is not None:
        return args.registry
    return Path("registry") if Path("registry").is_dir() else None


def print_problems(problems) -> None:
    """Print every problem, one by one (--verbose)."""
    for problem in problems:
        print(problem, file=sys.stderr)


def say_warnings(problems, full: str) -> None:
    """Print the problems summarised (errors.summarise: each kind of warning once, with its count and first
    places), and, where some were summarised, where the full list is."""
    lines = summarise(list(problems))
    for line in lines:
        print(line, file=sys.stderr)
    if len(lines) < len(problems):
        print(f"{len(problems):,} problem(s) in all: {full}", file=sys.stderr)
