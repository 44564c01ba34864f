"""Write `.env` for the demo once, so every README command run after `make demo` (with no
variables typed) acts on the demo database: DEBUG on, DATABASE_URL at demo.sqlite3, and keys
of this checkout's own. An existing `.env` is never touched.

Keys are generated only when the demo database does not exist yet: a database built earlier
with the development keys must keep them, or its personal data could not be decrypted."""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

root = Path(__file__).resolve().parent.parent
target = root / ".env"
database = root / (sys.argv[1] if len(sys.argv) > 1 else "demo.sqlite3")
if target.exists():
    sys.exit(0)
lines = [
    "# Written by `make demo` for the demo city; edit or delete freely (not committed).",
    "# Every variable is documented in docs/configuration.md; the environment wins over this file.",
    "DEBUG=1",
    "# Production asks the administrators and the command centre for a second factor (TOTP);",
    "# the demo's accounts sign in with the password alone. Delete this line to try it.",
    "OTP_REQUIRED_ROLES=",
    f"DATABASE_URL=sqlite:///{database}",
    "# The key of `manage.py backup` archives (docs/backup.md). No BACKUP_DIR: the demo's",
    "# scheduler would otherwise write a full archive at every start.",
    f"BACKUP_KEY={secrets.token_urlsafe(32)}",
]
if not database.exists():
    lines += [
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        f"FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}",
        f"BLIND_INDEX_KEY={secrets.token_urlsafe(32)}",
    ]
target.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {target.name}: DEBUG=1, DATABASE_URL → {database.name}")
