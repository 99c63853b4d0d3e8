"""What signature verification returns: one `SchemeResult` per scheme, and the `SigningReport`.

Conventions of `SchemeResult`: `present` says whether the APK carries that kind of signature;
`verified` is what apksigner prints as "Verified using vN scheme". A scheme that is present but not
needed for the SDK range (v1 when min SDK >= 24 and v2/v3 exist; v2 when min SDK >= 28 and v3 exists)
is not checked: `verified` is False and `errors` is empty, except for structural problems worth naming
(a `META-INF/*.RSA` block without its `.SF` file is no JAR signature at all). `certificates` of a scheme
that did not verify are the certificates it claims, read without verification; only `signers` of the
report are certificates Android accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer_app.apk.facts import Signer


@dataclass
class SchemeResult:
    scheme: str  # "v1", "v2", "v3", "v3.1"
    present: bool
    verified: bool
    errors: list[str]  # one-line reasons
    certificates: list[bytes]  # DER signer certificates (first cert of each signer), in signer order
    # v3/v3.1 only: per signer (min_sdk, max_sdk) and proof-of-rotation lineage certificates, oldest first
    sdk_ranges: list[tuple[int, int]] = field(default_factory=list)
    lineage: list[bytes] = field(default_factory=list)


@dataclass
class SigningReport:
    signers: list[Signer]  # accepted certificates, primary (the one Android uses on the newest SDK) first
    schemes: dict[str, SchemeResult]  # "v1", "v2", "v3" always; "v3.1" when present
    warnings: list[str]
    verifies: bool  # True when apksigner would print "Verifies" for this SDK range
