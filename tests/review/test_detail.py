"""What the reviewer sees of a submission, as plain data: the comparison is apk/diff.py's alone, red flags."""

from __future__ import annotations

from reviewer_app.apk.diff import diff_versions
from reviewer_app.apk.facts import ApkFacts, Signer
from reviewer_app.review.detail import code_changes, load_detail, permission_entries
from reviewer_app.review.flags import red_flags

DANGEROUS = {"android.permission.CAMERA", "android.permission.READ_CONTACTS", "android.permission.SEND_SMS"}
KEY_A = Signer(sha256="a" * 64, subject="CN=A", schemes=("v2",))
KEY_B = Signer(sha256="b" * 64, subject="CN=B", schemes=("v2",))


def facts(name: str, **values) -> ApkFacts:
    values.setdefault("signers", [KEY_A])
    return ApkFacts(file=name, ok=True, package="com.example.app", **values)


def test_permissions_dangerous_first_and_added_as_the_version_diff_says():
    previous = facts(
        "v1",
        permissions=["android.permission.INTERNET", "android.permission.SEND_SMS", "x.OLD"],
        implied_permissions=["android.permission.READ_PHONE_STATE"],
    )
    current = facts(
        "v2",
        permissions=[
            "android.permission.INTERNET",
            "android.permission.SEND_SMS",
            "android.permission.READ_CONTACTS",
            "android.permission.CAMERA",
            "android.permission.VIBRATE",
        ],
        implied_permissions=["android.permission.READ_PHONE_STATE", "android.permission.WRITE_EXTERNAL_STORAGE"],
    )
    changes = diff_versions(previous, current)
    requested, implied, removed = permission_entries(current, changes, DANGEROUS.__contains__)
    assert [e.name for e in requested] == [
        "android.permission.CAMERA",
        "android.permission.READ_CONTACTS",
        "android.permission.SEND_SMS",
        "android.permission.INTERNET",
        "android.permission.VIBRATE",
    ]
    # The one rule: exactly what the diff lists, requested and implied alike.
    assert {e.name for e in requested if e.added} == set(changes.permissions_added)
    assert changes.permissions_added == [
        "android.permission.CAMERA",
        "android.permission.READ_CONTACTS",
        "android.permission.VIBRATE",
    ]
    assert [(e.name, e.added) for e in implied] == [
        ("android.permission.READ_PHONE_STATE", False),
        ("android.permission.WRITE_EXTERNAL_STORAGE", True),
    ]
    assert changes.implied_permissions_added == ["android.permission.WRITE_EXTERNAL_STORAGE"]
    assert removed == changes.permissions_removed == ["x.OLD"]
    # Without a previous version nothing is "added".
    requested, _, removed = permission_entries(current, None, DANGEROUS.__contains__)
    assert not any(e.added for e in requested) and removed == []


def test_code_changes_name_the_packages_an_update_brings_in():
    old = facts("v1", classes=["com.app.Main", "com.app.Main$1", "com.app.util.Strings", "Top"])
    new = facts(
        "v2",
        classes=[
            "com.app.Main",
            "com.app.Share",
            "com.app.util.Strings",
            "com.ads.sdk.Banner",
            "com.ads.sdk.Loader",
            "com.pay.Sms",
            "Other",
        ],
    )
    changes = code_changes(old, new)
    assert (changes.added, changes.removed) == (5, 2)
    # com.app gained a class but is not new; the default package was there before.
    assert changes.new_packages == [("com.ads.sdk", 2), ("com.pay", 1)]
    assert diff_versions(old, new).packages_added == changes.new_packages
    same = code_changes(old, old)
    assert (same.added, same.removed, same.new_packages, same.any_code) == (0, 0, [], True)
    assert not code_changes(facts("a", classes=[]), facts("b", classes=[])).any_code
    assert code_changes(old, facts("v2", classes=None)) is None  # one side's DEX unreadable: not compared


def test_red_flags_of_a_package_and_of_an_update():
    clean = facts("clean", version_code=2)
    assert red_flags(clean) == ()
    warned = facts(
        "janus",
        warnings=["w1", "w2", "w3"],
        warning_codes={
            "w1": {"code": "janus_v1_only", "params": {"first": "5.0", "last": "7.0"}},
            "w2": {"code": "prepended_dex", "params": {"size": "112"}},
            "w3": {"code": "icon_no_bitmap", "params": {}},  # worth reading, not a red flag
        },
    )
    flags = red_flags(warned)
    assert [(f.code, f.severity) for f in flags] == [("prepended_dex", 2), ("janus_v1_only", 1)]  # worst first
    assert red_flags(facts("unsigned", signers=[]))[0].code == "no_signer"
    unreadable = red_flags(ApkFacts(file="x", ok=False, error="not a zip archive"))
    assert [(f.code, f.params) for f in unreadable] == [("unreadable", {"reason": "not a zip archive"})]

    approved = facts("v1", version_code=5)
    hijack = facts("v2", version_code=4, signers=[KEY_B])
    update = red_flags(hijack, diff_versions(approved, hijack))
    assert [(f.code, f.source) for f in update] == [("signer_changed", "update"), ("version_not_higher", "update")]
    rotated = facts("v3", version_code=6, signers=[KEY_B], signing_lineage=[KEY_A.sha256])
    assert red_flags(rotated, diff_versions(approved, rotated)) == ()  # a verified key rotation is not a flag


def test_load_detail_claims_reads_compares_and_flags(service, demo_facts, demo_apks, service_as):
    v1 = service.submit_facts(demo_facts["com.example.notes_1.apk"], demo_apks["com.example.notes_1.apk"],
                              kind="new", developer="Acme Apps", tier=5)  # fmt: skip
    assert service.decide(v1.submission_id, "approve").ok
    v2 = service.submit_facts(demo_facts["com.example.notes_2.apk"], demo_apks["com.example.notes_2.apk"],
                              kind="update", developer="Acme Apps", tier=5)  # fmt: skip
    detail = load_detail(service, v2.submission_id)
    assert detail.claim_error is None
    assert detail.view.row.claimed_by == "alice"
    assert detail.changes is not None and detail.changes.permissions_added
    assert {e.name for e in detail.requested if e.added} == set(detail.changes.permissions_added)
    assert detail.code_paths is not None and all(p.endswith(".apk") or "/" in p for p in detail.code_paths)
    assert detail.red_flags == ()
    assert [v.submission_id for v in detail.view.detail.versions] == [v1.submission_id]
    assert detail.view.detail.versions[0].decided_by == "alice"
    # Someone else looking at it: not claimed, and why.
    other = load_detail(service_as("bob"), v2.submission_id)
    assert other.claim_error and "alice" in other.claim_error
