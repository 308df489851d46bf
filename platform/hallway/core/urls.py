from urllib.parse import urlsplit


def safe_next_path(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths may be redirect targets after login.

    Refuses absolute URLs, protocol-relative '//host', backslash tricks that
    browsers read as '//', and control characters.
    """
    if not target:
        return default
    if any(ord(char) < 32 or char == "\\" for char in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def profile_path(handle: str) -> str:
    """Where a member's profile lives: /members/<handle>."""
    return f"/members/{handle}"
