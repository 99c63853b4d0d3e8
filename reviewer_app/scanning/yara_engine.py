"""The YARA engine: rules (yara-x) over the APK, each DEX file Android would load from it, and every other
entry that is itself a zip archive or a DEX file (code hidden in the package).

Rules come from a folder of .yar/.yara files (`rules_dir`; by default the set shipped in resources/yara),
each file compiled into a namespace of its own name, so a detection reads "namespace:rule". Rules can tell
what they are looking at from two externals the engine sets for every scanned file: `file_kind` ("apk",
"dex" or "embedded") and `file_name` (the APK's own name, or the entry's name inside it).

A rule's meta `verdict` ("malicious" or "suspicious") says what its match means; a rule without one is a
detection ("malicious"), as for any signature a store writes. The shipped rules are heuristics and all say
"suspicious".

The archive is read with the project's capped reader (SafeZip): its caps on entries and decompressed bytes
hold here as for parsing. Nothing from the APK runs: yara-x matches bytes. A scan that could not read part
of the package (a DEX over the caps, a damaged archive) and found nothing is an `error`, never `clean`.
"""

from __future__ import annotations

import hashlib
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip, ZipFormatError
from reviewer_app.paths import resource_path
from reviewer_app.scanning.engine import Engine, EngineResult, Evidence, Verdict

RULE_SUFFIXES = (".yar", ".yara")
ZIP_MAGIC = b"PK\x03\x04"
DEX_MAGIC = b"dex\n"
MAX_EMBEDDED = 512  # embedded archives / DEX files scanned per APK (a game may zip its levels); more is an error
MAX_EVIDENCE_PER_RULE = 5
EXCERPT_CHARS = 60


def shipped_rules_dir() -> Path:
    return resource_path("yara")


@dataclass(frozen=True)
class _Target:
    name: str  # what a reviewer reads: the APK's file name, "classes2.dex", "assets/x.apk"
    kind: str  # file_kind: "apk" | "dex" | "embedded"


class YaraEngine(Engine):
    """Options: `rules_dir` (default: the shipped rules), `timeout_seconds` (per scanned file, yara-x's own
    limit), `limits` (a ParseLimits for the archive; default the project's)."""

    name = "yara"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        rules_dir = options.get("rules_dir")
        self.rules_dir = Path(rules_dir) if rules_dir else shipped_rules_dir()
        self.shipped = not rules_dir
        self.timeout = max(1, int(float(options.get("timeout_seconds") or 60)))
        limits = options.get("limits")
        self.limits = limits if isinstance(limits, ParseLimits) else ParseLimits()
        self._rules: Any = None
        self._problem: tuple[Verdict, str] | None = None
        self._version = ""
        self._signatures = ""
        self._rule_count = 0
        self._load()

    # -- rules -------------------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            import yara_x
        except ImportError:
            self._problem = (Verdict.UNSUPPORTED, "yara-x is not installed (pip install yara-x)")
            return
        from importlib.metadata import PackageNotFoundError, version

        try:
            self._version = f"yara-x {version('yara-x')}"
        except PackageNotFoundError:
            self._version = "yara-x"
        if not self.rules_dir.is_dir():
            self._problem = (Verdict.ERROR, f"YARA rules folder not found: {self.rules_dir}")
            return
        files = sorted(p for p in self.rules_dir.iterdir() if p.suffix.lower() in RULE_SUFFIXES and p.is_file())
        if not files:
            self._problem = (Verdict.ERROR, f"no .yar or .yara files in {self.rules_dir}")
            return
        compiler = yara_x.Compiler()
        compiler.define_global("file_kind", "")
        compiler.define_global("file_name", "")
        digest = hashlib.sha256()
        namespaces: set[str] = set()
        for path in files:
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self._problem = (Verdict.ERROR, f"cannot read YARA rules {path.name}: {exc}")
                return
            digest.update(path.name.encode() + b"\0" + source.encode() + b"\0")
            namespace = path.stem if path.stem not in namespaces else path.name
            namespaces.add(namespace)
            compiler.new_namespace(namespace)
            try:
                compiler.add_source(source, origin=path.name)
            except yara_x.CompileError as exc:
                self._problem = (Verdict.ERROR, f"YARA rules do not compile: {_first_line(str(exc))} ({path.name})")
                return
        self._rules = compiler.build()
        self._rule_count = len(list(self._rules))
        where = "shipped rules" if self.shipped else f"rules in {self.rules_dir.name}/"
        counts = f"{_count(self._rule_count, 'rule')}, {_count(len(files), 'file')}"
        self._signatures = f"{where}: {counts} sha256:{digest.hexdigest()[:12]}"

    def engine_version(self) -> str:
        return self._version

    def signatures_version(self) -> str:
        return self._signatures

    # -- scanning ----------------------------------------------------------------------------------

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        started = time.perf_counter()
        if self._problem is not None:
            verdict, reason = self._problem
            return self._result(verdict, [], started, reason)
        import yara_x

        display = Path(path).name
        try:
            data = _read_capped(Path(path), self.limits.max_file_size)
        except OSError as exc:
            return self._result(Verdict.ERROR, [], started, f"cannot read the file: {exc.strerror or exc}")
        except LimitExceeded as exc:
            return self._result(Verdict.ERROR, [], started, str(exc))
        scanner = yara_x.Scanner(self._rules)
        scanner.set_timeout(self.timeout)
        scanner.max_matches_per_pattern(MAX_EVIDENCE_PER_RULE * 4)
        hits: list[tuple[Any, _Target, bytes]] = []
        problem: str | None = None
        try:
            hits += self._scan_one(scanner, _Target(display, "apk"), data)
            for target, content in _inner_files(data, self.limits):
                hits += self._scan_one(scanner, target, content)
        except yara_x.TimeoutError:
            problem = f"YARA scan ran past {self.timeout} s"
        except yara_x.ScanError as exc:
            problem = f"YARA scan failed: {_first_line(str(exc))}"
        except (ZipFormatError, LimitExceeded, ValueError) as exc:
            problem = f"the package could not be read in full ({_first_line(str(exc))}); its raw bytes were scanned"
        except MemoryError:
            problem = "memory limit exceeded while reading the package"
        return self._verdict(hits, started, problem)

    def _scan_one(self, scanner: Any, target: _Target, content: bytes) -> list[tuple[Any, _Target, bytes]]:
        scanner.set_global("file_kind", target.kind)
        scanner.set_global("file_name", target.name)
        return [(rule, target, content) for rule in scanner.scan(content).matching_rules]

    def _verdict(self, hits: list[tuple[Any, _Target, bytes]], started: float, problem: str | None) -> EngineResult:
        detections: list[str] = []
        evidence: list[Evidence] = []
        verdict = Verdict.CLEAN
        for rule, target, content in hits:
            name = f"{rule.namespace}:{rule.identifier}"
            meta = dict(rule.metadata)
            said = str(meta.get("verdict", "malicious")).lower()
            if said == "malicious":
                verdict = Verdict.MALICIOUS
            elif verdict == Verdict.CLEAN:
                verdict = Verdict.SUSPICIOUS
            if name not in detections:
                detections.append(name)
            evidence += _rule_evidence(name, rule, target, content, str(meta.get("description", "")))
        if verdict == Verdict.CLEAN and problem is not None:
            return self._result(Verdict.ERROR, [], started, problem)
        return self._result(verdict, detections, started, None, evidence)

    def _result(
        self,
        verdict: Verdict,
        detections: list[str],
        started: float,
        error: str | None,
        evidence: list[Evidence] | None = None,
    ) -> EngineResult:
        return EngineResult(
            engine=self.name,
            engine_version=self._version,
            signatures_version=self._signatures,
            verdict=verdict,
            detections=tuple(detections),
            seconds=time.perf_counter() - started,
            evidence=tuple(evidence or ()),
            error=error,
        )


def _inner_files(data: bytes, limits: ParseLimits):
    """(target, bytes) for each DEX file Android would load, in its order, then each other entry that
    starts like a zip archive or a DEX file. Raises ZipFormatError/LimitExceeded for a package that cannot
    be read within the caps."""
    from reviewer_app.apk.dex import dex_files

    archive = SafeZip(data, limits)
    loaded = dex_files(archive)
    for name in loaded:
        yield _Target(name, "dex"), archive.read(name)
    embedded = 0
    for name in archive.namelist():
        if name in loaded or name.endswith("/") or name.startswith("META-INF/"):
            continue
        if _head(archive, name) not in (ZIP_MAGIC, DEX_MAGIC):
            continue
        embedded += 1
        if embedded > MAX_EMBEDDED:
            raise LimitExceeded(f"more than {MAX_EMBEDDED} embedded archives or DEX files")
        yield _Target(name, "embedded"), archive.read(name)


def _head(archive: SafeZip, name: str, size: int = 4) -> bytes:
    """The first bytes of an entry, decompressing no more than that (the entry itself may be huge)."""
    info, start = archive.data_span(name)
    if info.uncompressed_size < size:
        return b""
    raw = archive.data[start : start + min(info.compressed_size, 4096)]
    if info.method == 0:
        return raw[:size]
    try:
        return zlib.decompressobj(-15).decompress(raw, size)
    except zlib.error:
        return b""


def _read_capped(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise LimitExceeded(f"file exceeds size limit ({size} > {limit} bytes)")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"file exceeds size limit ({len(data)} > {limit} bytes)")
    return data


def _rule_evidence(name: str, rule: Any, target: _Target, content: bytes, description: str) -> list[Evidence]:
    """What matched and where: the string's identifier and a printable excerpt, or (for a rule that matched
    on its condition alone, such as the shape of an embedded file) the file itself."""
    found: list[Evidence] = []
    for pattern in rule.patterns:
        for match in pattern.matches:
            if len(found) >= MAX_EVIDENCE_PER_RULE:
                return found
            excerpt = excerpt_of(content[match.offset : match.offset + min(match.length, 4 * EXCERPT_CHARS)])
            found.append(
                Evidence(name, "string", f"{pattern.identifier}: {excerpt}", f"{target.name} @ 0x{match.offset:x}")
            )
            break  # the first match of each string is enough to check it
    if not found:
        found.append(Evidence(name, "file", target.name, description))
    return found


def excerpt_of(raw: bytes) -> str:
    """Matched bytes as a reviewer can read them: text as text (CJK too), other bytes as \\xNN, the
    length/NUL bytes around a DEX string trimmed, at most EXCERPT_CHARS characters."""
    text = raw.decode("utf-8", "backslashreplace")
    shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text.strip("".join(map(chr, range(32)))))
    return shown if len(shown) <= EXCERPT_CHARS else shown[: EXCERPT_CHARS - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else "unknown error"
