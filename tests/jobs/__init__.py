"""Tests of app/jobs and app/worker: the job path through a real broker and real worker processes."""
