"""Start and stop servers the way production runs them: gunicorn with gunicorn.conf.py.

Used by `make bench` and by the test that holds 1,000 sockets in one process. Every
server listens on 127.0.0.1 only, on a free port, and is stopped by its process id.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from hallway.bench.wrk import USER_AGENT
from hallway.config import project_root

#: The production recipe's settings (worker class, connections, the gevent patch).
GUNICORN_CONF = "gunicorn.conf.py"
HOST = "127.0.0.1"


class ServerFailed(RuntimeError):
    """A server did not start, or a request to it did not answer as expected."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def raise_open_file_limit(wanted: int = 65_536) -> int:
    """Lift this process's soft limit on open files towards the hard one (children
    inherit it: thousands of sockets are thousands of files). Returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


def gunicorn_available() -> str | None:
    """None when the production recipe can run here, else what is missing."""
    missing = []
    for module in ("gunicorn", "gevent"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        return (
            f"{' and '.join(missing)} not installed (pip install -e '.[production]'); "
            "the production recipe runs gunicorn with gevent"
        )
    if not (project_root() / GUNICORN_CONF).exists():
        return f"{project_root() / GUNICORN_CONF} is missing"
    return None


@dataclass
class Server:
    """A running gunicorn master with its one worker."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid)

    def worker_pid(self) -> int:
        pids = self.worker_pids()
        if len(pids) != 1:
            raise ServerFailed(f"{self.name}: expected one gunicorn worker, found {pids}")
        return pids[0]

    def worker_rss_kib(self) -> int:
        return rss_kib(self.worker_pid())

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def child_pids(pid: int) -> list[int]:
    """The direct children of ``pid`` (gunicorn's workers of a master)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(each) for each in children.read_text().split()]
    except OSError:
        pass
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, timeout: float = 120.0, step: float = 0.1) -> None:
    """Wait until ``pid`` has (nearly) stopped using the CPU: a load generator that
    stops leaves requests behind in the worker, which would land on the next round."""
    deadline = time.monotonic() + timeout
    quiet = 0
    last = cpu_seconds(pid)
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(step)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last <= step * 0.15 else 0
        last = now


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS in /proc/<pid>/status), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
    if found is None:
        raise ServerFailed(f"no VmRSS for process {pid}")
    return int(found.group(1))


def start_gunicorn(
    name: str,
    app: str,
    env: Mapping[str, str],
    log_dir: Path,
    *,
    port: int | None = None,
    ready_path: str = "/healthz",
    timeout: float = 60.0,
) -> Server:
    """``gunicorn -c gunicorn.conf.py --bind 127.0.0.1:PORT APP`` as a child process.

    ``env`` is added to this process's environment (the HALLWAY_* settings). Returns
    once ``ready_path`` answers 200; raises ServerFailed with the log otherwise.
    """
    port = port or free_port()
    log_path = log_dir / f"{name}-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn",
        "--config", str(project_root() / GUNICORN_CONF),
        "--bind", f"{HOST}:{port}",
        "--log-level", "warning",
        app,
    ]  # fmt: skip
    environment = {**os.environ, "HALLWAY_PORT": str(port), **env}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=project_root(),
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, process, port, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"{name} exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if requests.get(server.url + ready_path, timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stop(server)
    raise ServerFailed(
        f"{name} did not answer {ready_path} in {timeout:.0f} s:\n{server.log_tail()}"
    )


def stop(server: Server, timeout: float = 10.0) -> None:
    """SIGINT to the master (gunicorn's quick shutdown: it stops its worker at once),
    then SIGKILL to the server's process group if it lingers."""
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def running(
    name: str, app: str, env: Mapping[str, str], log_dir: Path, **kwargs: object
) -> Iterator[Server]:
    server = start_gunicorn(name, app, env, log_dir, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop(server)


# --- Logging in, as a browser does -------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True)
class Login:
    """A logged-in member's cookies (as one Cookie header) and a CSRF token for writes."""

    cookie: str
    csrf_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie, "X-CSRFToken": self.csrf_token, "User-Agent": USER_AGENT}


def log_in(base_url: str, email: str, password: str) -> Login:
    """POST the log-in form like a browser; the session cookie works on every server
    that shares the secret key."""
    browser = requests.Session()
    browser.headers["User-Agent"] = USER_AGENT
    page = browser.get(f"{base_url}/login", timeout=10)
    found = _CSRF_INPUT.search(page.text)
    if found is None:
        raise ServerFailed("the log-in page has no CSRF token")
    answer = browser.post(
        f"{base_url}/login",
        data={"csrf_token": found.group(1), "email": email, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    if answer.status_code != 302:
        raise ServerFailed(f"log-in as {email} answered {answer.status_code}")
    home = browser.get(f"{base_url}/", timeout=30)
    token = _CSRF_META.search(home.text)
    if token is None:
        raise ServerFailed("the home page has no CSRF token")
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    return Login(cookie=cookie, csrf_token=token.group(1))
