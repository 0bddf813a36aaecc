#!/bin/sh
# Container entry point: bring the database schema up to date, then replace this shell with uvicorn
# so that it is PID 1 and gets SIGTERM directly. Arguments starting with "-" are passed to uvicorn
# (e.g. --log-level debug); any other command is run instead (e.g. `dramatiq app.worker` for a job
# worker, `alembic current`, `sh`).
set -eu
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  exec "$@"
fi
alembic upgrade head
exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}" "$@"
