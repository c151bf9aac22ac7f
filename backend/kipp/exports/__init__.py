"""Exports: competition data as CSV or XLSX downloads for the organising team."""
