"""Sign-in, sign-out and failed sign-in go to the audit trail, whatever the entry point."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from aircop.audit.services import Action, record_event


@receiver(user_logged_in)
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(action=Action.SIGN_IN, actor=user, obj=user)


@receiver(user_logged_out)
def record_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(action=Action.SIGN_OUT, actor=user, obj=user)


@receiver(user_login_failed)
def record_failed_sign_in(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The credentials dict has the password masked by Django; keep only the username tried.
    username = str(credentials.get("username", ""))[:150]
    record_event(
        action=Action.SIGN_IN_FAILED,
        actor_label=username,
        details={"username": username},
    )


@receiver(user_locked_out)
def record_lockout(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    record_event(
        action=Action.LOCKED_OUT, actor_label=username or "", details={"username": username or ""}
    )
