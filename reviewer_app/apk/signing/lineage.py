"""Proof-of-rotation (SigningCertificateLineage): the chain of certificates a v3 signer rotated through.

Each certificate of the lineage is signed by the one before it; a lineage that does not verify is a
forgery, not a rotation.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer_app.apk.signing.algorithms import _SIG_ALGS, _KeyError, _load_public_key, _verify_raw
from reviewer_app.apk.signing.certificates import _Cert, _load_cert
from reviewer_app.apk.signing.signing_block import _Malformed, _Reader


@dataclass
class _LineageNode:
    cert: _Cert
    parent_sig_alg: int  # algorithm the previous certificate used to sign this node
    sig_alg: int  # algorithm this certificate uses to sign the next node
    signature: bytes
    flags: int

    def key(self) -> tuple:
        return (self.cert.der, self.parent_sig_alg, self.sig_alg, self.signature, self.flags)


class _LineageForgery(Exception):
    pass


class _LineageMismatch(Exception):
    pass


def _parse_lineage(value: bytes) -> list[_LineageNode]:
    reader = _Reader(memoryview(value))
    if not reader.remaining():
        raise _Malformed("empty lineage")
    version = reader.u32()
    if version != 1:
        raise _LineageMismatch(f"unknown proof-of-rotation lineage version {version}")
    nodes: list[_LineageNode] = []
    last_cert: _Cert | None = None
    last_alg = 0
    seen: set[bytes] = set()
    while reader.remaining():
        node = _Reader(reader.prefixed())
        signed = node.prefixed()
        flags = node.u32()
        sig_alg_id = node.u32()
        signature = bytes(node.prefixed())
        if last_cert is not None:
            alg = _SIG_ALGS.get(last_alg)
            if alg is None:
                raise _Malformed("unknown lineage signature algorithm")
            try:
                key = _load_public_key(last_cert.spki, alg.key)
                ok = _verify_raw(key, alg.key, alg.hash, alg.pss, signed, signature)
            except _KeyError as exc:
                raise _LineageForgery(str(exc)) from None
            if not ok:
                raise _LineageForgery(f"signature of certificate #{len(nodes) + 1} does not verify")
        signed_reader = _Reader(signed)
        encoded = bytes(signed_reader.prefixed())
        signed_alg = signed_reader.u32()
        if last_cert is not None and signed_alg != last_alg:
            raise _LineageForgery(f"signing algorithm mismatch for certificate #{len(nodes) + 1}")
        try:
            cert = _load_cert(encoded)
        except ValueError:
            raise _LineageForgery(f"cannot decode certificate #{len(nodes) + 1}") from None
        if cert.der in seen:
            raise _LineageForgery("duplicate certificate in lineage")
        seen.add(cert.der)
        nodes.append(_LineageNode(cert, signed_alg, sig_alg_id, signature, flags))
        last_cert, last_alg = cert, sig_alg_id
    if not nodes:
        raise _Malformed("empty lineage")
    return nodes
