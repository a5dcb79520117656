"""Index pages with Pagefind's own API (its indexing service), giving it the pages one by one in sorted order.

Pagefind's command line numbers the pages in the order its walk of the folder meets them, which is the order the
file system lists a folder's entries in: hash order on ext4 (with a seed of each file system's own), creation
order on tmpfs. The numbers are written into every index chunk and filter, so the same site indexed on two file
systems gave two different indexes. Added through the API one at a time, in sorted order, the pages are
numbered in that order wherever they are: the index is the same bytes on any file system (the pages'
fragments, which hold no numbers, are the command line's).
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import json
import os
from pathlib import Path

from pagefind.index import IndexConfig
from pagefind.service import PagefindService


ANSWER_LIMIT = 2**31 - 1  # bytes of one answer of the service (all the index's files, base64-encoded)


class Service(PagefindService):
    """Pagefind's service, run from `binary`, with a reader of its answers that does not wait a tenth of a second
    before each one (pagefind 1.5.2's does: 100 s for 1,000 pages, where the command line takes 7), that
    fails every pending request, with what the service said, when it stops, and that takes answers of any
    length."""

    def __init__(self, binary: Path) -> None:
        super().__init__()
        self._bin = binary
        self.ended = ""  # why the service stopped answering

    async def send(self, payload):
        if self.ended:
            raise RuntimeError(self.ended)
        return await super().send(payload)

    async def _wait_for_responses(self) -> None:
        while True:
            try:
                raw = await self._backend.stdout.readuntil(b",")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as end:
                said = getattr(end, "partial", b"").decode("utf-8", "replace").strip()
                return self.fail(said or "the Pagefind service stopped")
            try:
                answer = json.loads(base64.b64decode(raw[:-1], validate=True))
            except (binascii.Error, ValueError):  # not an answer: what it printed before stopping, then the end
                said = raw.decode("utf-8", "replace") + (await self._backend.stdout.read()).decode("utf-8", "replace")
                return self.fail(said.strip() or "the Pagefind service stopped")
            future = self._responses.get(answer.get("message_id")) if isinstance(answer, dict) else None
            if future is None or future.done():
                continue
            payload = answer["payload"]
            if payload.get("type") == "Error":
                future.set_exception(RuntimeError(payload.get("message") or "Pagefind failed"))
            else:
                future.set_result(payload)

    async def launch(self) -> "Service":
        """Start the service with room for one large answer (the index's files, see add_and_write): the client's
        2 MiB would stop the reader on the first answer longer than that."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service", cwd=os.getcwd(), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=ANSWER_LIMIT)
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    def fail(self, message: str) -> None:
        self.ended = message
        for future in self._responses.values():
            if not future.done():
                future.set_exception(RuntimeError(message))


def index_pages(binary: Path, pages_dir: Path, pages: list[str], output: Path, exclude: tuple[str, ...]) -> int:
    """Index the pages (paths relative to pages_dir, which are also their URLs) into `output`, in sorted order;
    return how many pages the index holds.

    In a thread of its own: asyncio cannot run where an event loop already runs (as in a program that drives a
    browser through Playwright's synchronous API)."""
    work = add_and_write(binary, Path(pages_dir), sorted(pages), Path(output), exclude)
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, work).result()
    entry = json.loads((Path(output) / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def write_file(output: Path, name: str, content: bytes) -> None:
    """Write one file of the index. Pagefind's own `write_files` answers before its writes are done (it does not
    flush them), so a file could be found cut short, or empty, when the service is stopped: its files are asked
    for (`get_files`) and written here, whole."""
    path = (output / name).resolve()
    if not path.is_relative_to(output.resolve()):
        raise ValueError(f"Pagefind named a file outside its folder: {name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def add_and_write(binary: Path, pages_dir: Path, pages: list[str], output: Path,
                        exclude: tuple[str, ...]) -> None:
    service = await Service(binary).launch()
    try:
        index = await service.create_index(IndexConfig(exclude_selectors=list(exclude), output_path=str(output)))
        for page in pages:  # one at a time: a page's number is its place in this order
            await index.add_html_file(content=(pages_dir / page).read_text(encoding="utf-8"), source_path=page)
        for file in sorted(await index.get_files(), key=lambda f: f["path"]):
            write_file(output, file["path"], file["content"])
    finally:
        try:
            await service.close()
        except ProcessLookupError:  # it had stopped already: the error that stopped it is the one to report
            pass
