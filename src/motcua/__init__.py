"""MotCua: administrative-procedure settlement information system for a Vietnamese province."""

__version__ = "0.1.0"
