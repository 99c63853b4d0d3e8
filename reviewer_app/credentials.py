"""Database passwords live in the operating system's keyring, never in a plain-text config file."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

SERVICE = "reviewer-app"


class CredentialStoreError(Exception):
    pass


def account(url: str) -> str | None:
    """Keyring account for a PostgreSQL URL: user@host:port/database (None for SQLite)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        return None
    user = unquote(parts.username or "")
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    database = parts.path.lstrip("/") or user
    return f"{user}@{host}:{port}/{database}"


def has_password(url: str) -> bool:
    return urlsplit(url).password is not None


def without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return parts._replace(netloc=f"{user}@{netloc[-1]}").geturl()


def load_password(url: str) -> str | None:
    name = account(url)
    if name is None or has_password(url):
        return None
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(SERVICE, name)
    except (ImportError, KeyringError, RuntimeError):
        return None


def save_password(url: str, password: str) -> None:
    name = account(url)
    if name is None:
        raise CredentialStoreError("only PostgreSQL connections have passwords")
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, name, password)
    except (ImportError, KeyringError, RuntimeError) as exc:
        raise CredentialStoreError(f"no usable system keyring: {exc}") from None
