"""`make bench` (`python -m hallway.bench`): Hallway under its production recipe.

Pages with wrk beside Flask's hello world, the worker's memory, one process against
two, and live members (Socket.IO capacity and fan-out) beside a bare python-socketio
server, all in one run on 127.0.0.1; the results go to docs/benchmarks.md. See
``hallway.bench.run`` for the steps, ``--help`` for the knobs.

Modules: ``seed`` (the throw-away community), ``servers`` (gunicorn with
gunicorn.conf.py, log-in), ``wrk`` (HTTP load), ``live`` (raw Socket.IO clients over
WebSocket, spread over processes), ``report`` (the Markdown), ``apps`` (hello world and
the bare python-socketio server).
"""
