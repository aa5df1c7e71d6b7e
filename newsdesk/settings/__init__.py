"""Settings split by environment: base (shared), dev, test and prod.

Everything that differs between machines comes from the environment; see README.md.
"""
