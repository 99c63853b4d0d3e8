"""Hostile and broken files: each gives one clear error record, nothing raises, caps hold."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from reviewer_app.apk.limits import LimitExceeded, MiB, ParseLimits
from reviewer_app.apk.pool import FactsPool
from reviewer_app.apk.reader import read_apk
from reviewer_app.apk.safezip import SafeZip


def write_zip(path: Path, entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def write_bomb(path: Path, name: str, size: int, declared: int | None = None) -> Path:
    """A deflated entry of `size` zero bytes; optionally lie about its size in the central directory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    zero = bytes(MiB)
    body = b"".join(comp.compress(zero) for _ in range(size // MiB)) + comp.flush()
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(zero, crc)
    usize = size if declared is None else declared
    fname = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body), usize, len(fname), 0) + fname
    central = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(body),
            usize,
            len(fname),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + fname
    )
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    path.write_bytes(local + body + central + eocd)
    return path


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "not a zip archive"),
        (os.urandom(4096), "not a zip archive"),
        (b"PK\x05\x06" + bytes(18), "empty zip archive"),
    ],
)
def test_files_that_are_not_zip_archives(tmp_path, content, error):
    path = tmp_path / "bad.apk"
    path.write_bytes(content)
    facts = read_apk(path)
    assert not facts.ok and facts.error == error
    assert facts.sha256 is not None and facts.size == len(content)


def test_missing_empty_and_garbage_manifests(tmp_path):
    missing = read_apk(write_zip(tmp_path / "a.apk", {"classes.dex": b"dex\n035\0"}))
    empty = read_apk(write_zip(tmp_path / "b.apk", {"AndroidManifest.xml": b""}))
    garbage = read_apk(write_zip(tmp_path / "c.apk", {"AndroidManifest.xml": os.urandom(512)}))
    text = read_apk(write_zip(tmp_path / "d.apk", {"AndroidManifest.xml": b"<manifest package='a.b'/>"}))
    assert missing.error == "AndroidManifest.xml missing"
    assert empty.error == "AndroidManifest.xml is empty"
    assert not garbage.ok and garbage.error.startswith("AndroidManifest.xml")
    assert not text.ok and "not compiled" in text.error
    for facts in (missing, empty, garbage, text):
        assert facts.package is None and "\n" not in facts.error


def test_paths_that_are_not_files(tmp_path):
    assert read_apk(tmp_path / "nope.apk").error == "no such file"
    assert read_apk(tmp_path).error == "is a directory"


def test_file_size_cap(tmp_path):
    path = write_zip(tmp_path / "big.apk", {"AndroidManifest.xml": os.urandom(4096)}, zipfile.ZIP_STORED)
    facts = read_apk(path, ParseLimits(max_file_size=1024))
    assert not facts.ok and facts.error.startswith("file exceeds size limit")


def test_too_many_entries(tmp_path):
    path = write_zip(tmp_path / "many.apk", {f"res/raw/f{i}": b"x" for i in range(50)})
    facts = read_apk(path, ParseLimits(max_entries=10))
    assert facts.error == "too many zip entries (50 > 10)"
    assert facts.error_code == {"code": "too_many_entries", "params": {"count": "50", "limit": "10"}}


def test_declared_decompressed_size_cap(tmp_path):
    path = write_bomb(tmp_path / "bomb.apk", "AndroidManifest.xml", 4 * MiB)
    facts = read_apk(path, ParseLimits(max_entry_size=1 * MiB))
    assert facts.error == "decompressed size exceeds limit"


def test_lying_decompressed_size_is_caught_while_inflating(tmp_path):
    path = write_bomb(tmp_path / "liar.apk", "AndroidManifest.xml", 8 * MiB, declared=100)
    facts = read_apk(path, ParseLimits(max_entry_size=1 * MiB))
    assert facts.error == "decompressed size exceeds limit"


def test_truncated_apk(tmp_path, demo_apk):
    data = demo_apk.read_bytes()
    path = tmp_path / "cut.apk"
    path.write_bytes(data[: len(data) // 2])
    facts = read_apk(path)
    assert not facts.ok and facts.error.startswith("not a zip archive")


def test_pool_keeps_order_and_isolates_bad_files(tmp_path, demo_apk):
    bad = tmp_path / "bad.apk"
    bad.write_bytes(b"not an apk")
    with FactsPool(workers=2) as pool:
        results = list(pool.inspect([str(demo_apk), str(bad), str(demo_apk)]))
    assert [r.ok for r in results] == [True, False, True]
    assert [r.file for r in results] == [str(demo_apk), str(bad), str(demo_apk)]
    assert results[0].package and results[0].sha256 == results[2].sha256


def with_huge_resources(path: Path, demo_apk: Path, mib: int) -> Path:
    """The demo APK with a resources.arsc that inflates to `mib` MiB of zeros."""
    with zipfile.ZipFile(demo_apk) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "resources.arsc":
                dst.writestr(info.filename, src.read(info))
        with dst.open("resources.arsc", "w") as out:
            zero = bytes(MiB)
            for _ in range(mib):
                out.write(zero)
    return path


def test_pool_stops_a_parse_that_runs_too_long(tmp_path, demo_apk):
    """480 MiB of resources: legal under the size caps, slow to read (about 5 s here). The deadline leaves
    the replacement worker room to start and parse the next file on a loaded machine."""
    slow = with_huge_resources(tmp_path / "slow.apk", demo_apk, 480)
    with FactsPool(workers=1, limits=ParseLimits(timeout_seconds=1.0, max_entry_size=1024 * MiB)) as pool:
        slow_facts, good = pool.inspect([str(slow), str(demo_apk)])
    assert not slow_facts.ok and slow_facts.error == "parse time exceeds limit"
    assert slow_facts.error_code == {"code": "parse_timeout", "params": {}}
    assert good.ok  # the worker that ran out of time was replaced


def test_pool_caps_memory_of_a_worker(tmp_path, demo_apk):
    bomb = with_huge_resources(tmp_path / "mem.apk", demo_apk, 400)
    limits = ParseLimits(memory_bytes=128 * MiB, max_entry_size=1024 * MiB)
    with FactsPool(workers=1, limits=limits) as pool:
        bomb_facts, good = pool.inspect([str(bomb), str(demo_apk)])
    assert not bomb_facts.ok and "memory" in bomb_facts.error
    assert good.ok  # the next file still parses in a fresh or recovered worker


def test_a_highly_compressed_entry_within_the_caps_is_read_as_android_reads_it(tmp_path, demo_apk):
    """Android refuses no entry for its compression ratio; neither does the workstation (a reviewer would
    otherwise not see an app that installs). The size caps bound what such an entry costs."""
    zeros = bytes(8 * MiB)
    path = tmp_path / "zeros.apk"
    with zipfile.ZipFile(demo_apk) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("assets/zeros.bin", zeros)
        compressed = dst.getinfo("assets/zeros.bin").compress_size
    assert len(zeros) / compressed > 1000
    assert SafeZip(path.read_bytes()).read("assets/zeros.bin") == zeros
    facts = read_apk(path)
    assert facts.ok and facts.package == read_apk(demo_apk).package
    assert not any("decompress" in w for w in facts.warnings)
    # The same entry past the per-entry cap is refused.
    assert read_apk(path, ParseLimits(max_entry_size=4 * MiB)).error == "decompressed size exceeds limit"


def test_total_decompressed_size_cap(tmp_path):
    """Entries each under the per-entry cap, together over the total cap: refused from the sizes they
    declare, and while inflating when the declared sizes lie."""
    path = write_zip(tmp_path / "many.apk", {f"assets/{i}.bin": bytes(2 * MiB) for i in range(3)})
    caps = ParseLimits(max_entry_size=4 * MiB, max_total_size=5 * MiB)
    with pytest.raises(LimitExceeded, match="decompressed size exceeds limit"):
        SafeZip(path.read_bytes(), caps)
    zf = SafeZip(path.read_bytes(), ParseLimits(max_entry_size=4 * MiB))
    zf.limits = caps  # as if the central directory had declared less than the entries hold
    zf.read("assets/0.bin")
    zf.read("assets/1.bin")
    with pytest.raises(LimitExceeded, match="decompressed size exceeds limit"):
        zf.read("assets/2.bin")
