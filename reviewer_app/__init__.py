"""Review workstation of an Android app store."""

__version__ = "0.1.0"
