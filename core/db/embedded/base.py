"""PostgreSQL backend that starts the embedded server on first connection.

Used when DATABASE_URL is not set. Everything else is Django's own PostgreSQL backend, so the
project runs on one database engine everywhere. The settings entry carries an `EMBEDDED` dict:
`PGDATA` (the data directory) and `DATABASE` (the application database, created when missing).
"""

from pathlib import Path

from django.db.backends.postgresql import base

from core import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    _address: embedded_db.ServerAddress | None = None
    _databases_checked: set[str] = set()

    def _server_address(self) -> embedded_db.ServerAddress:
        embedded = self.settings_dict["EMBEDDED"]
        cls = type(self)
        if cls._address is None:
            cls._address = embedded_db.start(Path(embedded["PGDATA"]))
        name = self.settings_dict["NAME"]
        # Only the application database is created here; test databases are Django's business.
        if name == embedded["DATABASE"] and name not in cls._databases_checked:
            embedded_db.ensure_database(cls._address, name)
            cls._databases_checked.add(name)
        return cls._address

    def get_connection_params(self):
        address = self._server_address()
        params = super().get_connection_params()
        params["host"] = address.host
        params["port"] = address.port
        params["user"] = address.user
        return params
