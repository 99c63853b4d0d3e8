"""The ClamAV engine: clamd over its socket (INSTREAM) when one is configured, else `clamscan`.

Signatures: ClamAV's official database (main, daily and bytecode .cvd/.cld in `database_dirs`, by default
/var/lib/clamav, where freshclam keeps it) and the store's own signature files (`signatures_dirs`: folders
of .hdb/.hsb/.ndb/.ldb/.yar ... files). clamd loads the database of its own DatabaseDirectory and cannot be
handed more per request, so with a daemon the store's files are checked by `clamscan` with those files
alone (they load in a fraction of a second; the official database is what makes clamscan slow).

Nothing is ever silently clean: a file over clamd's StreamMaxLength, over the size limit, or that ClamAV
stopped scanning at one of its limits (Heuristics.Limits.Exceeded.*, which clamscan is asked to report)
gives `error` with the reason. A detection from a signature is `malicious`; one from ClamAV's heuristics
alone (Heuristics.*) is `suspicious`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import shutil
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer_app.scanning.engine import Engine, EngineResult, Evidence, Verdict

OFFICIAL_DATABASES = ("main", "daily", "bytecode")
# What a store may supply: hash (.hdb MD5, .hsb SHA-256, and their PE-section kinds), body (.ndb), logical
# (.ldb), YARA (.yar/.yara) signatures, and the allow-lists that silence a false positive (.fp/.sfp by
# hash, .ign2 by signature name).
SIGNATURE_SUFFIXES = frozenset(
    {".hdb", ".hsb", ".mdb", ".msb", ".ndb", ".ldb", ".yar", ".yara", ".fp", ".sfp", ".ign2", ".cdb", ".idb"}
)
DEFAULT_DATABASE_DIRS = ("/var/lib/clamav",)
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_FILE_SIZE = 1024 * 1024 * 1024  # ParseLimits.max_file_size: the largest APK the store takes
CHUNK = 64 * 1024
LIMITS_PREFIX = "Heuristics.Limits.Exceeded"


class SocketAddressError(ValueError):
    pass


@dataclass(frozen=True)
class ClamdAddress:
    family: str  # "unix" | "tcp"
    path: str = ""
    host: str = ""
    port: int = 0

    def __str__(self) -> str:
        return self.path if self.family == "unix" else f"{self.host}:{self.port}"


def parse_socket(text: str) -> ClamdAddress:
    """clamd's address: a unix socket path ("/run/clamav/clamd.ctl", "unix:/path") or TCP ("tcp://host:port",
    "tcp:host:port", "host:port"), as clamd.conf's LocalSocket / TCPSocket + TCPAddr say."""
    text = str(text).strip()
    if not text:
        raise SocketAddressError("empty clamd socket")
    for prefix in ("unix://", "unix:"):
        if text.startswith(prefix):
            return ClamdAddress("unix", path=text[len(prefix) :])
    tcp = text
    for prefix in ("tcp://", "tcp:"):
        if text.startswith(prefix):
            tcp = text[len(prefix) :]
            break
    else:
        if text.startswith(("/", ".", "~")) or ":" not in text:
            return ClamdAddress("unix", path=os.path.expanduser(text))
    host, _, port = tcp.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SocketAddressError(f"not a clamd socket: {text!r} (use a socket path or tcp:HOST:PORT)")
    return ClamdAddress("tcp", host=host, port=int(port))


@dataclass(frozen=True)
class Database:
    name: str  # "daily"
    path: Path
    version: int | None


def read_database_header(path: Path) -> int | None:
    """The version in a .cvd/.cld header ("ClamAV-VDB:build time:version:signatures:..."), or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    fields = head.split(b":")
    if len(fields) < 4 or fields[0] != b"ClamAV-VDB":
        return None
    try:
        return int(fields[2])
    except ValueError:
        return None


def official_databases(dirs: list[str]) -> list[Database]:
    """main/daily/bytecode of the first folder that holds each, the newer of .cld and .cvd."""
    found: dict[str, Database] = {}
    for folder in dirs:
        for name in OFFICIAL_DATABASES:
            if name in found:
                continue
            candidates = [Path(folder) / f"{name}{suffix}" for suffix in (".cld", ".cvd")]
            present = [Database(name, p, read_database_header(p)) for p in candidates if p.is_file()]
            if present:
                found[name] = max(present, key=lambda db: db.version or -1)
    return [found[name] for name in OFFICIAL_DATABASES if name in found]


def signature_files(dirs: list[str]) -> list[Path]:
    """The store's signature files, folder by folder, sorted by name. Raises FileNotFoundError for a
    folder that is not there (a share not mounted must not pass for "no signatures")."""
    files: list[Path] = []
    for folder in dirs:
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"ClamAV signatures folder not found: {path}")
        files += sorted(p for p in path.iterdir() if p.suffix.lower() in SIGNATURE_SUFFIXES and p.is_file())
    return files


def _signatures_text(official: list[Any], store_files: list[Path]) -> str:
    parts = [f"{db.name} {db.version if db.version is not None else '?'}" for db in official]
    if store_files:
        parts.append(f"store sigs {len(store_files)} files sha256:{_digest(store_files)}")
    return ", ".join(parts)


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with contextlib.suppress(OSError):  # an unreadable file fails clamscan, which says so
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _die_with_parent() -> None:
    """In clamscan's child process: die with the engine's process (the runner kills an engine that runs past
    its time limit; its clamscan must not stay behind)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class ScanProblem(Exception):
    """This file could not be scanned; `verdict` (error, timeout, unsupported) and the one-line reason."""

    def __init__(self, verdict: Verdict, reason: str) -> None:
        super().__init__(reason)
        self.verdict = verdict


class ClamavEngine(Engine):
    """Options: `socket` (clamd; None: clamscan), `database_dirs` (official database folders),
    `signatures_dirs` (the store's signature folders), `clamscan` (the program; default from PATH),
    `timeout_seconds`, `max_file_size` (bytes)."""

    name = "clamav"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        raw_socket = options.get("socket")
        self.address = parse_socket(raw_socket) if raw_socket else None
        database_dirs = options.get("database_dirs")  # [] is "none": only the store's signatures
        self.database_dirs = [str(d) for d in (DEFAULT_DATABASE_DIRS if database_dirs is None else database_dirs)]
        self.signatures_dirs = [str(d) for d in options.get("signatures_dirs") or ()]
        self.clamscan = options.get("clamscan") or shutil.which("clamscan")
        self.timeout = float(options.get("timeout_seconds") or DEFAULT_TIMEOUT)
        self.max_file_size = int(options.get("max_file_size") or DEFAULT_MAX_FILE_SIZE)
        self._engine_version = ""
        self._signatures_version = ""

    def engine_version(self) -> str:
        if not self._engine_version:
            self._describe()
        return self._engine_version

    def signatures_version(self) -> str:
        if not self._signatures_version:
            self._describe()
        return self._signatures_version

    def _describe(self) -> None:
        """The versions before any scan: workers compare them with those of earlier scans to know when live
        apps must be scanned again (new official database, new store signature files)."""
        try:
            store_files = signature_files(self.signatures_dirs)
            if self.address is not None:
                self._clamd_versions(self._clamd_command(b"zVERSION\0", time.perf_counter() + 10), store_files)
            elif self.clamscan:
                self._engine_version = self._clamscan_version()
                self._signatures_version = _signatures_text(official_databases(self.database_dirs), store_files)
        except (ScanProblem, OSError):
            pass  # said by the scan itself

    # -- scanning ----------------------------------------------------------------------------------

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        started = time.perf_counter()
        deadline = started + self.timeout
        path = os.path.abspath(os.fspath(path))
        try:
            size = os.stat(path).st_size
            if size > self.max_file_size:
                raise ScanProblem(Verdict.ERROR, f"file exceeds size limit ({size} > {self.max_file_size} bytes)")
            store_files = signature_files(self.signatures_dirs)
            if self.address is not None:
                names = self._scan_clamd(path, size, store_files, deadline)
            else:
                names = self._scan_clamscan(path, store_files, deadline)
        except ScanProblem as exc:
            return self._result(exc.verdict, [], started, str(exc))
        except FileNotFoundError as exc:
            return self._result(Verdict.ERROR, [], started, str(exc))
        return self._judge(names, started)

    def _clamd_versions(self, answer: str, store_files: list[Path]) -> None:
        version = answer.strip()
        product, _, rest = version.partition("/")
        self._engine_version = product or version
        daily = rest.split("/", 1)[0]
        parts = [f"clamd daily {daily}" if daily.isdigit() else "clamd: no official daily database"]
        if store_files:
            parts.append(f"store sigs {len(store_files)} files sha256:{_digest(store_files)}")
        self._signatures_version = ", ".join(parts)

    def _scan_clamd(self, path: str, size: int, store_files: list[Path], deadline: float) -> list[tuple[str, str]]:
        self._clamd_versions(self._clamd_command(b"zVERSION\0", deadline), store_files)
        names = [(name, f"clamd at {self.address}") for name in self._instream(path, size, deadline)]
        if store_files:
            if not self.clamscan:
                raise ScanProblem(
                    Verdict.ERROR,
                    "clamscan is needed for the store's signature files (clamd reads only its own database) "
                    "and is not installed (Debian package clamav)",
                )
            names += self._run_clamscan(path, [str(p) for p in store_files], deadline)
        return names

    def _scan_clamscan(self, path: str, store_files: list[Path], deadline: float) -> list[tuple[str, str]]:
        if not self.clamscan:
            raise ScanProblem(
                Verdict.UNSUPPORTED,
                "clamscan is not installed (Debian package clamav) and no clamd socket is configured",
            )
        official = official_databases(self.database_dirs)
        if not official and not store_files:
            raise ScanProblem(
                Verdict.ERROR,
                f"no ClamAV signatures: no official database in {', '.join(self.database_dirs) or 'no folder'} "
                "and no store signature files",
            )
        if not self._engine_version:
            self._engine_version = self._clamscan_version()
        self._signatures_version = _signatures_text(official, store_files)
        databases = [str(db.path) for db in official] + [str(p) for p in store_files]
        return self._run_clamscan(path, databases, deadline)

    def _clamscan_version(self) -> str:
        try:
            proc = subprocess.run([str(self.clamscan), "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return "ClamAV"
        return proc.stdout.strip().split("/", 1)[0] or "ClamAV"

    def _run_clamscan(self, path: str, databases: list[str], deadline: float) -> list[tuple[str, str]]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise ScanProblem(Verdict.TIMEOUT, f"ClamAV ran past {self.timeout:g} s")
        limit_mb = max(1, -(-self.max_file_size // (1024 * 1024)))
        command = [
            str(self.clamscan),
            "--no-summary",
            "--stdout",
            "--infected",
            "--allmatch",
            "--alert-exceeds-max=yes",  # a file ClamAV stops reading at a limit is reported, not "OK"
            f"--max-filesize={limit_mb}M",
            f"--max-scansize={min(4095, 4 * limit_mb)}M",
            f"--max-scantime={int(remaining * 1000)}",
        ]
        for database in databases:
            command += ["-d", database]
        command.append(path)
        try:
            proc = subprocess.run(
                command,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=remaining,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        except subprocess.TimeoutExpired:
            raise ScanProblem(Verdict.TIMEOUT, f"clamscan ran past {self.timeout:g} s") from None
        except OSError as exc:
            raise ScanProblem(Verdict.UNSUPPORTED, f"clamscan cannot run: {exc.strerror or exc}") from None
        found = []
        prefix = f"{path}: "
        for line in proc.stdout.splitlines():
            if line.startswith(prefix) and line.endswith(" FOUND"):
                found.append((line[len(prefix) : -len(" FOUND")].strip(), "clamscan"))
        if not found and proc.returncode != 0:
            raise ScanProblem(Verdict.ERROR, f"clamscan failed: {_clamav_error(proc.stderr, proc.stdout)}")
        return found

    # -- clamd -------------------------------------------------------------------------------------

    def _connect(self, deadline: float) -> socket.socket:
        assert self.address is not None
        timeout = max(0.1, deadline - time.perf_counter())
        try:
            if self.address.family == "unix":
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(timeout)
                try:
                    sock.connect(self.address.path)
                except OSError:
                    sock.close()
                    raise
                return sock
            return socket.create_connection((self.address.host, self.address.port), timeout=timeout)
        except OSError as exc:
            raise ScanProblem(
                Verdict.ERROR, f"clamd at {self.address} is not answering: {exc.strerror or exc}"
            ) from None

    def _clamd_command(self, command: bytes, deadline: float) -> str:
        with self._connect(deadline) as sock:
            try:
                sock.sendall(command)
                return _read_reply(sock).decode("utf-8", "replace").strip("\0\n ")
            except OSError as exc:
                raise ScanProblem(Verdict.ERROR, f"clamd at {self.address} failed: {exc}") from None

    def _instream(self, path: str, size: int, deadline: float) -> list[str]:
        """INSTREAM: the file in chunks (a 4-byte big-endian length, the bytes), then a zero length. clamd
        answers "stream: OK", "stream: NAME FOUND" (one per match with AllMatchScan), or an error, and drops
        the connection as soon as the stream goes over its StreamMaxLength."""
        sent = 0
        reply = b""
        with self._connect(deadline) as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                with open(path, "rb") as fh:
                    while chunk := fh.read(CHUNK):
                        if _readable(sock):  # clamd answered early: it refuses the rest
                            break
                        sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                        sent += len(chunk)
                        if time.perf_counter() > deadline:
                            raise ScanProblem(Verdict.TIMEOUT, f"clamd ran past {self.timeout:g} s")
                    else:
                        sock.sendall(struct.pack(">I", 0))
            except ScanProblem:
                raise
            except TimeoutError:
                raise ScanProblem(Verdict.TIMEOUT, f"clamd ran past {self.timeout:g} s") from None
            except OSError:
                pass  # clamd hung up mid-stream: what it said before (if anything) is read below
            try:
                reply = _read_reply(sock)
            except TimeoutError:
                raise ScanProblem(Verdict.TIMEOUT, f"clamd ran past {self.timeout:g} s") from None
            except OSError:
                pass
        text = reply.decode("utf-8", "replace")
        lines = [line.strip() for line in text.replace("\0", "\n").splitlines() if line.strip()]
        if any("size limit exceeded" in line.lower() for line in lines):
            raise ScanProblem(
                Verdict.ERROR,
                f"file of {size} bytes is over clamd's StreamMaxLength: not scanned (raise StreamMaxLength in clamd.conf)",
            )
        if not lines:
            raise ScanProblem(
                Verdict.ERROR,
                f"clamd closed the connection after {sent} of {size} bytes without a verdict "
                "(over its StreamMaxLength?)",
            )
        found: list[str] = []
        for line in lines:
            body = line.split(": ", 1)[1] if line.startswith("stream: ") else line
            if body.endswith(" FOUND"):
                found.append(body[: -len(" FOUND")].strip())
            elif body.endswith("ERROR"):
                raise ScanProblem(Verdict.ERROR, f"clamd: {body.removesuffix('ERROR').strip()}")
            elif body != "OK":
                raise ScanProblem(Verdict.ERROR, f"clamd answered {line!r}")
        return found

    # -- verdict -----------------------------------------------------------------------------------

    def _judge(self, names: list[tuple[str, str]], started: float) -> EngineResult:
        detections: list[str] = []
        evidence: list[Evidence] = []
        limits: list[str] = []
        signature_found = heuristic_found = False
        for name, where in names:
            if name.startswith(LIMITS_PREFIX):
                if name not in limits:
                    limits.append(name)
                    evidence.append(Evidence(name, "limit", name, f"ClamAV stopped scanning at a limit ({where})"))
                continue
            if name in detections:
                continue
            detections.append(name)
            if name.startswith("Heuristics."):
                heuristic_found = True
                source = "ClamAV heuristic"
            else:
                signature_found = True
                source = "store signature" if name.endswith(".UNOFFICIAL") else "ClamAV official database"
            evidence.append(Evidence(name, "signature", name, f"{source} ({where})"))
        if signature_found:
            return self._result(Verdict.MALICIOUS, detections, started, None, evidence)
        if heuristic_found:
            return self._result(Verdict.SUSPICIOUS, detections, started, None, evidence)
        if limits:
            shown = ", ".join(name.removeprefix(LIMITS_PREFIX + ".") for name in limits)
            return self._result(
                Verdict.ERROR, [], started, f"ClamAV stopped at its limits ({shown}): not scanned in full", evidence
            )
        return self._result(Verdict.CLEAN, [], started, None)

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
            engine_version=self._engine_version,
            signatures_version=self._signatures_version,
            verdict=verdict,
            detections=tuple(detections),
            seconds=time.perf_counter() - started,
            evidence=tuple(evidence or ()),
            error=error,
        )


def _readable(sock: socket.socket) -> bool:
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return bool(readable)


def _read_reply(sock: socket.socket, limit: int = 64 * 1024) -> bytes:
    """Everything clamd says until it closes the connection (it does after one command)."""
    reply = b""
    while len(reply) < limit:
        try:
            part = sock.recv(4096)
        except ConnectionResetError:
            break
        if not part:
            break
        reply += part
    return reply


def _clamav_error(stderr: str, stdout: str) -> str:
    """The line of ClamAV's output that says what went wrong."""
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower():
            return line.removeprefix("LibClamAV Error: ").removeprefix("ERROR: ")
    return lines[0] if lines else "no output"
