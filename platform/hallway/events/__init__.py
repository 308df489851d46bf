"""Events: conferences and meetups that organisers run."""

from flask import Flask
from flask_babel import lazy_gettext


def init_app(app: Flask) -> None:
    """The file downloads (the pages come with issue 9's design), the JSON API, the
    notification kinds events send, and the demo seeder."""
    from hallway.api import register_api_blueprint
    from hallway.demo import register_seeder
    from hallway.events import api, demo, service, views
    from hallway.members import importing
    from hallway.notifications.kinds import register_kind

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    # Emailed as the member's "email me about events I am going to" switch says.
    register_kind(
        service.KIND_PROMOTED,
        label=lazy_gettext("Off the waitlist"),
        email_preference="email_on_event",
        email_reason=lazy_gettext(
            "You get this email because you were waiting for a place at this event."
        ),
    )
    register_kind(
        service.KIND_ANNOUNCEMENT,
        label=lazy_gettext("Event announcement"),
        email_preference="email_on_event",
        email_reason=lazy_gettext("You get this email because you are going to this event."),
    )
    register_kind(
        service.KIND_CANCELLED,
        label=lazy_gettext("Event cancelled"),
        email_preference="email_on_event",
        email_reason=lazy_gettext("You get this email because you were going to this event."),
    )
    register_seeder("events", demo.seed_events, order=demo.ORDER)
    # The members import's "events" column registers members through the events rules.
    importing.register_event_registrar(service.ImportedRegistrations())
