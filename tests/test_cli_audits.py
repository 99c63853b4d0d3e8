"""`reviewer-app audit sample` (CLI.md): one JSON line per sampled decision with exactly its promised keys,
the same seed giving the same sample, recorded in the audit queue unless --dry-run. Run through the parser
this module adds to the `audit` command."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

import pytest

from reviewer_app.cli_audits import add_sample_parser, cmd_audit_sample


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    root = argparse.ArgumentParser(prog="reviewer-app")
    sub = root.add_subparsers(dest="command")
    audit = sub.add_parser("audit", parents=[common])
    add_sample_parser(audit.add_subparsers(dest="audit_command", required=True), common)
    return root


def run(service, capsys, *argv: str) -> tuple[int, list[dict], str]:
    args = parser().parse_args(["audit", "sample", *argv])
    status = cmd_audit_sample(args, service)
    out = capsys.readouterr()
    return status, [json.loads(line) for line in out.out.splitlines()], out.err


@pytest.fixture
def decided(service, service_as):
    """Twelve decisions by alice and bob, of two kinds."""
    bob = service_as("bob")
    now = service.clock()
    for i in range(12):
        sid = service.store.add_submission(kind="new" if i % 3 else "update", developer="Acme", tier=3,
                                           submitted_at=now, deadline=now + timedelta(hours=24),
                                           package=f"com.example.cli{i}")  # fmt: skip
        assert (service if i % 2 else bob).decide(sid, "approve").ok
    return service_as("lena")


def test_sample_prints_the_promised_keys_and_the_same_seed_gives_the_same_sample(decided, capsys):
    status, first, err = run(decided, capsys, "--rate", "0.25", "--seed", "11", "--dry-run", "--json")
    assert status == 0 and first
    assert all(set(record) == {"decision_id", "submission_id", "reviewer"} for record in first)
    assert {r["reviewer"] for r in first} == {"alice", "bob"}
    assert "seed 11" in err and len(err.strip().splitlines()) == 1
    assert run(decided, capsys, "--rate", "0.25", "--seed", "11", "--dry-run", "--json")[1] == first
    assert decided.store.audit_queue("lena") == []  # a dry run queues nothing

    status, queued, _ = run(decided, capsys, "--rate", "0.25", "--seed", "11", "--json")
    assert status == 0 and queued == first
    assert {i.decision_id for i in decided.store.audit_queue("lena")} == {r["decision_id"] for r in first}
    stored = {d.decision_id: d for d in decided.store.decisions()}
    assert all(stored[r["decision_id"]].submission_id == r["submission_id"] for r in first)
    assert all(stored[r["decision_id"]].reviewer == r["reviewer"] for r in first)
    # Sampled once: the same command now takes other decisions.
    again = run(decided, capsys, "--rate", "0.25", "--seed", "11", "--json")[1]
    assert not {r["decision_id"] for r in again} & {r["decision_id"] for r in first}


def test_overrides_and_text_output(decided, capsys):
    status, records, _ = run(decided, capsys, "--rate", "0", "--reviewer-rate", "bob=1", "--first-n", "0",
                             "--seed", "3", "--dry-run", "--json")  # fmt: skip
    assert status == 0 and {r["reviewer"] for r in records} == {"bob"} and len(records) == 6
    args = parser().parse_args(["audit", "sample", "--rate", "0.1", "--seed", "3", "--dry-run"])
    assert cmd_audit_sample(args, decided) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all("submission" in line for line in lines)


@pytest.mark.parametrize("argv", [["--rate", "2"], ["--rate", "x"], ["--seed", "-4"], ["--kind-rate", "new"]])
def test_bad_values_are_refused_by_the_parser(argv, capsys):
    with pytest.raises(SystemExit) as stopped:
        parser().parse_args(["audit", "sample", *argv])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("reviewer-app audit sample: error:")
