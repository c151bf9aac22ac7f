"""Telling people what happened: the in-app inbox and e-mail through the outbox."""
