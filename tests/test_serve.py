"""`annals serve`: an edited source shows on the served page, with no rebuild loop."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent
PAGE = "documents/2021/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def server(tmp_path):
    for name in ("docs", "sources", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "scripts" / "annals").mkdir(parents=True)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    env = {k: v for k, v in os.environ.items() if k not in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH")}
    proc = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_edited_source_is_served_without_rebuild_loop(server):
    folder, base = server
    assert wait_for(lambda: "Happy Eid" in fetch(base + PAGE), 60), (folder / "serve.log").read_text()
    source = folder / "sources" / "president-az-52519.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nAn added closing line.\n", encoding="utf-8")
    assert wait_for(lambda: "An added closing line." in fetch(base + PAGE), 30), (folder / "serve.log").read_text()
    time.sleep(2)
    builds = (folder / "serve.log").read_text().count("Building documentation")
    assert builds >= 2, "the edit was built once more after the first build"
    time.sleep(4)
    assert (folder / "serve.log").read_text().count("Building documentation") == builds, "rebuild loop"
