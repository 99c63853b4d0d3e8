"""Code fingerprints: how much of an app's own code another app carries, for spotting repackaged apps.

A counterfeiter who repackages an app keeps its code (class names, method names and shapes) and changes the
name, icon and signature. The set of the app's own class and method signatures is read from the DEX tables
(reviewer_app.apk.dexsig: no code is walked, decompiled or run; androguard's analysis is not used) and
summarised as a MinHash (`datasketch`, 128 permutations), whose share of equal values estimates the Jaccard
similarity of two sets in constant space. Classes of common libraries (AndroidX, Google, Kotlin, OkHttp,
ad SDKs...) are left out first: two unrelated apps that both bundle AndroidX must not look alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from datasketch import MinHash

from reviewer_app.apk.dex import java_name
from reviewer_app.apk.dexsig import DexSignatures, read_signatures
from reviewer_app.apk.limits import LimitExceeded, ParseLimits
from reviewer_app.apk.safezip import SafeZip

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # named, so that prints stored by one datasketch version compare with another's

# Package prefixes of libraries that many unrelated apps bundle (as DEX type descriptors).
LIBRARY_PREFIXES: tuple[str, ...] = tuple(
    f"L{name.replace('.', '/')}/"
    for name in (
        "android",  # the framework's own classes, when an app carries copies
        "androidx",
        "com.android",
        "com.google",
        "dalvik",
        "java",
        "javax",
        "kotlin",
        "kotlinx",
        "okhttp3",
        "okio",
        "retrofit2",
        "com.squareup",
        "io.reactivex",
        "io.reactivex.rxjava3",
        "org.jetbrains",
        "org.intellij",
        "com.facebook",
        "com.fasterxml",
        "com.bumptech.glide",
        "org.apache",
        "org.json",
        "org.xmlpull",
        "org.greenrobot",
        "dagger",
        "butterknife",
        "io.grpc",
        "com.tencent.mm.opensdk",
        "com.alipay",
        # ad and analytics SDKs
        "com.unity3d",
        "com.applovin",
        "com.bytedance.sdk",
        "com.qq.e",
        "com.baidu.mobads",
        "com.baidu.mobstat",
        "com.umeng",
        "com.kwad",
        "com.mbridge",
        "com.mintegral",
        "com.ironsource",
        "com.vungle",
        "com.chartboost",
        "com.inmobi",
        "com.adcolony",
        "com.appsflyer",
        "com.adjust.sdk",
        "com.flurry",
        "com.tapjoy",
        "com.startapp",
        "com.huawei.hms",
        "com.xiaomi.ad",
        "com.sigmob",
    )
)
MAX_APK_BYTES = ParseLimits().max_file_size


@dataclass(frozen=True)
class CodePrint:
    minhash: tuple[int, ...]  # NUM_PERM values of the MinHash
    classes: int  # the app's own classes (libraries left out)


def is_library(descriptor: str) -> bool:
    return descriptor.startswith(LIBRARY_PREFIXES) or not descriptor.startswith("L")


def app_features(signatures: DexSignatures) -> set[str]:
    """One feature per app class (its descriptor and superclass) and one per declared method (class, name,
    prototype shape)."""
    features: set[str] = set()
    for descriptor, sig in signatures.classes.items():
        if is_library(descriptor):
            continue
        features.add(f"{descriptor}:{sig.superclass}")
        features.update(f"{descriptor}->{name}:{shorty}" for name, shorty in sig.methods)
    return features


def _read(apk_path: str | os.PathLike[str], limits: ParseLimits) -> DexSignatures:
    file = Path(apk_path)
    size = file.stat().st_size
    if size > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({size} > {limits.max_file_size} bytes)")
    with file.open("rb") as fh:
        data = fh.read(limits.max_file_size + 1)
    if len(data) > limits.max_file_size:
        raise LimitExceeded(f"file exceeds size limit ({len(data)} > {limits.max_file_size} bytes)")
    return read_signatures(SafeZip(data, limits))


def minhash_of(features: set[str]) -> tuple[int, ...]:
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    sketch.update_batch([f.encode("utf-8", "surrogatepass") for f in sorted(features)])
    return tuple(int(v) for v in sketch.hashvalues)


def code_print(apk_path: str | os.PathLike[str], limits: ParseLimits | None = None) -> CodePrint | None:
    """The fingerprint of an APK's own code, or None when it has none (no DEX, or only library classes).

    Raises ZipFormatError or LimitExceeded, with a one-line reason, for an archive that cannot be read
    within the caps; a damaged DEX file gives the classes read before the damage."""
    signatures = _read(apk_path, limits or ParseLimits())
    features = app_features(signatures)
    if not features:
        return None
    classes = sum(1 for d in signatures.classes if not is_library(d))
    return CodePrint(minhash_of(features), classes)


def code_similarity(a: CodePrint, b: CodePrint) -> float:
    """The MinHash estimate of the Jaccard similarity of the two apps' code features (0..1)."""
    if len(a.minhash) != len(b.minhash):
        raise ValueError("code prints made with different numbers of permutations")
    return sum(1 for x, y in zip(a.minhash, b.minhash, strict=True) if x == y) / len(a.minhash)


def shared_classes(
    apk_a: str | os.PathLike[str],
    apk_b: str | os.PathLike[str],
    limit: int = 50,
    limits: ParseLimits | None = None,
) -> list[str]:
    """The app classes (Java names, libraries left out) that both APKs define, sorted, at most `limit`."""
    limits = limits or ParseLimits()
    a = {d for d in _read(apk_a, limits).classes if not is_library(d)}
    b = {d for d in _read(apk_b, limits).classes if not is_library(d)}
    return sorted(java_name(d) for d in a & b)[:limit]
