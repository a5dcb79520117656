"""The command line: annals build | export | check | serve. Only this module prints."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from annals.errors import AnnalsError, collapse


def main(argv: list[str] | None = None) -> int:
    """Run the annals command line; return the exit status."""
    args = parser().parse_args(argv)
    level = logging.INFO if args.run is run_serve else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)-7s -  %(message)s")
    try:
        return args.run(args)
    except AnnalsError as exc:
        for line in collapse(exc.problems):
            print(line, file=sys.stderr)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        print(f"{errors} error(s); nothing was written", file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    ap = argparse.ArgumentParser(prog="annals", description="Build and check an Annals archive.")
    sub = ap.add_subparsers(required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build the site into site/ (atomically)")
    common(b)
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site)")
    b.add_argument("--strict", action="store_true", help="fail on any MkDocs warning")
    b.set_defaults(run=run_build)
    e = sub.add_parser("export", help="write the JSON export without building the site")
    common(e)
    e.add_argument("--out", type=Path, required=True, help="folder for <id>.json files")
    e.set_defaults(run=run_export)
    c = sub.add_parser("check", help="read every source and registry and report every problem")
    common(c)
    c.set_defaults(run=run_check)
    s = sub.add_parser("serve", help="live preview at http://127.0.0.1:8000/")
    common(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    s.set_defaults(run=run_serve)
    bench = sub.add_parser("bench", help="time the site build with and without cross-links")
    common(bench)
    bench.add_argument("--runs", type=int, default=5, help="builds of each kind (default 5)")
    bench.set_defaults(run=run_bench)
    return ap


def common(sp: argparse.ArgumentParser) -> None:
    """Options every command takes."""
    sp.add_argument("--sources", type=Path, default=None, help="folder of source texts (default: sources)")
    sp.add_argument("--registry", type=Path, default=None, help="folder of registry files (default: registry)")
    sp.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration")


def run_build(args) -> int:
    from annals.site import build_site
    site = build_site(args.config_file, args.sources, args.registry, args.site_dir, strict=args.strict)
    print(f"built the site into {site}; preview it with: annals serve (or python -m http.server -d {site})")
    return 0


def run_export(args) -> int:
    from annals.build import load_archive
    from annals.write import write_export
    archive = load_archive(args.sources or Path("sources"), registry_of(args))
    count = write_export(archive, args.out)
    print_warnings(archive)
    print(f"wrote {count} document(s) to {args.out}")
    return 0


def run_check(args) -> int:
    from annals.build import load_archive
    archive = load_archive(args.sources or Path("sources"), registry_of(args))
    print_warnings(archive)
    print(f"{len(archive.documents)} document(s), {len(archive.people)} people, {len(archive.entities)} entities: no errors")
    return 0


def run_serve(args) -> int:
    from annals.site import serve_site
    serve_site(args.config_file, args.sources, args.registry, args.dev_addr)
    return 0


def run_bench(args) -> int:
    import json

    from annals.bench import bench_crosslinks
    result = bench_crosslinks(args.config_file, args.sources or Path("sources"), args.registry, args.runs)
    print(json.dumps(result, indent=2))
    return 0


def registry_of(args) -> Path | None:
    """The registry folder: the one given, or registry/ if it exists."""
    if args.registry is not None:
        return args.registry
    return Path("registry") if Path("registry").is_dir() else None


def print_warnings(archive) -> None:
    for line in collapse(list(archive.problems)):
        print(line, file=sys.stderr)
