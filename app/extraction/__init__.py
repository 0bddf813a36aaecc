"""The parse runtime: where and when the model parses, apart from what the service does with the claims.

One word, one meaning, across the code, the docs and the metrics:
- `ExtractionService` (`service.py`) takes parse requests from request threads and job items, queues
  them, and its feeder threads hand what waits to a backend in one batch (`nlp.pipe`);
- a backend parses: `ThreadBackend` in the server process, or `ProcessBackend` (`processes.py`) in
  parser processes, each a pool of one child that can be stopped alone;
- a "worker" is only ever a Dramatiq job worker (`app/worker.py`), a "job" only a bulk job
  (`/v1/jobs`), a "dispatcher" only the `JobDispatcher` that hands job items to a broker or a thread,
  and a "runner" only the `JobItemRunner` that runs one job item.
"""
