"""The facts of one APK file, as plain data shared by the CLI, the review domain and the GUI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from reviewer_app.apk.permissions import is_dangerous


@dataclass(frozen=True)
class Signer:
    """A certificate that Android's verifier accepts for this APK, with the schemes that vouch for it."""

    sha256: str  # hex SHA-256 of the DER certificate
    subject: str  # distinguished name as apksigner prints it: "CN=..., O=..."
    schemes: tuple[str, ...]  # subset of ("v1", "v2", "v3"), in that order
    issuer: str = ""
    not_before: str | None = None  # ISO 8601
    not_after: str | None = None
    key_algorithm: str = ""
    key_bits: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "subject": self.subject,
            "schemes": list(self.schemes),
            "issuer": self.issuer,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "key_algorithm": self.key_algorithm,
            "key_bits": self.key_bits,
        }


@dataclass(frozen=True)
class PermissionRequest:
    name: str
    max_sdk: int | None = None
    # "uses-permission", "uses-permission-sdk-23" or "implied"
    source: str = "uses-permission"


@dataclass
class ApkFacts:
    """Every field of `reviewer-app inspect --json` (CLI.md), plus what the GUI shows beside them."""

    file: str
    ok: bool = False
    error: str | None = None
    error_code: dict[str, Any] | None = None  # {"code", "params"} of `error` (apk/warnings.py), for the GUI
    sha256: str | None = None
    size: int | None = None
    sha1: str | None = None
    md5: str | None = None
    package: str | None = None
    label: str | None = None
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    max_sdk: int | None = None
    permissions: list[str] = field(default_factory=list)
    permission_requests: list[PermissionRequest] = field(default_factory=list)
    implied_permissions: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    receivers: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    main_activity: str | None = None
    signers: list[Signer] = field(default_factory=list)
    signature_schemes: dict[str, str] = field(default_factory=dict)  # scheme -> "verified" | "failed" | "absent"
    # SHA-256 of the certificates of a verified v3 proof-of-rotation lineage, oldest first: keys this app
    # was signed with before (an update signed by one of them is the same developer's).
    signing_lineage: list[str] = field(default_factory=list)
    icon_png: bytes | None = None
    icon_sha256: str | None = None
    icon_path: str | None = None
    native_abis: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # English warning text -> {"code", "params"} (apk/warnings.py), so the GUI can say it in the reviewer's language
    warning_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    parse_seconds: float | None = None
    classes: list[str] | None = None  # Java names of the classes in its DEX files; read only when asked (diff)

    @property
    def components(self) -> list[str]:
        return sorted({*self.activities, *self.services, *self.receivers, *self.providers})

    def to_json(self) -> dict[str, Any]:
        """The promised JSON record (CLI.md names first; extra fields after them)."""
        return {
            "file": self.file,
            "ok": self.ok,
            "error": self.error,
            "sha256": self.sha256,
            "size": self.size,
            "package": self.package,
            "label": self.label,
            "version_code": self.version_code,
            "version_name": self.version_name,
            "min_sdk": self.min_sdk,
            "target_sdk": self.target_sdk,
            "permissions": list(self.permissions),
            "signers": [s.to_json() for s in self.signers],
            "icon_sha256": self.icon_sha256,
            "native_abis": list(self.native_abis),
            "warnings": list(self.warnings),
            "sha1": self.sha1,
            "md5": self.md5,
            "max_sdk": self.max_sdk,
            "implied_permissions": list(self.implied_permissions),
            # "dangerous": a permission reviewers look at first (apk/permissions.py); not stored back (from_json)
            "permission_requests": [{**asdict(p), "dangerous": is_dangerous(p.name)} for p in self.permission_requests],
            "activities": list(self.activities),
            "services": list(self.services),
            "receivers": list(self.receivers),
            "providers": list(self.providers),
            "main_activity": self.main_activity,
            "signature_schemes": dict(self.signature_schemes),
            "signing_lineage": list(self.signing_lineage),
            "warning_codes": {text: dict(coded) for text, coded in self.warning_codes.items()},
            "error_code": dict(self.error_code) if self.error_code else None,
            "icon_path": self.icon_path,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], icon_png: bytes | None = None) -> ApkFacts:
        """Rebuild facts stored as JSON (the database keeps them beside the artifact)."""
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        values["signers"] = [Signer(**{**s, "schemes": tuple(s.get("schemes", ()))}) for s in data.get("signers", [])]
        fields = set(PermissionRequest.__dataclass_fields__)
        values["permission_requests"] = [
            PermissionRequest(**{k: v for k, v in p.items() if k in fields})
            for p in data.get("permission_requests", [])
        ]
        values.pop("icon_png", None)
        return cls(**values, icon_png=icon_png)
