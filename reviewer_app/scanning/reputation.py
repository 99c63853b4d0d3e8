"""The reputation engine: is this APK file, or a certificate that signs it, on the store's blocklists?

Team leads keep two blocklists (stored in the database, edited elsewhere): SHA-256s of APK files and
SHA-256s of signing certificates, each with the reason it was listed. This engine knows no database: the
lists come in its options, as the worker that reads them hands them over:

    EngineSpec("reputation", {"sha256": {hex: reason}, "certificates": {hex: reason}, "version": "..."})

(a list of hex digests, without reasons, is taken too; digests may be written with colons or in upper case,
as tools print them).

- The file's SHA-256 is read in chunks, so any file can be checked in bounded memory.
- The certificates are the ones Android accepts for the APK (v1/v2/v3, as `apksigner verify
  --print-certs` names them) and the earlier certificates of its v3 signing lineage, read with the project's
  capped APK reader (`read_apk`). An APK whose signature cannot be read (unsigned, damaged, not an APK,
  over the size cap) just gets no certificate check, which the result names; its file hash is still
  checked. With no certificate blocklist the APK is not parsed at all.

A hit is `malicious` ("Blocklist.APK", "Blocklist.Certificate"), with the listed digest and its reason as
evidence. No hit is `clean` that does not vouch (`EngineResult.vouches` False): a lookup that found nothing
says nothing about the package, so the gate counts it as nothing (gate.py).

`signatures_version()` is the lists' `version` when the caller gives one, else a short hash of the listed
digests (not of the reasons: a reworded reason finds nothing new, so it triggers no re-scan).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from reviewer_app.apk.limits import ParseLimits
from reviewer_app.apk.reader import read_apk
from reviewer_app.scanning.engine import Engine, EngineResult, Evidence, Verdict

ENGINE_VERSION = "reputation 1"
APK_DETECTION = "Blocklist.APK"
CERTIFICATE_DETECTION = "Blocklist.Certificate"
CHUNK = 1024 * 1024
_HEX = re.compile(r"^[0-9a-f]{64}$")


def _digests(value: object, option: str) -> dict[str, str]:
    """hex SHA-256 (lower case, no separators) -> reason, from a table or a list of digests. A malformed
    digest is an error, not a silent miss: a list that cannot match must not look like one that did not."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        pairs: Iterable[tuple[object, object]] = value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        pairs = ((item, "") for item in value)
    else:
        raise ValueError(f"reputation option {option!r} must be a table of SHA-256 -> reason or a list of SHA-256s")
    found: dict[str, str] = {}
    for key, reason in pairs:
        digest = re.sub(r"[\s:]", "", str(key)).lower()
        if not _HEX.match(digest):
            raise ValueError(f"reputation option {option!r}: not a SHA-256 in hex: {str(key)[:80]!r}")
        found[digest] = " ".join(str(reason or "").split())
    return found


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The file's SHA-256, read in chunks (bounded memory whatever its size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ReputationEngine(Engine):
    """Blocklists of APK files and signing certificates ("reputation"). Options: `sha256` and
    `certificates` (hex SHA-256 -> reason), `version` (the lists' version), `limits` (a ParseLimits for
    reading the signature; default the project's)."""

    name = "reputation"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.sha256 = _digests(options.get("sha256"), "sha256")
        self.certificates = _digests(options.get("certificates"), "certificates")
        limits = options.get("limits")
        self.limits = limits if isinstance(limits, ParseLimits) else ParseLimits()
        version = options.get("version")
        self._signatures = str(version) if version not in (None, "") else self._lists_hash()

    def _lists_hash(self) -> str:
        digest = hashlib.sha256()
        for kind, table in (("sha256", self.sha256), ("certificates", self.certificates)):
            for key in sorted(table):
                digest.update(f"{kind}:{key}\n".encode())
        return f"blocklists: {len(self.sha256)} APK, {len(self.certificates)} certificates sha256:{digest.hexdigest()[:12]}"

    def engine_version(self) -> str:
        return ENGINE_VERSION

    def signatures_version(self) -> str:
        return self._signatures

    def scan(self, path: str | os.PathLike[str]) -> EngineResult:
        started = time.perf_counter()
        try:
            sha256 = file_sha256(path)
        except OSError as exc:
            return EngineResult(self.name, self.engine_version(), self.signatures_version(), Verdict.ERROR,
                                seconds=time.perf_counter() - started,
                                error=f"cannot read the file: {exc.strerror or exc}")  # fmt: skip
        hits: list[Evidence] = []
        notes: list[Evidence] = []
        if sha256 in self.sha256:
            hits.append(Evidence("blocklist", "hash", sha256, self.sha256[sha256]))
        else:
            notes.append(Evidence("blocklist", "note", f"APK SHA-256 {sha256} is not on the blocklist",
                                  f"{len(self.sha256)} listed"))  # fmt: skip
        certificate_hits = self._certificates(path, notes)
        hits.extend(certificate_hits)
        detections = tuple(
            name
            for name, kind in ((APK_DETECTION, "hash"), (CERTIFICATE_DETECTION, "certificate"))
            if any(e.kind == kind for e in hits)
        )
        verdict = Verdict.MALICIOUS if hits else Verdict.CLEAN
        return EngineResult(
            self.name,
            self.engine_version(),
            self.signatures_version(),
            verdict,
            detections,
            time.perf_counter() - started,
            tuple(hits + notes),
            vouches=bool(hits),  # no hit: a lookup that found nothing says nothing about the package
        )

    def _certificates(self, path: str | os.PathLike[str], notes: list[Evidence]) -> list[Evidence]:
        """Evidence for the blocklisted certificates that sign the APK; what was (not) checked goes to `notes`."""
        if not self.certificates:
            notes.append(Evidence("blocklist", "note", "certificates not checked: the certificate blocklist is empty"))
            return []
        facts = read_apk(path, self.limits)
        if not facts.ok:
            reason = facts.error or "unreadable APK"
            notes.append(Evidence("blocklist", "note", f"certificates not checked: {reason}"))
            return []
        signers = [s.sha256.lower() for s in facts.signers]
        if not signers:
            notes.append(Evidence("blocklist", "note",
                                  "certificates not checked: no signature that Android accepts"))  # fmt: skip
            return []
        hits = [
            Evidence("blocklist", "certificate", s, self.certificates[s]) for s in signers if s in self.certificates
        ]
        earlier = [c.lower() for c in facts.signing_lineage if c.lower() not in signers]
        for digest in earlier:
            if digest in self.certificates:
                detail = f"{self.certificates[digest]} (an earlier certificate of its v3 signing lineage)".lstrip()
                hits.append(Evidence("blocklist", "certificate", digest, detail))
        if not hits:
            checked = len(signers) + len(earlier)
            notes.append(Evidence("blocklist", "note", f"no listed certificate among the {checked} that sign it",
                                  f"{len(self.certificates)} listed"))  # fmt: skip
        return hits
