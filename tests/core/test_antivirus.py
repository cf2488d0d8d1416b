"""Uploads are scanned by ClamAV (clamd's INSTREAM) before they are stored: journal, decree and
forum attachments. A detected file is refused with a French message and logged; when scanning is
configured but clamd does not answer, uploads are refused (fail closed).

The tests start their own clamd (Debian's clamav-daemon) with a signature database they write:
the EICAR test file's MD5, so that no signature download is needed. Without clamd they are
skipped with what to install, except under CI=true where they fail."""

import logging
import os
import shutil
import socket
import subprocess
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import antivirus
from directory.enums import Role
from journal import files
from tests.conftest import missing_tool
from tests.directory.factories import UserFactory
from tests.sitepages.edit_support import site_in, user_with

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
INFECTED = "l’antivirus y a détecté un logiciel malveillant"
UNAVAILABLE = "ne peuvent pas être vérifiées par l’antivirus"


def _clamd_binary() -> str | None:
    return shutil.which("clamd") or next(
        (path for path in ("/usr/sbin/clamd",) if os.access(path, os.X_OK)), None
    )


def _ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(path)
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    binary = _clamd_binary()
    if binary is None:
        missing_tool("clamd (ClamAV's daemon)", "apt-get install clamav-daemon")
    root = tmp_path_factory.mktemp("clamd")
    database = root / "db"
    database.mkdir()
    (database / "test.hdb").write_text(EICAR_SIGNATURE + "\n")
    sock = root / "clamd.sock"
    config = root / "clamd.conf"
    lines = [
        "Foreground yes",
        f"LocalSocket {sock}",
        f"DatabaseDirectory {database}",
        f"PidFile {root / 'clamd.pid'}",
        f"TemporaryDirectory {root}",
    ]
    if os.geteuid() == 0:
        lines.append("User root")
    config.write_text("\n".join(lines) + "\n")
    log = (root / "clamd.log").open("w")
    process = subprocess.Popen([binary, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):  # up to a minute on a loaded machine
            if process.poll() is not None or _ping(str(sock)):
                break
            time.sleep(0.1)
        if not _ping(str(sock)):
            pytest.fail(f"clamd did not start: {(root / 'clamd.log').read_text()[-2000:]}")
        yield f"unix://{sock}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def scanning(settings, clamd):
    settings.CLAMAV_URL = clamd
    return settings


@pytest.fixture
def unreachable(settings, tmp_path):
    settings.CLAMAV_URL = f"unix://{tmp_path / 'nobody-listens.sock'}"
    return settings


def test_clamd_answers_for_the_eicar_file_and_a_clean_one(scanning):
    assert antivirus.scan(BytesIO(EICAR)) == "Eicar-Test-Signature.UNOFFICIAL"
    assert antivirus.scan(BytesIO(PDF)) is None
    assert antivirus.scan(BytesIO(b"x" * 200_000)) is None  # several chunks


def test_a_detected_file_is_refused_and_logged(scanning, caplog):
    with caplog.at_level(logging.WARNING, logger="core.antivirus"):
        with pytest.raises(ValidationError) as error:
            files.check_upload(SimpleUploadedFile("rapport.pdf", EICAR))
    assert error.value.code == "infected"
    assert "Eicar-Test-Signature" in caplog.text and "rapport.pdf" in caplog.text
    assert files.check_upload(SimpleUploadedFile("rapport.pdf", PDF)).extensions == ("pdf",)


def test_unreachable_clamd_refuses_uploads(unreachable):
    with pytest.raises(ValidationError) as error:
        files.check_upload(SimpleUploadedFile("rapport.pdf", PDF))
    assert error.value.code == "antivirus_unavailable"


def test_scanning_off_accepts_without_clamd(settings):
    settings.CLAMAV_URL = ""
    assert files.check_upload(SimpleUploadedFile("rapport.pdf", PDF)).extensions == ("pdf",)


# --- Through the forms of the three kinds of attachments ----------------------------------------


def _journal_post(client, name, data):
    from journal.enums import Audience

    site = site_in()
    client.force_login(user_with(Role.NATIONAL_ADMIN))
    response = client.post(
        reverse("journal:post", args=[site.pk]),
        {
            "text": "Compte rendu de visite",
            "audience": Audience.SITE_READERS,
            "attachments": [SimpleUploadedFile(name, data)],
        },
    )
    return response, site


def _decree(client, name, data):
    site = site_in()
    client.force_login(user_with(Role.NATIONAL_ADMIN))
    response = client.post(
        reverse("site_attachments", args=[site.pk]),
        {"title": "Arrêté", "file": SimpleUploadedFile(name, data, "application/pdf")},
    )
    return response, site


def _forum(client, name, data):
    from io import StringIO

    from django.core.management import call_command
    from machina.core.db.models import get_model

    from tests.forum.test_attachments import upload

    call_command("load_forum_demo", stdout=StringIO())
    forum = get_model("forum", "Forum").objects.get(name="Santé")
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN))
    return upload(client, forum, SimpleUploadedFile(name, data), "Avec pièce jointe"), None


def _stored(kind) -> bool:
    from machina.core.db.models import get_model

    from journal.models import Attachment
    from sitepages.models import DecreeAttachment

    model = {
        "journal": Attachment,
        "decree": DecreeAttachment,
        "forum": get_model("forum_attachments", "Attachment"),
    }[kind]
    return model.objects.exists()


SUBMIT = {"journal": _journal_post, "decree": _decree, "forum": _forum}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(SUBMIT))
@pytest.mark.parametrize(
    ("clamd_state", "content", "message"),
    [("scanning", EICAR, INFECTED), ("unreachable", PDF, UNAVAILABLE)],
)
def test_each_kind_of_attachment_is_scanned_or_refused(
    client, request, tmp_path, kind, clamd_state, content, message
):
    """A detected file is refused; with clamd down, even a clean file is refused (fail closed)."""
    settings = request.getfixturevalue(clamd_state)
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    response, _site = SUBMIT[kind](client, "rapport.pdf", content)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not _stored(kind)
    assert not any(Path(tmp_path / "private").rglob("*.*"))
