"""Engines that misbehave the way a real one can on a hostile file, for the runner's tests (they run in the
runner's own processes, made by "tests.scanning.engines:Name")."""

from __future__ import annotations

import os
import time

from reviewer_app.scanning import Engine, EngineResult, Verdict


class SlowClean(Engine):
    """Clean after `seconds` (1 by default): two of them side by side take one second, not two."""

    name = "slow-clean"

    def scan(self, path) -> EngineResult:
        time.sleep(float(self.options.get("seconds", 1.0)))
        return EngineResult(self.options.get("label", self.name), "1.0", "test", Verdict.CLEAN)


class FindsMarker(Engine):
    """Malicious when the file holds the bytes MALWARE-MARKER: a real look at the file's content."""

    name = "finds-marker"

    def scan(self, path) -> EngineResult:
        with open(path, "rb") as fh:
            data = fh.read()
        if b"MALWARE-MARKER" in data:
            return EngineResult(self.name, "1.0", "test", Verdict.MALICIOUS, ("Test.Marker",))
        return EngineResult(self.name, "1.0", "test", Verdict.CLEAN)


class Hangs(Engine):
    name = "hangs"

    def scan(self, path) -> EngineResult:
        while True:
            time.sleep(1)


class Crashes(Engine):
    name = "crashes"

    def scan(self, path) -> EngineResult:
        os._exit(3)


class EatsMemory(Engine):
    name = "eats-memory"

    def scan(self, path) -> EngineResult:
        hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB, past any test's limit
        return EngineResult(self.name, "1.0", "test", Verdict.CLEAN, (str(len(hog)),))


class Raises(Engine):
    name = "raises"

    def scan(self, path) -> EngineResult:
        raise RuntimeError("the engine's library failed on this file")
