"""Reason codes a reviewer attaches to a rejection; developers see the message, leads see the codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReasonCode:
    code: str
    title: str  # English; the GUI translates it
    description: str


REASONS: tuple[ReasonCode, ...] = (
    ReasonCode("malware", "Malware detected", "A scanner or a reviewer found malicious behaviour."),
    ReasonCode("fee_deduction", "Hidden charges", "Sends premium SMS or charges users without clear consent."),
    ReasonCode(
        "counterfeit", "Counterfeit / impersonation", "Copies another app's name or icon, signed by someone else."
    ),
    ReasonCode("privacy", "Excessive permissions", "Requests sensitive permissions its features do not need."),
    ReasonCode("signature", "Signature problem", "The APK's signature does not verify or changed unexpectedly."),
    ReasonCode("crash", "Crashes or does not start", "Fails to install, launch or run on test devices."),
    ReasonCode("metadata", "Misleading listing", "Name, description or screenshots do not match the app."),
    ReasonCode("content", "Prohibited content", "Content not allowed by store policy."),
    ReasonCode("ads", "Intrusive ads", "Ads that block use of the app or the device."),
    ReasonCode("other", "Other", "Explained in the message to the developer."),
)

REASON_CODES = frozenset(r.code for r in REASONS)
