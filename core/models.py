from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailSendAttempt(models.Model):
    """A run of the `send_email` task that is calling the mail server.

    Written (and committed) before the call and deleted once it ends, sent or failed: a row
    that stays means the worker died during the call, so the email may have gone out. The
    task, run again after that (core's `db_worker` requeues it), finds the row and sends
    nothing: an email is never sent twice.
    """

    task_id = models.CharField(_("task"), max_length=64, primary_key=True)
    subject = models.CharField(_("subject"), max_length=255)
    recipients = models.TextField(_("recipients"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("email being sent")
        verbose_name_plural = _("emails being sent")

    def __str__(self):
        return f"{self.subject} → {self.recipients}"
