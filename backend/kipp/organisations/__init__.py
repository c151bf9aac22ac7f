"""Organisations: many organisers on one deployment."""
