"""Entry point: `python wsgi.py` serves HTTP and Socket.IO; `flask --app wsgi` for commands."""

import os

from hallway import create_app

app = create_app()

if __name__ == "__main__":
    socketio = app.extensions["socketio"]
    socketio.run(
        app,
        host=os.environ.get("HALLWAY_HOST", "127.0.0.1"),
        port=int(os.environ.get("HALLWAY_PORT", "5000")),
        allow_unsafe_werkzeug=True,
    )
