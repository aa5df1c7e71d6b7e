from django.apps import AppConfig


class NewsdeskConfig(AppConfig):
    """The project itself: no models, only the signal that starts a session's clock."""

    name = "newsdesk"
    verbose_name = "Newsdesk"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from newsdesk.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="newsdesk-session-clock")
