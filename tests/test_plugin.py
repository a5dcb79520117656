"""The MkDocs plugin's own duties: what it starts, it ends, whether the build succeeds or fails."""
from __future__ import annotations

import threading
import time

from annals.plugin import AnnalsPlugin


def test_a_failed_build_waits_for_the_corpus_download_it_started():
    plugin = AnnalsPlugin()
    finished = threading.Event()

    def download() -> None:
        time.sleep(0.1)
        finished.set()

    plugin.bundling, plugin.bundle_error = threading.Thread(target=download), RuntimeError("not reported")
    plugin.bundling.start()
    plugin.on_build_error(error=RuntimeError("a page failed"))
    assert finished.is_set() and plugin.bundling is None and plugin.bundle_error is None


def test_a_failed_build_that_started_nothing_ends_at_once():
    plugin = AnnalsPlugin()
    plugin.on_build_error(error=RuntimeError("the configuration failed"))
    assert plugin.bundling is None
