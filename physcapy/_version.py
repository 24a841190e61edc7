"""physcapy's version, kept in one place (read by hatchling and ``physcapy --version``)."""

__version__ = "0.1.0"
