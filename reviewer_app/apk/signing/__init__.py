"""Verification of APK signatures (JAR/v1, APK Signature Scheme v2, v3 and v3.1).

The rules follow Android's own verifier library, apksig (`com.android.apksig.ApkVerifier`), the way
`apksigner verify --print-certs` applies them for the APK's SDK range: which schemes are checked for
which platform versions, which signature algorithms count, how content digests are computed, and which
certificates the platform ends up trusting. Reviewers see "who signed this app" from the result, so an
APK that carries a decoy certificate (for example a lone `META-INF/*.RSA` file next to a real v2/v3
signature, fdroidserver issue 1128) must show the certificate Android actually uses, plus a warning
naming the decoy.

Nothing here raises for a malformed signature: every problem becomes a one-line error in the
`SchemeResult` of its scheme. Only `LimitExceeded` from `SafeZip` propagates.

The modules, each building on the ones before it:

- `sdk`: the API levels at which the rules change;
- `der`, `names`: a strict DER reader, distinguished names as apksigner prints them;
- `certificates`, `algorithms`: certificates, the signature and digest algorithms Android accepts;
- `signing_block`, `lineage`, `v2_v3`: the APK Signing Block and its v2/v3/v3.1 signers, key rotation;
- `jar_manifest`, `jar_signature_block`, `jar_signature`: the JAR signature (v1);
- `report`, `verdict`, `findings`, `verify`: what Android decides, what the reviewer is told.
"""

from reviewer_app.apk.signing.certificates import signer_from_der
from reviewer_app.apk.signing.names import format_dn
from reviewer_app.apk.signing.report import SchemeResult, SigningReport
from reviewer_app.apk.signing.verify import verify_signatures

__all__ = [
    "SchemeResult",
    "SigningReport",
    "format_dn",
    "signer_from_der",
    "verify_signatures",
]
