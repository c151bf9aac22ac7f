"""KIPP — Kompetisi Inovasi Pelayanan Publik."""

__version__ = "0.1.0"
