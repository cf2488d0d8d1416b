"""A small HTTP client that talks to gunicorn the way the operator's reverse proxy does.

It sends `X-Forwarded-Proto: https` (the proxy terminates TLS), keeps cookies itself (the
production cookies are `Secure`, which a cookie jar would not send over plain HTTP to the local
port) and never follows redirects, so that every answer can be checked as it is.
"""

import base64
import gzip
import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    raw: bytes  # as received (compressed when the server compressed it)

    @property
    def body(self) -> bytes:
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.raw)
        return self.raw

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        parts = urllib.parse.urlsplit(self.base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        origin = f"https://{parts.netloc}"
        all_headers = {
            "Host": parts.netloc,
            "X-Forwarded-Proto": "https",
            "User-Agent": "resorption-production-check",
            "Accept-Language": "fr",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers.setdefault("Origin", origin)
            all_headers.setdefault("Referer", origin + path)
        try:
            connection.request(method, path, body=body, headers=all_headers)
            answer = connection.getresponse()
            raw = answer.read()
            headers_out = {key.lower(): value for key, value in answer.getheaders()}
            for value in answer.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(answer.status, headers_out, raw)
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> Response:
        return self.request(
            "GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data=data)

    def submit(self, path: str, data: dict) -> Response:
        """POST a form with the CSRF token of this client's cookie."""
        return self.post(path, {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data})

    def login(self, email: str, password: str, login_path: str = "/connexion/") -> Response:
        """Log in through the real login form (CSRF token from the page, then POST)."""
        page = self.get(login_path)
        token = hidden_inputs(page.text).get("csrfmiddlewaretoken")
        if page.status != 200 or not token:
            raise RuntimeError(f"No login form at {login_path} ({page.status}).")
        response = self.post(
            login_path, {"csrfmiddlewaretoken": token, "username": email, "password": password}
        )
        location = response.headers.get("location", "")
        if response.status == 302 and not location.startswith(SECOND_FACTOR_PATH):
            # Administrators are sent to the second factor by the first page they ask for.
            location = self.get(location).headers.get("location", "")
        if location.startswith(SECOND_FACTOR_PATH):
            self.pass_second_factor(location)
        return response

    def pass_second_factor(self, path: str) -> Response:
        """Administrators confirm their login with the demo accounts' authenticator code."""
        for _attempt in range(2):
            page = self.get(path)
            token = hidden_inputs(page.text).get("csrfmiddlewaretoken")
            response = self.post(path, {"csrfmiddlewaretoken": token, "code": demo_totp_code()})
            if response.status == 302:
                return response
            # The code of this step was already used by another login: wait for the next one.
            time.sleep(30 - time.time() % 30 + 1)
        raise RuntimeError(f"The second factor was refused at {path} ({response.status}).")


#: Where the platform asks an administrator for the second factor after the password.
SECOND_FACTOR_PATH = "/connexion/verification/"
#: The demo administrators' authenticator secret (directory/demo.py).
DEMO_TOTP_SECRET = "MRSW233PEBZGK43POJYHI2LPNYQDEMBS"


def demo_totp_code() -> str:
    """The current code of the demo administrators' authenticator. A code is accepted once per
    30-second step: logins of several clients within one step need to wait for the next."""
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"


class _AssetAndLinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets: list[str] = []
        self.links: list[str] = []
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.assets.append(attributes.get("href") or "")
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.hidden[attributes["name"]] = attributes.get("value") or ""


def _parse(html: str) -> _AssetAndLinkParser:
    parser = _AssetAndLinkParser()
    parser.feed(html)
    return parser


def assets(html: str) -> list[str]:
    """URLs of the stylesheets (`<link rel="stylesheet">`) and scripts (`<script src>`)."""
    return _parse(html).assets


def links(html: str) -> list[str]:
    return _parse(html).links


def hidden_inputs(html: str) -> dict[str, str]:
    return _parse(html).hidden
