"""User accounts: the organising team, agency admins, judges and innovators.

Owns ``User`` rows: creating, editing, deactivating and unlocking accounts; agency admins
manage their own agency's innovators only (``policy``); a new password or a deactivation ends
every session of the user through ``kipp.auth``.
"""
