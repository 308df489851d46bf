"""Template helpers shared by every page."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, url_for


def local_datetime(moment: datetime, time_zone: str) -> str:
    """'Tue 15 Dec 2026, 09:30 PST': a UTC timestamp shown in a given zone."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.strftime("%a %-d %b %Y, %H:%M %Z")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["local_datetime"] = local_datetime

    @app.context_processor
    def asset_urls() -> dict[str, object]:
        def vendor(name: str) -> str:
            """Front-end packages from npm, copied into static/vendor by `make assets`."""
            return url_for("static", filename=f"vendor/{name}")

        return {"vendor": vendor}
