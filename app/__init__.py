"""Hotline Triage: the application on top of the hashdb engine."""

__version__ = "0.2.0"
