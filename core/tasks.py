"""Background tasks shared by the whole platform."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task(queue_name="emails")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html_body: str | None = None,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one email through Django's configured backend; the worker retries on failure."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=from_email, headers=headers or {}
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
