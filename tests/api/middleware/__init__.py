"""Tests of the pure ASGI middleware, driven without a server."""
