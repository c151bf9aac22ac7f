"""Imports: agencies, users and innovations from CSV or JSON, all-or-nothing and idempotent."""
