"""Pure ASGI middleware: checks that answer before a request reaches a route, and per-request telemetry.

Pure ASGI (not `BaseHTTPMiddleware`) so a body streams through untouched and can be refused mid-way.
"""
