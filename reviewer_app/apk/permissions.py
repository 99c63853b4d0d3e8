"""Protection levels of Android platform permissions, from androguard's AOSP tables."""

from __future__ import annotations

from functools import lru_cache

LATEST_API = 34

# Not "dangerous" to Android, but what reviewers of this store look at first (fee deduction, device control).
SENSITIVE_EXTRA = frozenset(
    {
        "android.permission.BIND_DEVICE_ADMIN",
        "android.permission.BIND_ACCESSIBILITY_SERVICE",
        "android.permission.SYSTEM_ALERT_WINDOW",
        "android.permission.REQUEST_INSTALL_PACKAGES",
        "android.permission.WRITE_SETTINGS",
        "android.permission.BIND_NOTIFICATION_LISTENER_SERVICE",
    }
)


@lru_cache(maxsize=1)
def _aosp_table() -> dict[str, str]:
    from loguru import logger

    logger.disable("androguard")
    from androguard.core import androconf

    table = androconf.load_api_specific_resource_module("aosp_permissions", LATEST_API)
    return {name: str(info.get("protectionLevel", "")) for name, info in table.items()}


def protection_level(name: str) -> str:
    """'dangerous', 'normal', 'signature|privileged'... or '' for permissions Android does not define."""
    return _aosp_table().get(name, "")


def is_dangerous(name: str) -> bool:
    return name in SENSITIVE_EXTRA or "dangerous" in protection_level(name).split("|")
