"""Resource fingerprints: which of an app's resource files another app carries byte for byte.

Repackaged apps keep most of the original's images, layouts and assets even when the code is obfuscated
anew, so the set of content digests of the files under `res/` and `assets/` (as FSquaDRA compares them) is
a cheap second opinion on a suspected copy. Files that very many apps share (stock launcher icons, library
layouts) say nothing about copying: the caller passes that common set and it is left out of the Jaccard
similarity. The archive is untrusted: it is read with `SafeZip`, whose caps bound what is decompressed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip

PREFIXES = ("res/", "assets/")
DIGEST_CHARS = 32  # the first 128 bits of SHA-256, as hex


@dataclass(frozen=True)
class ResourcePrint:
    digests: frozenset[str]  # one per distinct non-empty file under res/ and assets/


def _open(apk_path: str | os.PathLike[str], limits: ParseLimits) -> SafeZip:
    file = Path(apk_path)
    size = file.stat().st_size
    if size > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({size} > {limits.max_file_size} bytes)")
    with file.open("rb") as fh:
        data = fh.read(limits.max_file_size + 1)
    if len(data) > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({len(data)} > {limits.max_file_size} bytes)")
    return SafeZip(data, limits)


def resource_digests(zf: SafeZip) -> dict[str, str]:
    """Entry name -> digest of its content, for every non-empty file under res/ and assets/.
    Raises LimitExceeded when the entries decompress past the archive's caps."""
    out: dict[str, str] = {}
    for name in zf.namelist():
        if not name.startswith(PREFIXES) or name.endswith("/"):
            continue
        digest = hashlib.sha256()
        size = 0
        for chunk in zf.iter_chunks(name):
            digest.update(chunk)
            size += len(chunk)
        if size:
            out[name] = digest.hexdigest()[:DIGEST_CHARS]
    return out


def resource_print(apk_path: str | os.PathLike[str], limits: ParseLimits | None = None) -> ResourcePrint:
    """The digests of an APK's resource files. Raises ZipFormatError or LimitExceeded, with a one-line
    reason, for an archive that cannot be read within the caps."""
    return ResourcePrint(frozenset(resource_digests(_open(apk_path, limits or ParseLimits())).values()))


def resource_similarity(a: ResourcePrint, b: ResourcePrint, common: frozenset[str] = frozenset()) -> float:
    """Jaccard similarity of the two digest sets, leaving out the digests in `common` (files found in very
    many apps); 0.0 when nothing is left."""
    left, right = a.digests - common, b.digests - common
    union = len(left | right)
    return len(left & right) / union if union else 0.0


def shared_resources(
    apk_a: str | os.PathLike[str],
    apk_b: str | os.PathLike[str],
    limit: int = 50,
    common: frozenset[str] = frozenset(),
    limits: ParseLimits | None = None,
) -> list[str]:
    """Names (in the first APK) of the resource files whose content the second one also carries, sorted,
    at most `limit`; files in `common` are left out."""
    limits = limits or ParseLimits()
    a = resource_digests(_open(apk_a, limits))
    b = set(resource_digests(_open(apk_b, limits)).values()) - common
    return sorted(name for name, digest in a.items() if digest in b)[:limit]
