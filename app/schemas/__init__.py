"""Pydantic request and response models: the HTTP contract, kept apart from ORM rows and NLP dataclasses."""
