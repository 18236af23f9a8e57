"""Drive a headless Chromium through the DevTools protocol over a pipe.

No extra package and no debugging port: Chromium started with ``--remote-debugging-pipe``
reads commands from its file descriptor 3 and writes replies to 4, one JSON message per
NUL-terminated chunk. Just enough protocol for the dev-server tests: open a page,
evaluate JavaScript, wait for a condition.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)


_TRAMPOLINE = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)
"""Puts the pipe ends where Chromium expects them, then becomes Chromium."""


def find_chromium() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class ProtocolError(Exception):
    pass


class Browser:
    """One Chromium process and one page in it."""

    def __init__(self, executable: str, profile: Path, log: Path) -> None:
        to_chromium = os.pipe()
        from_chromium = os.pipe()
        # Above 10, so that moving them to 3 and 4 never overwrites one with the other.
        theirs_in = fcntl.fcntl(to_chromium[0], fcntl.F_DUPFD, 10)
        theirs_out = fcntl.fcntl(from_chromium[1], fcntl.F_DUPFD, 10)
        command = [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _TRAMPOLINE, str(theirs_in), str(theirs_out), *command],
            pass_fds=(theirs_in, theirs_out),
            stdin=subprocess.DEVNULL,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for fd in (theirs_in, theirs_out, to_chromium[0], from_chromium[1]):
            os.close(fd)
        self._writer = os.fdopen(to_chromium[1], "wb", buffering=0)
        self._reader = os.fdopen(from_chromium[0], "rb", buffering=0)
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._arrived = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self.session = ""

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = self._reader.read(65536)
            if not chunk:
                with self._arrived:
                    self._arrived.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._arrived:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self.events.append(message)
                self._arrived.notify_all()

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 10
    ) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        self._writer.write(json.dumps(message).encode() + b"\0")
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._next_id in self._replies, timeout):
                raise ProtocolError(f"{method}: no reply within {timeout} s")
            reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Page.navigate", {"url": url})

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise ProtocolError(result["exceptionDetails"].get("text", "JavaScript error"))
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 10) -> Any:
        """Evaluate ``expression`` until it is truthy (a reload in between is fine)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = self.evaluate(expression)
            except ProtocolError as exc:  # the page is between two documents
                last = exc
            else:
                if last:
                    return last
            time.sleep(0.05)
        raise AssertionError(
            f"{expression!r} did not become true within {timeout} s; last: {last!r}"
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close", timeout=3)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        # Renderer and helper processes share the group: none may outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=5)
        self._thread.join(timeout=5)
        self._writer.close()
        self._reader.close()


@contextlib.contextmanager
def chromium(executable: str) -> Iterator[Browser]:
    with tempfile.TemporaryDirectory(prefix="commonsgen-chromium-") as scratch:
        log = Path(scratch) / "chromium.log"
        browser = Browser(executable, Path(scratch) / "profile", log)
        try:
            yield browser
        except BaseException as exc:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            exc.add_note(f"chromium's output ends with:\n{tail}")
            raise
        finally:
            browser.close()
