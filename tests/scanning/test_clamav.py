"""The ClamAV engine against real ClamAV: clamscan, and a clamd of the tests' own over its socket, with
signature files the tests write (an MD5 hash signature of one APK, a body signature of bytes inside a
deflated entry of another)."""

from __future__ import annotations

import pytest

from reviewer_app.scanning import EngineSpec, Gate, Verdict
from reviewer_app.scanning.clamav import (
    ClamavEngine,
    ClamdAddress,
    SocketAddressError,
    official_databases,
    parse_socket,
)
from reviewer_app.scanning.runner import ScanRunner
from tests.conftest import DEMO_APKS
from tests.scanning.conftest import BODY_SIGNATURE, HASH_SIGNATURE, build_apk, need_clamav

BODY = BODY_SIGNATURE + ".UNOFFICIAL"  # ClamAV's name for a signature from outside its official database
HASH = HASH_SIGNATURE + ".UNOFFICIAL"


@pytest.fixture(scope="module")
def clamscan():
    return need_clamav()[0]


def test_clamscan_finds_the_hash_and_the_body_signature_and_nothing_in_a_clean_apk(clamscan, samples, tmp_path):
    engine = ClamavEngine(signatures_dirs=[str(samples.signatures)], database_dirs=[str(tmp_path)])
    hashed, body, clean = (engine.scan(p) for p in (samples.hashed, samples.body, samples.clean))
    assert (hashed.verdict, hashed.detections) == (Verdict.MALICIOUS, (HASH,))
    assert (body.verdict, body.detections) == (Verdict.MALICIOUS, (BODY,))  # found inside the deflated entry
    assert (clean.verdict, clean.detections, clean.error) == (Verdict.CLEAN, (), None)
    assert body.evidence[0].rule == BODY and body.evidence[0].kind == "signature"
    assert "store signature" in body.evidence[0].detail and "clamscan" in body.evidence[0].detail
    assert body.engine_version.startswith("ClamAV ") and body.engine_version[7].isdigit()
    assert body.signatures_version.startswith("store sigs 2 files sha256:")  # README.txt is not a signature file
    assert body.seconds > 0


def test_the_signatures_version_changes_with_the_store_signature_files(clamscan, samples, tmp_path):
    copy = tmp_path / "sigs"
    copy.mkdir()
    for name in ("store.hdb", "store.ndb"):
        (copy / name).write_bytes((samples.signatures / name).read_bytes())
    before = ClamavEngine(signatures_dirs=[str(copy)], database_dirs=[]).scan(samples.clean).signatures_version
    (copy / "more.ndb").write_text(f"ReviewerApp.Test.Other:0:*:{b'another marker of the tests'.hex()}\n")
    after = ClamavEngine(signatures_dirs=[str(copy)], database_dirs=[]).scan(samples.clean).signatures_version
    assert before.startswith("store sigs 2 files") and after.startswith("store sigs 3 files")
    assert before.split("sha256:")[1] != after.split("sha256:")[1]


def test_clamd_over_its_socket_finds_what_clamscan_finds(clamd, samples):
    engine = ClamavEngine(socket=clamd.socket)
    hashed, body, clean = (engine.scan(p) for p in (samples.hashed, samples.body, samples.clean))
    assert (hashed.verdict, hashed.detections) == (Verdict.MALICIOUS, (HASH,))
    assert (body.verdict, body.detections) == (Verdict.MALICIOUS, (BODY,))
    assert clean.verdict == Verdict.CLEAN and clean.error is None
    assert f"clamd at {clamd.socket}" in body.evidence[0].detail
    assert body.engine_version.startswith("ClamAV ")
    assert body.signatures_version == "clamd: no official daily database"  # the test clamd has only our files


def test_a_file_over_clamds_stream_limit_is_an_error_never_clean(clamd, samples):
    result = ClamavEngine(socket=clamd.socket).scan(samples.big)
    assert result.verdict == Verdict.ERROR and result.detections == ()
    assert "StreamMaxLength" in result.error and str(samples.big.stat().st_size) in result.error
    # ...and the connection it refused leaves clamd serving the next file
    assert ClamavEngine(socket=clamd.socket).scan(samples.body).verdict == Verdict.MALICIOUS


def test_with_clamd_the_stores_extra_signature_folder_is_still_applied(clamd, clamscan, samples, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    target = build_apk(DEMO_APKS / "com.example.wallet_120.apk", tmp_path / "wallet.apk", {"res/raw/x.bin": b"extra-only marker 91ab " * 3})  # fmt: skip
    (extra / "extra.ndb").write_text(f"ReviewerApp.Test.ExtraOnly:0:*:{b'extra-only marker 91ab'.hex()}\n")
    daemon_only = ClamavEngine(socket=clamd.socket).scan(target)
    both = ClamavEngine(socket=clamd.socket, signatures_dirs=[str(extra)]).scan(target)
    assert daemon_only.verdict == Verdict.CLEAN  # clamd does not know the extra signature...
    assert both.detections == ("ReviewerApp.Test.ExtraOnly.UNOFFICIAL",)  # ...clamscan with the extra files does
    assert both.signatures_version.startswith("clamd: no official daily database, store sigs 1 files sha256:")


def test_clamav_stopping_at_its_limits_is_an_error_not_clean(clamscan, samples, tmp_path):
    """A zip bomb in small: six entries of 1 MiB of zeros (a few KiB on disk) past the scan-size limit, which
    is 4 x the file-size limit (1 MiB here)."""
    zeros = {f"assets/level{i}.bin": bytes(1 << 20) for i in range(6)}
    bomb = build_apk(DEMO_APKS / "com.example.notes_1.apk", tmp_path / "bomb.apk", zeros)
    assert bomb.stat().st_size < 64 * 1024
    result = ClamavEngine(signatures_dirs=[str(samples.signatures)], database_dirs=[], max_file_size=1 << 20).scan(bomb)
    assert result.verdict == Verdict.ERROR and result.detections == ()
    assert "limits" in result.error and "not scanned in full" in result.error
    assert result.evidence and all(e.kind == "limit" for e in result.evidence)
    assert all(e.rule.startswith("Heuristics.Limits.Exceeded") for e in result.evidence)


def test_a_file_over_the_size_limit_is_not_handed_to_clamav(samples):
    result = ClamavEngine(signatures_dirs=[str(samples.signatures)], max_file_size=1000).scan(samples.clean)
    assert result.verdict == Verdict.ERROR and "exceeds size limit" in result.error


def test_a_damaged_official_database_is_an_error_and_its_version_is_read_from_its_header(clamscan, samples, tmp_path):
    official = tmp_path / "clamav"
    official.mkdir()
    header = b"ClamAV-VDB:14 Nov 2024 08-32 -0500:27455:2070478:90:X:X:builder:1731591180"
    (official / "daily.cvd").write_bytes(header.ljust(512, b" ") + b"not a signed database")
    (official / "main.cvd").write_bytes(header.replace(b":27455:", b":62:").ljust(512, b" "))
    (official / "main.cld").write_bytes(header.replace(b":27455:", b":63:").ljust(512, b" "))
    assert [(db.name, db.path.name, db.version) for db in official_databases([str(official)])] == [
        ("main", "main.cld", 63),  # the newer of .cld and .cvd
        ("daily", "daily.cvd", 27455),
    ]
    result = ClamavEngine(database_dirs=[str(official)]).scan(samples.clean)
    assert result.verdict == Verdict.ERROR and result.error.startswith("clamscan failed:")
    assert result.signatures_version == "main 63, daily 27455"


def test_without_any_signatures_there_is_no_clean_verdict(clamscan, samples, tmp_path):
    result = ClamavEngine(database_dirs=[str(tmp_path)]).scan(samples.clean)
    assert result.verdict == Verdict.ERROR
    assert result.error == f"no ClamAV signatures: no official database in {tmp_path} and no store signature files"
    none = ClamavEngine(database_dirs=[]).scan(samples.clean)  # [] is no folder at all, not the default one
    assert none.error == "no ClamAV signatures: no official database in no folder and no store signature files"


def test_a_signature_folder_that_is_not_there_is_an_error(samples, tmp_path):
    result = ClamavEngine(signatures_dirs=[str(tmp_path / "share")]).scan(samples.clean)
    assert (
        result.verdict == Verdict.ERROR and result.error == f"ClamAV signatures folder not found: {tmp_path / 'share'}"
    )


def test_without_clamscan_or_clamd_the_engine_says_why(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no clamscan on it
    result = ClamavEngine(signatures_dirs=[str(samples.signatures)]).scan(samples.clean)
    assert result.verdict == Verdict.UNSUPPORTED
    assert "clamscan is not installed" in result.error and "no clamd socket" in result.error
    down = ClamavEngine(socket=str(tmp_path / "clamd.sock")).scan(samples.clean)
    assert down.verdict == Verdict.ERROR
    assert down.error.startswith(f"clamd at {tmp_path / 'clamd.sock'} is not answering")


def test_clamd_with_the_stores_folder_but_no_clamscan_is_an_error(clamd, samples, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = ClamavEngine(socket=clamd.socket, signatures_dirs=[str(samples.signatures)]).scan(samples.clean)
    assert result.verdict == Verdict.ERROR and "clamscan is needed for the store's signature files" in result.error


def test_through_the_runner_each_engine_process_keeps_its_engine(clamd, samples):
    specs = [EngineSpec("clamav", {"socket": clamd.socket}, timeout_seconds=60)]
    with ScanRunner(specs, "any_clean") as runner:
        reports = [runner.scan(p) for p in (samples.clean, samples.hashed, samples.big)]
    assert [r.decision.gate for r in reports] == [Gate.PASS, Gate.BLOCK, Gate.HOLD]
    assert reports[1].results[0].detections == (HASH,)
    assert reports[2].results[0].verdict == Verdict.ERROR  # over the stream limit: held, never passed


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("/run/clamav/clamd.ctl", ClamdAddress("unix", path="/run/clamav/clamd.ctl")),
        ("unix:/tmp/c.sock", ClamdAddress("unix", path="/tmp/c.sock")),
        ("tcp://scan.example:3310", ClamdAddress("tcp", host="scan.example", port=3310)),
        ("tcp:127.0.0.1:3310", ClamdAddress("tcp", host="127.0.0.1", port=3310)),
        ("localhost:3310", ClamdAddress("tcp", host="localhost", port=3310)),
        ("[::1]:3310", ClamdAddress("tcp", host="::1", port=3310)),
    ],
)
def test_socket_addresses_as_clamd_conf_names_them(text, address):
    assert parse_socket(text) == address


@pytest.mark.parametrize("text", ["", "tcp:host", "tcp:host:port", "host:0", "host:70000"])
def test_a_socket_address_that_means_nothing_is_one_clear_error(text):
    with pytest.raises(SocketAddressError):
        parse_socket(text)
