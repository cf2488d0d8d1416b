"""Malware scanning of uploaded files by ClamAV's daemon (clamd), before they are stored.

`CLAMAV_URL` names the daemon: `unix:///run/clamav/clamd.ctl` (a local socket), or
`tcp://127.0.0.1:3310`; empty (the default) turns scanning off. The file is streamed with clamd's
INSTREAM command (chunks prefixed by their length), so clamd needs no access to our files.

Fail closed: when scanning is configured and clamd does not answer (down, timeout, error), the
upload is refused with a French message saying why, never stored unscanned. A detected file is
refused and logged with its signature. Journal, decree and forum attachments go through `check`.
"""

import logging
import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
MAX_REPLY = 4096


class ScanUnavailable(Exception):
    """clamd could not give a verdict."""


def enabled() -> bool:
    return bool(getattr(settings, "CLAMAV_URL", ""))


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "tcp":
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    path = parts.path if parts.scheme == "unix" else url
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(timeout)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        raise
    return connection


def scan(stream) -> str | None:
    """The signature clamd finds in the file-like `stream` (read to its end), None when clean;
    raises ScanUnavailable when clamd gives no verdict."""
    url = settings.CLAMAV_URL
    timeout = float(getattr(settings, "CLAMAV_TIMEOUT", 30))
    try:
        with _connect(url, timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            while chunk := stream.read(CHUNK_SIZE):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < MAX_REPLY:
                received = connection.recv(MAX_REPLY)
                if not received:
                    break
                reply += received
    except OSError as error:  # refused, missing socket, timeout...
        raise ScanUnavailable(str(error)) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        return answer.removeprefix("stream:").removesuffix("FOUND").strip() or "?"
    if answer.endswith("OK"):
        return None
    raise ScanUnavailable(answer or "no answer")


def check(upload) -> None:
    """Scan one uploaded file when scanning is on; raise ValidationError (French) when it is
    infected or cannot be scanned."""
    if not enabled():
        return
    upload.seek(0)
    try:
        signature = scan(upload)
    except ScanUnavailable as error:
        logger.error("Antivirus unavailable (%s): upload of %r refused.", error, upload.name)
        raise ValidationError(
            _(
                "Attachments cannot be checked by the antivirus at the moment, so they are not "
                "accepted. Try again later, or send your message without attachments."
            ),
            code="antivirus_unavailable",
        ) from None
    finally:
        upload.seek(0)
    if signature is not None:
        logger.warning(
            "Antivirus: %s found in an upload named %r, refused.", signature, upload.name
        )
        raise ValidationError(
            _("“%(name)s” is refused: the antivirus found malicious software in it (%(sig)s)."),
            params={"name": upload.name, "sig": signature},
            code="infected",
        )
