"""Use cases (extract, ingest, query); they flush but never commit, and never import FastAPI."""
