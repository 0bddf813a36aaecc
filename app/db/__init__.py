"""Relational storage: declarative models, engine and session factory, the unit of work."""
