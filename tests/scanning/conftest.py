"""Real scanners for the engine tests: ClamAV (clamscan, and a clamd of the tests' own, started on signature
files the tests write) and yara-x, on APKs built here from the project's demo APKs.

Without ClamAV or yara-x the tests that need them are skipped with the reason, and fail under CI=true
(tests/corpus.py's missing_reference). Nothing here runs anything from an APK."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import struct
import subprocess
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DEMO_APKS
from tests.corpus import missing_reference


def build_apk(source: Path, target: Path, entries: dict[str, bytes], *, stored: bool = False) -> Path:
    """A copy of `source` with `entries` added (deflated, or stored as they are)."""
    shutil.copyfile(source, target)
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "a", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def _uleb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def build_dex(strings: list[str]) -> bytes:
    """A real (minimal) DEX file whose string table holds `strings` (text of the Basic Multilingual Plane):
    header, string ids, string data and map list, with its checksum and SHA-1 signature, as Android's
    dx/d8 lay them out. No classes: what the rules read of a DEX is its strings."""
    texts = sorted(set(strings))  # string ids are sorted by UTF-16 code units (= code points in the BMP)
    header_size, n = 0x70, len(texts)
    ids_off = header_size
    data_off = ids_off + 4 * n
    data = bytearray()
    offsets = []
    for text in texts:
        offsets.append(data_off + len(data))
        data += _uleb128(len(text)) + text.encode("utf-8") + b"\0"  # MUTF-8 = UTF-8 in the BMP without NUL
    data += bytes(-len(data) % 4)
    map_off = data_off + len(data)
    items = [(0x0000, 1, 0)] + ([(0x0001, n, ids_off), (0x2002, n, data_off)] if n else []) + [(0x1000, 1, map_off)]
    map_list = struct.pack("<I", len(items)) + b"".join(struct.pack("<HHII", t, 0, size, off) for t, size, off in items)
    file_size = map_off + len(map_list)
    header = bytearray(header_size)
    header[0:8] = b"dex\n035\0"
    struct.pack_into("<IIIIII", header, 32, file_size, header_size, 0x12345678, 0, 0, map_off)
    struct.pack_into("<II", header, 56, n, ids_off if n else 0)  # string ids; types, protos ... classes: none
    struct.pack_into("<II", header, 104, file_size - data_off, data_off)
    dex = bytearray(header) + b"".join(struct.pack("<I", off) for off in offsets) + data + map_list
    dex[12:32] = hashlib.sha1(bytes(dex[32:])).digest()
    dex[8:12] = struct.pack("<I", zlib.adler32(bytes(dex[12:])))
    return bytes(dex)


def need_yara_x():
    try:
        import yara_x
    except ImportError:
        missing_reference("yara-x is not installed (pip install yara-x)")
    return yara_x


# -- ClamAV ------------------------------------------------------------------------------------------

# Bytes that exist nowhere but in the APK built below, inside a deflated entry: ClamAV finds them only if it
# opens the archive, as it must for an APK.
MARKER = b"reviewer-app body-signature test marker 5d1c9e0a77"
BODY_SIGNATURE = "ReviewerApp.Test.BodyMarker"
HASH_SIGNATURE = "ReviewerApp.Test.HashOfWeather"
STREAM_MAX = 256 * 1024  # the test clamd's StreamMaxLength


def need_clamav() -> tuple[str, str]:
    """(clamscan, clamd): Debian's clamav and clamav-daemon."""
    clamscan = shutil.which("clamscan")
    clamd = shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if os.access(p, os.X_OK)), None)
    if not clamscan or not clamd:
        missing_reference("ClamAV is not installed (Debian packages clamav and clamav-daemon)")
    return clamscan, clamd


@dataclass(frozen=True)
class Samples:
    clean: Path  # a demo APK as it is
    body: Path  # a demo APK with MARKER inside a deflated entry: the body signature's target
    hashed: Path  # a demo APK whose MD5 the hash signature names
    big: Path  # over the test clamd's StreamMaxLength
    signatures: Path  # store.hdb + store.ndb


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> Samples:
    root = tmp_path_factory.mktemp("clamav-samples")
    filler = b"an ordinary asset of an ordinary app. " * 40
    body = build_apk(
        DEMO_APKS / "com.example.notes_1.apk", root / "body.apk", {"assets/data.bin": filler + MARKER + filler}
    )
    assert MARKER not in body.read_bytes()  # deflated: only a scanner that opens the archive sees it
    hashed = root / "weather.apk"
    shutil.copyfile(DEMO_APKS / "com.example.weather_30.apk", hashed)
    big = build_apk(DEMO_APKS / "com.example.notes_2.apk", root / "big.apk", {"assets/video.bin": os.urandom(2 * STREAM_MAX)}, stored=True)  # fmt: skip
    signatures = root / "signatures"
    signatures.mkdir()
    data = hashed.read_bytes()
    (signatures / "store.hdb").write_text(f"{hashlib.md5(data).hexdigest()}:{len(data)}:{HASH_SIGNATURE}\n")
    (signatures / "store.ndb").write_text(f"{BODY_SIGNATURE}:0:*:{MARKER.hex()}\n")
    (signatures / "README.txt").write_text("not a signature file: ignored\n")
    clean = root / "notes.apk"
    shutil.copyfile(DEMO_APKS / "com.example.notes_2.apk", clean)
    return Samples(clean, body, hashed, big, signatures)


@dataclass(frozen=True)
class Clamd:
    socket: str
    log: Path


def _ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd(samples, tmp_path_factory):
    """A clamd of the tests' own: its database is the store signatures written above (no official
    database), its stream limit small; stopped at the end of the session."""
    _clamscan, program = need_clamav()
    root = tmp_path_factory.mktemp("clamd")
    sock = root / "clamd.sock"
    log = root / "clamd.log"
    conf = root / "clamd.conf"
    conf.write_text(
        "\n".join(
            [
                f"LocalSocket {sock}",
                f"DatabaseDirectory {samples.signatures}",
                f"TemporaryDirectory {root}",
                f"LogFile {log}",
                f"PidFile {root / 'clamd.pid'}",
                f"StreamMaxLength {STREAM_MAX // 1024}K",
                "Foreground yes",
                "SelfCheck 0",
                "MaxThreads 2",
                "",
            ]
        )
    )
    process = subprocess.Popen([program, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not _ping(str(sock)):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                pytest.fail(f"clamd did not start (exit {process.poll()}): {tail}")
            time.sleep(0.2)
        yield Clamd(str(sock), log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
