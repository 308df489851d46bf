"""Flask's own hello world: the floor any Flask page stands on.

Served by `make bench` with the production recipe, beside Hallway, so each page can be
read as a ratio to what Flask itself costs on the same machine in the same run.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.get("/healthz")
def healthz() -> str:
    return "ok"
