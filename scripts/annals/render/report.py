"""The editors' report: every problem of the run, where it is and how to fix it, repeated ones counted once."""
from __future__ import annotations

import bisect
import collections
from typing import TYPE_CHECKING

from annals.errors import Problem
from annals.markup import md_text, plural
from annals.model import Document
from annals.render.common import link, page_text

if TYPE_CHECKING:
    from annals.index import Archive

PAGE = "editors/report.md"  # generated; docs/editors/index.md is the hand-written guide
PLACES = 20  # further places of a repeated message are counted, not listed
SECTIONS = (("error", "Errors", "errors"), ("warning", "Warnings", "warnings"))


def render_report(archive: Archive) -> str:
    """Render the report: a summary, then errors and warnings, each message once with its count and places."""
    groups = grouped(archive.problems)
    errors = sum(len(g) for (severity, _), g in groups.items() if severity == "error")
    warnings = sum(len(g) for g in groups.values()) - errors
    blocks = ["# Editors' report",
              f"{plural(errors, 'error')} and {plural(warnings, 'warning')} in the sources and the registry "
              f"({plural(len(groups), 'distinct message')}). Each says where (file and line), what is wrong and, "
              "where it can, how to fix it.\n{ .annals-summary }"]
    if not groups:
        blocks.append("Nothing to report: every source and registry file was read without a problem.")
    documents = by_source(archive.documents)
    for severity, title, anchor in SECTIONS:
        items = [problem_item(found, documents) for (s, _), found in groups.items() if s == severity]
        if items:
            blocks += [f"## {title} {{ #{anchor} }}", "\n".join(items)]
    return page_text("Editors' report", blocks + identity_sections(archive))


def identity_sections(archive: Archive) -> list[str]:
    """The spellings made one person, and the close names left as two: for an editor to confirm or undo."""
    ids = archive.identities
    blocks = []
    if ids.merges:
        blocks += ["## Spellings made one person { #merged }",
                   "Names that differ by a transliteration or a one-letter slip, one of them rare, are taken for one "
                   "person. To keep two apart, list the other's id under `distinct` in `registry/people.yml`.",
                   "\n".join(f"- {md_text(m.variant_name)} ({plural(m.variant_count, 'time')}) is "
                             f"{person_link(archive, m.into, name_of(archive, m.into, m.name))} ({plural(m.count, 'time')}): "
                             f"{md_text(m.reason)}"
                             for m in ids.merges)]
    if ids.close:
        blocks += ["## Close names left apart { #close }",
                   "Names close enough to be one person, kept apart for the reason given. If they are one person, "
                   "add the rarer spelling to the other's `aliases` in `registry/people.yml`.",
                   "\n".join(f"- {person_link(archive, c.a, c.a_name)} and {person_link(archive, c.b, c.b_name)}: "
                             f"{md_text(c.reason)}" for c in ids.close)]
    return blocks


def name_of(archive: Archive, pid: str, spelling: str) -> str:
    """The name the archive gives a person (the registry's, where it names them), else the spelling given."""
    person = archive.people.get(pid)
    return person.name if person else spelling


def person_link(archive: Archive, pid: str, name: str) -> str:
    """A person's name, linked to their page where they have one."""
    person = archive.people.get(pid)
    return f"[{md_text(name)}]({link(PAGE, f'people/{pid}.md')})" if person else md_text(name)


def grouped(problems: tuple[Problem, ...]) -> dict[tuple[str, str], list[Problem]]:
    """Group problems by severity and message, in the order each message first occurs."""
    groups: dict[tuple[str, str], list[Problem]] = collections.defaultdict(list)
    for p in problems:
        groups[("error" if p.severity == "error" else "warning", p.message)].append(p)
    return dict(groups)


def problem_item(found: list[Problem], documents: dict[str, Document]) -> str:
    """Return one list item: where, the message (with its count when repeated), the hint, the other places."""
    first = found[0]
    count = f" (x{len(found)})" if len(found) > 1 else ""
    item = f"- {where(first, documents)}: {md_text(first.message)}{count}"
    lines = [f"Hint: {md_text(first.hint)}"] if md_text(first.hint) else []
    others = [where(p, documents) for p in found[1:PLACES + 1]]
    if others:
        more = len(found) - 1 - len(others)
        lines.append("Also at " + ", ".join(others) + (f" and {plural(more, 'other place')}" if more else ""))
    return "\n".join([item] + [f"    - {line}" for line in lines])


def where(p: Problem, documents: dict[str, Document]) -> str:
    """Return a problem's file:line as code, linked to the document's paragraph when it is in a document."""
    doc = document_of(p.path, documents)
    text = f"<code>{md_text(shown_path(p.path, doc)) or '(no file)'}{f':{p.line}' if p.line else ''}</code>"
    if doc is None:
        return text
    return f"[{text}]({link(PAGE, doc.page, paragraph_at(doc, p.line))})"


def shown_path(path: str, doc: Document | None) -> str:
    """Return a problem's path as the published report shows it: a source relative to the sources folder, a
    registry file as registry/<file>, anything else by its name; never a folder of the machine that built it
    (problems name files as the command line shows them, relative to the working folder)."""
    if doc is not None:
        return doc.source
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return f"registry/{name}" if name.endswith(".yml") else name


def by_source(documents: tuple[Document, ...]) -> dict[str, Document]:
    """Index documents by their source path."""
    return {d.source: d for d in documents if d.source}


def document_of(path: str, documents: dict[str, Document]) -> Document | None:
    """Return the document a problem's path names: the longest tail of the path that is a source."""
    parts = path.replace("\\", "/").split("/")
    return next((documents[tail] for i in range(len(parts)) if (tail := "/".join(parts[i:])) in documents), None)


def paragraph_at(doc: Document, line: int) -> str:
    """Return the anchor of the paragraph a source line belongs to ('' for the header)."""
    lines = [p.line for p in doc.paragraphs]
    i = bisect.bisect_right(lines, line) - 1
    return doc.paragraphs[i].anchor if line > 0 and i >= 0 else ""
