"""APK file -> facts and fingerprints. No Qt, no database."""

from reviewer_app.apk.facts import ApkFacts, PermissionRequest, Signer
from reviewer_app.apk.limits import LimitExceeded, ParseLimits

__all__ = ["ApkFacts", "FactsPool", "LimitExceeded", "ParseLimits", "PermissionRequest", "Signer", "read_apk"]


def __getattr__(name: str):
    # The parser pulls in androguard and lxml; load them only when a caller parses something.
    if name == "read_apk":
        from reviewer_app.apk.reader import read_apk

        return read_apk
    if name == "FactsPool":
        from reviewer_app.apk.pool import FactsPool

        return FactsPool
    raise AttributeError(name)
