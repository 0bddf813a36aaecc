#!/bin/sh
# Container entry point: bring the database schema up to date, then replace this shell with uvicorn
# so that it is PID 1 and gets SIGTERM directly; it listens on HOST (0.0.0.0) and PORT (8000).
# Arguments starting with "-" are passed to uvicorn (e.g. --log-level debug); any other command is
# run instead (e.g. `dramatiq app.worker` for a job worker, `alembic current`, `sh`).
set -eu
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi
alembic upgrade head
# The app, not uvicorn, decides whose X-Forwarded-For to believe (CLAIMS_FORWARDED_ALLOW_IPS); SIGTERM
# gives requests in flight CLAIMS_SHUTDOWN_GRACE_SECONDS (read, and checked, by the app's settings).
grace=$(python -c 'from app.core.config import get_settings; print(get_settings().shutdown_grace_seconds)')
exec uvicorn app.main:app --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" \
  --no-proxy-headers --timeout-graceful-shutdown "$grace" "$@"
