"""A small local HTTP server answering like the national address base API (BAN « API
Adresse »: `GET /search/?q=…&limit=…&type=…&citycode=…` → a GeoJSON FeatureCollection), so the
geocoder's real client code path is tested without the network.

Its addresses are a short table; a query matches an address when every word of the query is in
its label (accents and case ignored), as the real service roughly does. Like the real service, a
query shorter than 3 characters or not starting with a letter or a digit is a 400 with a JSON
message. `mode` makes it misbehave: "slow" (answers after the client's timeout), "broken" (500),
"garbage" (not JSON).
"""

import json
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

#: (label, name, postcode, citycode, city, type, longitude, latitude)
ADDRESSES = [
    ("Lyon", "Lyon", "69001", "69123", "Lyon", "municipality", 4.835, 45.758),
    (
        "12 Rue des Lilas 69008 Lyon",
        "12 Rue des Lilas",
        "69008",
        "69123",
        "Lyon",
        "housenumber",
        4.871234,
        45.737654,
    ),
    (
        "Chemin des Oliviers 69008 Lyon",
        "Chemin des Oliviers",
        "69008",
        "69123",
        "Lyon",
        "street",
        4.88,
        45.73,
    ),
    (
        "12 Rue des Lilas 13001 Marseille",
        "12 Rue des Lilas",
        "13001",
        "13055",
        "Marseille",
        "housenumber",
        5.38,
        43.30,
    ),
    ("Marseille", "Marseille", "13001", "13055", "Marseille", "municipality", 5.37, 43.296),
]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def feature(row) -> dict:
    label, name, postcode, citycode, city, kind, longitude, latitude = row
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {
            "label": label,
            "score": 0.9,
            "id": f"{citycode}_{ADDRESSES.index(row):04d}",
            "type": kind,
            "name": name,
            "postcode": postcode,
            "citycode": citycode,
            "city": city,
            "context": f"{citycode[:2]}, Département, Région",
            "importance": 0.5,
        },
    }


class BanServer:
    def __init__(self):
        self.mode = "normal"
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body, content_type="application/json"):
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                url = urlparse(self.path)
                params = {key: values[-1] for key, values in parse_qs(url.query).items()}
                server.requests.append({"path": url.path, **params})
                if server.mode == "slow":
                    time.sleep(2.5)
                if server.mode == "broken":
                    return self._send(500, b"Internal Server Error", "text/plain")
                if server.mode == "garbage":
                    return self._send(200, b"<html>maintenance</html>", "text/html")
                if url.path.rstrip("/") != "/search":
                    return self._send(404, {"code": 404, "message": "Not found"})
                query = params.get("q", "").strip()
                if not 3 <= len(query) <= 200 or not query[0].isalnum():
                    return self._send(
                        400,
                        {
                            "code": 400,
                            "message": "q must contain between 3 and 200 chars and start with "
                            "a number or a letter",
                        },
                    )
                words = _plain(query).split()
                rows = [
                    row
                    for row in ADDRESSES
                    if all(word in _plain(row[0]) for word in words)
                    and (not params.get("citycode") or row[3] == params["citycode"])
                    and (not params.get("type") or row[5] == params["type"])
                ]
                limit = int(params.get("limit", 5))
                return self._send(
                    200,
                    {
                        "type": "FeatureCollection",
                        "version": "draft",
                        "features": [feature(row) for row in rows[:limit]],
                        "attribution": "BAN",
                        "licence": "ETALAB-2.0",
                        "query": query,
                        "limit": limit,
                    },
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
