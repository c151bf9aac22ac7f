"""Authentication: who the caller is.

Owns tokens and login attempts: the OAuth2 password login with per-(account, address) and
per-address failure limits, rotating refresh tokens (reuse revokes the family), logout,
personal access tokens for scripts, and session versions that end every access token at a
password change or deactivation. Authorisation (what the caller may do) is each domain's policy.
"""
