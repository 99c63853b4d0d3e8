"""The `android_rules` scan engine: the versions it reports, and one scan from a file to an EngineResult
(the verdict's reason, each hit's evidence, the notes on what could not be read).

A file that is no APK is `unsupported`; one that cannot be read is `error`, never `clean`.
"""

from __future__ import annotations

import os
import time
from typing import Any

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import ZipFormatError
from reviewer_app.scanning.android_rules.catalogue import RULES_VERSION, Severity
from reviewer_app.scanning.android_rules.limits import caps_from_option
from reviewer_app.scanning.android_rules.reading import UnreadableApk, gather
from reviewer_app.scanning.android_rules.tables import signatures_version
from reviewer_app.scanning.android_rules.verdict import evaluate
from reviewer_app.scanning.dexrefs import DexLimits
from reviewer_app.scanning.engine import Engine, EngineResult, Evidence, Verdict


class AndroidRules(Engine):
    """Built-in Android risk rules ("android_rules"). Options: none needed; `parse_limits` and `dex_limits`
    (a ParseLimits / DexLimits, or a table of their fields, as a `[scanning.android_rules]` settings table
    gives them) override the caps."""

    name = "android_rules"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.parse_limits = caps_from_option(options.get("parse_limits"), ParseLimits)
        self.dex_limits = caps_from_option(options.get("dex_limits"), DexLimits)

    def engine_version(self) -> str:
        return f"android_rules {RULES_VERSION}"

    def signatures_version(self) -> str:
        return signatures_version()

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        started = time.perf_counter()

        def failed(verdict: Verdict, reason: str) -> EngineResult:
            return EngineResult(self.name, self.engine_version(), self.signatures_version(), verdict,
                                seconds=time.perf_counter() - started, error=_one_line(reason))  # fmt: skip

        try:
            app = gather(path, self.parse_limits, self.dex_limits)
        except UnreadableApk as exc:
            return failed(Verdict.UNSUPPORTED if exc.unsupported else Verdict.ERROR, str(exc))
        except (ZipFormatError, LimitExceeded, OSError) as exc:
            return failed(Verdict.ERROR, str(exc) or type(exc).__name__)
        decision, hits = evaluate(app)
        evidence = [Evidence("verdict", "reason", decision.reason)]
        for hit in hits:
            evidence.extend(hit.shown())
        for note in app.notes:
            evidence.append(Evidence("notes", "note", _one_line(note)))
        detections = tuple(h.code for h in hits if h.rule.severity != Severity.INFO)
        return EngineResult(
            self.name,
            self.engine_version(),
            self.signatures_version(),
            decision.verdict,
            detections,
            time.perf_counter() - started,
            tuple(evidence),
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300] or "unreadable APK"
