"""Entry point: `python wsgi.py` is the development server (HTTP, Socket.IO and a task-queue
worker); `flask --app wsgi` runs commands; production serves `wsgi:app` with gunicorn."""

from pathlib import Path

from hallway import create_app

app = create_app()

if __name__ == "__main__":
    from hallway.devserver import serve

    serve(app, app_path=Path(__file__).resolve())
