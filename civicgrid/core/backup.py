"""Encrypted backups of the database and the stored files (docs/backup.md).

One archive holds every table and every file in default storage, encrypted with BACKUP_KEY (a
key of its own). The format is database-neutral: rows are written per model as JSON lines with
their primary keys, read back through the same model fields, so an archive made on SQLite
restores on PostgreSQL and the other way round.

Layout of an archive file::

    header   MAGIC, format version, salt, nonce prefix, key check (HMAC of the above)
    frames   4-byte length + AES-256-GCM ciphertext of one chunk (at most CHUNK bytes)

Each chunk's nonce is the prefix, the chunk's number and a "last chunk" flag, and the header is
its associated data: a reordered, dropped, appended or altered chunk fails to decrypt, and an
archive cut short lacks its flagged last chunk. The plaintext is a sequence of entries (a JSON
head, then the body as length-prefixed pieces ending with an empty one); the last entry is the
manifest with the size and SHA-256 of every other entry. Nothing is ever held whole in memory.

Personal data stays as the ciphertext stored in the database (civicgrid.core.pii): restoring it
needs the same FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY and AUDIT_CHAIN_KEY as the source.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import django
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps as global_apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone

from civicgrid.core.pii import EncryptedTextField

FORMAT = 1
MAGIC = b"CIVICGRID-BACKUP"
CHUNK = 1024 * 1024
SALT_BYTES, PREFIX_BYTES, CHECK_BYTES = 16, 7, 32
HEADER_BYTES = len(MAGIC) + 1 + SALT_BYTES + PREFIX_BYTES + CHECK_BYTES
MIN_KEY_CHARS = 32
BATCH = 1000
# Sessions are credentials of the moment, not data: after a restore everyone signs in again.
SKIPPED = {"sessions.session"}
# Rows the migrations themselves write (content types, permissions, the audit chain head, the
# seeded catalogues). A database holding only these is "empty" for restore; a test keeps the
# list true (test_backup_target_checks.py).
MIGRATION_SEEDED = {
    "auth.permission",
    "contenttypes.contenttype",
    "core.auditchain",
    "registry.tagkind",
    "registry.requiredfield",
    "registry.ledgerpolicy",
    "cases.category",
    "cases.responsibilityrule",
    "fieldwork.patrolstandard",
    "fieldwork.visitrule",
    "assessment.indicator",
    "assessment.indicatorweight",
    "assessment.gradeband",
}


class BackupError(Exception):
    """Anything that stops a backup or restore; the message is for the operator (Chinese)."""


# --- keys and the encrypted stream ---------------------------------------------------------


def backup_key() -> str:
    key = str(getattr(settings, "BACKUP_KEY", "") or "")
    if not key:
        raise BackupError(
            "未设置 BACKUP_KEY:备份用单独的密钥加密(不是 SECRET_KEY,也不是个人信息密钥)。"
            '生成一个:python -c "import secrets; print(secrets.token_urlsafe(32))",'
            "放入环境变量或 .env,并与 FIELD_ENCRYPTION_KEY 一起另处保管(见 docs/backup.md)"
        )
    if len(key) < MIN_KEY_CHARS:
        raise BackupError(f"BACKUP_KEY 太短:至少 {MIN_KEY_CHARS} 个字符的随机串")
    return key


def _derive(key: str, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=salt, info=b"civicgrid-backup-v1"
    ).derive(key.encode())
    return material[:32], material[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only stream: plaintext in, AES-GCM frames out, one chunk at a time."""

    def __init__(self, out: IO[bytes], key: str) -> None:
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        enc_key, check_key = _derive(key, salt)
        head = MAGIC + bytes([FORMAT]) + salt + prefix
        self.header = head + hmac.new(check_key, head, hashlib.sha256).digest()
        self.out, self.prefix, self.aead = out, prefix, AESGCM(enc_key)
        self.buffer = bytearray()
        self.counter = 0
        out.write(self.header)

    def write(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            # Keep at least one byte back: the chunk flagged last is written by close().
            self._emit(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]

    def _emit(self, chunk: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.counter, last), chunk, self.header)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1

    def close(self) -> None:
        self._emit(bytes(self.buffer), last=True)
        self.buffer.clear()


class DecryptingReader:
    """Reads an archive's plaintext back; any tampering or a wrong key raises BackupError."""

    def __init__(self, source: IO[bytes], key: str) -> None:
        header = source.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError("不是 CivicGrid 备份文件(文件头不符)")
        version = header[len(MAGIC)]
        if version != FORMAT:
            raise BackupError(f"备份格式版本 {version} 不受本版本支持(支持 {FORMAT})")
        at = len(MAGIC) + 1
        salt, prefix = header[at : at + SALT_BYTES], header[at + SALT_BYTES : -CHECK_BYTES]
        enc_key, check_key = _derive(key, salt)
        expected = hmac.new(check_key, header[:-CHECK_BYTES], hashlib.sha256).digest()
        if not hmac.compare_digest(expected, header[-CHECK_BYTES:]):
            raise BackupError("BACKUP_KEY 与生成此备份时的密钥不同(或文件头被改动),无法解密")
        self.source, self.header, self.prefix = source, header, prefix
        self.aead = AESGCM(enc_key)
        self.counter, self.done = 0, False
        self.buffer = bytearray()

    def _next_chunk(self) -> bool:
        if self.done:
            return False
        size_bytes = self.source.read(4)
        if len(size_bytes) < 4:
            raise BackupError("备份文件不完整(被截断)")
        (size,) = struct.unpack(">I", size_bytes)
        sealed = self.source.read(size)
        if len(sealed) < size or size > CHUNK + 16:
            raise BackupError("备份文件不完整(被截断)或已损坏")
        for last in (False, True):
            try:
                plain = self.aead.decrypt(
                    _nonce(self.prefix, self.counter, last), sealed, self.header
                )
            except InvalidTag:
                continue
            self.counter += 1
            self.buffer += plain
            if last:
                self.done = True
                if self.source.read(1):
                    raise BackupError("备份文件末尾有多余的数据(已被改动)")
            return True
        raise BackupError(f"备份文件第 {self.counter + 1} 块校验失败:文件已被改动或损坏")

    def read(self, n: int) -> bytes:
        while len(self.buffer) < n and self._next_chunk():
            pass
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def read_exact(self, n: int) -> bytes:
        data = self.read(n)
        if len(data) < n:
            raise BackupError("备份文件内容不完整")
        return data


# --- entries inside the plaintext ------------------------------------------------------------


@dataclass
class EntryInfo:
    kind: str  # "table" | "file"
    name: str
    size: int = 0
    sha256: str = ""
    rows: int | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name, "size": self.size}
        out["sha256"] = self.sha256
        if self.rows is not None:
            out["rows"] = self.rows
        return out


class EntryWriter:
    """Writes one entry's body in pieces, counting its size and SHA-256 as it goes."""

    def __init__(self, out: EncryptingWriter, info: EntryInfo) -> None:
        self.out, self.info, self.digest = out, info, hashlib.sha256()
        head = json.dumps({"kind": info.kind, "name": info.name}, ensure_ascii=False).encode()
        out.write(struct.pack(">I", len(head)) + head)

    def write(self, data: bytes) -> None:
        if data:
            self.out.write(struct.pack(">I", len(data)) + data)
            self.digest.update(data)
            self.info.size += len(data)

    def close(self) -> EntryInfo:
        self.out.write(struct.pack(">I", 0))
        self.info.sha256 = self.digest.hexdigest()
        return self.info


def _entries(reader: DecryptingReader) -> Iterator[tuple[dict[str, Any], Iterator[bytes]]]:
    """Yields each entry's head and an iterator over its body pieces (consume it first)."""
    while True:
        raw = reader.read(4)
        if not raw:
            return
        if len(raw) < 4:
            raise BackupError("备份文件内容不完整")
        (size,) = struct.unpack(">I", raw)
        try:
            head = json.loads(reader.read_exact(size))
        except ValueError as exc:
            raise BackupError("备份文件内容格式错误") from exc

        def body() -> Iterator[bytes]:
            while True:
                (piece,) = struct.unpack(">I", reader.read_exact(4))
                if piece == 0:
                    return
                yield reader.read_exact(piece)

        pieces = body()
        yield head, pieces
        for _ in pieces:  # drain what the consumer left
            pass


# --- what is backed up ---------------------------------------------------------------------


def backed_up_models(registry: Any = global_apps) -> list[type[models.Model]]:
    out = []
    for model in registry.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.label_lower in SKIPPED:
            continue
        out.append(model)
    return out


def migration_state(using: str) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    state: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        # Full precision: the audit chain hashes timestamps to the microsecond (Django's own
        # JSON encoder would cut them to milliseconds and break verification after restore).
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _dump_model(model: type[models.Model], using: str, entry: EntryWriter) -> int:
    fields = list(model._meta.local_concrete_fields)
    encrypted = {f.attname for f in fields if isinstance(f, EncryptedTextField)}
    # Encrypted columns are read as stored (ciphertext, through a cast to plain text): the
    # archive never holds personal data in the clear and needs no personal-data key to make.
    raw = {f"cg_raw_{name}": Cast(name, models.TextField()) for name in encrypted}
    columns = [f"cg_raw_{f.attname}" if f.attname in encrypted else f.attname for f in fields]
    rows = model._base_manager.using(using).annotate(**raw).order_by("pk").values_list(*columns)
    entry.write(
        json.dumps(
            {"model": model._meta.label_lower, "fields": [f.attname for f in fields]}
        ).encode()
        + b"\n"
    )
    count = 0
    lines: list[bytes] = []
    for row in rows.iterator(chunk_size=2000):
        lines.append(json.dumps([_encode(v) for v in row], ensure_ascii=False).encode() + b"\n")
        count += 1
        if len(lines) >= BATCH:
            entry.write(b"".join(lines))
            lines.clear()
    entry.write(b"".join(lines))
    return count


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    directories, files = storage.listdir(path)
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


def _media_names(storage: Storage) -> list[str]:
    try:
        return list(_walk(storage))
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing stored
        return []


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent read of every table that does not stop the site writing meanwhile: on
    PostgreSQL a read-only repeatable-read transaction; on SQLite a deferred transaction, which
    in WAL mode reads one snapshot while writers go on (Django's own atomic() would begin
    IMMEDIATE and hold the write lock for the whole dump). Inside a caller's transaction (the
    tests) that transaction's view is used."""
    connection = connections[using]
    if connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def create_backup(
    output: Path, *, using: str = "default", storage: Storage | None = None
) -> BackupResult:
    """Write the archive to ``output`` (created with mode 600; never overwrites)."""
    key = backup_key()
    storage = storage or default_storage
    if output.exists():
        raise BackupError(f"{output} 已存在,不覆盖")
    partial = output.with_name(output.name + ".partial")
    connection = connections[using]
    # Rows are read through the running code's models: a database those models do not match
    # yet would fail half-way with a bare database error, or record a state it is not in.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("数据库还有未应用的迁移:先运行 manage.py migrate 再备份")
    entries: list[EntryInfo] = []
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            writer = EncryptingWriter(handle, key)
            # One snapshot for every table: rows written while the backup runs are either all
            # in it or all left out, so foreign keys between tables always hold.
            with _snapshot(using):
                state = migration_state(using)
                for model in backed_up_models():
                    entry = EntryWriter(writer, EntryInfo("table", model._meta.label_lower))
                    entry.info.rows = _dump_model(model, using, entry)
                    entries.append(entry.close())
            for name in _media_names(storage):
                entry = EntryWriter(writer, EntryInfo("file", name))
                with storage.open(name, "rb") as stored:
                    for piece in iter(lambda: stored.read(CHUNK), b""):
                        entry.write(piece)
                entries.append(entry.close())
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "django": django.get_version(),
                "migrations": state,
                "entries": [e.as_json() for e in entries],
            }
            final = EntryWriter(writer, EntryInfo("manifest", "manifest.json"))
            final.write(json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            final.close()
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    tables = [e for e in entries if e.kind == "table"]
    files = [e for e in entries if e.kind == "file"]
    return BackupResult(
        output,
        len(tables),
        sum(e.rows or 0 for e in tables),
        len(files),
        sum(e.size for e in files),
    )


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives this command wrote into ``directory``."""
    archives = sorted(directory.glob("civicgrid-*.cgbak"))
    doomed = archives[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


# --- restore ----------------------------------------------------------------------------------


@dataclass
class Manifest:
    data: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def migrations(self) -> dict[str, list[str]]:
        return dict(self.data.get("migrations") or {})


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise BackupError(f"无法打开备份文件 {path}:{exc.strerror}") from exc


def verify_archive(path: Path) -> Manifest:
    """Decrypt the whole archive and check every entry against the manifest; writes nothing."""
    key = backup_key()
    seen: list[dict[str, Any]] = []
    manifest: dict[str, Any] | None = None
    with _open(path) as source:
        reader = DecryptingReader(source, key)
        for head, body in _entries(reader):
            if manifest is not None:
                raise BackupError("备份文件在清单之后还有内容(已被改动)")
            if head.get("kind") == "manifest":
                try:
                    manifest = json.loads(b"".join(body))
                except ValueError as exc:
                    raise BackupError("备份清单格式错误") from exc
                continue
            digest, size = hashlib.sha256(), 0
            for piece in body:
                digest.update(piece)
                size += len(piece)
            seen.append({**head, "size": size, "sha256": digest.hexdigest()})
    if manifest is None:
        raise BackupError("备份文件没有清单(不完整)")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份清单格式 {manifest.get('format')} 不受支持")
    listed = manifest.get("entries") or []
    if len(listed) != len(seen):
        raise BackupError("备份内容与清单的条目数不符")
    for want, got in zip(listed, seen, strict=True):
        same = (want["kind"], want["name"], want["size"]) == (got["kind"], got["name"], got["size"])
        if not same or not hmac.compare_digest(str(want["sha256"]), got["sha256"]):
            raise BackupError(f"{want.get('name')}:内容与清单中的 SHA-256 不符")
    return Manifest(manifest, listed)


def _leaf_targets(
    executor: MigrationExecutor, state: dict[str, list[str]]
) -> list[tuple[str, str]]:
    graph = executor.loader.graph
    unknown = [f"{app}.{name}" for app, names in state.items() for name in names
               if (app, name) not in graph.nodes]  # fmt: skip
    if unknown:
        raise BackupError(
            "备份来自更新的程序版本(本版本没有这些迁移:"
            + ", ".join(unknown[:5])
            + "…):请先把程序升级到不低于备份时的版本再恢复"
        )
    targets = []
    for app, names in state.items():
        applied = {(app, name) for name in names}
        for key in applied:
            children = {c.key for c in graph.node_map[key].children}
            if not children & applied:
                targets.append(key)
    return targets


def holds_data(using: str) -> list[str]:
    """Tables of ``using`` with rows other than those migrations write ([] = empty)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for model in backed_up_models():
            table = model._meta.db_table
            if model._meta.label_lower in MIGRATION_SEEDED or table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                busy.append(model._meta.label_lower)
    return busy


def _stored_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for piece in iter(lambda: handle.read(CHUNK), b""):
            digest.update(piece)
    return digest.hexdigest()


def _already_there(storage: Storage, entry: dict[str, Any]) -> bool:
    """The very file is stored already (a restore beside the database it came from, sharing
    its media): nothing to write, nothing to refuse."""
    return storage.exists(entry["name"]) and _stored_sha256(storage, entry["name"]) == entry.get(
        "sha256"
    )


def files_in_the_way(storage: Storage, manifest: Manifest) -> list[str]:
    """Stored files the archive would overwrite with different content."""
    return [
        e["name"]
        for e in manifest.entries
        if e["kind"] == "file" and storage.exists(e["name"]) and not _already_there(storage, e)
    ]


def _decode_row(model: type[models.Model], names: list[str], values: list[Any]) -> models.Model:
    kwargs: dict[str, Any] = {}
    fields = {f.attname: f for f in model._meta.local_concrete_fields}
    for name, value in zip(names, values, strict=True):
        target = fields.get(name)
        if target is None:
            raise BackupError(f"{model._meta.label_lower}:备份中的字段 {name} 在目标结构中不存在")
        if isinstance(target, EncryptedTextField) and value:
            # Stored ciphertext goes back as it is; an expression bypasses the field's encrypt.
            kwargs[name] = models.Value(value, output_field=models.TextField())
        elif isinstance(target, models.BinaryField) and value is not None:
            kwargs[name] = base64.b64decode(value)
        else:
            kwargs[name] = target.to_python(value) if value is not None else None
    return model(**kwargs)


def _load_table(model: type[models.Model], body: Iterator[bytes], using: str) -> int:
    leftover, count = b"", 0
    names: list[str] | None = None
    batch: list[models.Model] = []
    fields = model._meta.local_concrete_fields
    manager = model._base_manager.using(using)

    def flush() -> None:
        # Raw insert of exactly the stored values: no save() logic, no auto_now, no signals.
        order = [next(f for f in fields if f.attname == n) for n in names or []]
        manager._insert(batch, fields=order, raw=True, using=using)  # type: ignore[attr-defined]
        batch.clear()

    for piece in body:
        lines = (leftover + piece).split(b"\n")
        leftover = lines.pop()
        for line in lines:
            if names is None:
                names = json.loads(line)["fields"]
                continue
            batch.append(_decode_row(model, names, json.loads(line)))
            count += 1
            if len(batch) >= BATCH:
                flush()
    if batch:
        flush()
    if leftover or names is None:
        raise BackupError(f"{model._meta.label_lower}:表数据不完整")
    return count


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    migrated_forward: bool


def restore_backup(
    path: Path,
    *,
    using: str = "default",
    storage: Storage | None = None,
    force: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> RestoreResult:
    """Verify the whole archive, then load it into ``using`` and ``storage``.

    The target must hold no data (migrations' own rows aside) unless ``force``: a restore
    replaces everything in it. Every check — key, integrity, migration compatibility, empty
    target — runs before the first write."""
    storage = storage or default_storage
    progress("校验备份文件……")
    manifest = verify_archive(path)
    connection = connections[using]
    executor = MigrationExecutor(connection)
    targets = _leaf_targets(executor, manifest.migrations)
    latest = set(executor.loader.graph.leaf_nodes())
    if not force:
        busy = holds_data(using)
        if busy:
            raise BackupError(
                "目标数据库已有数据(" + ", ".join(busy[:5]) + "……):恢复会用备份替换其中的全部"
                "内容。请恢复到新建的空数据库;确要覆盖时加 --force"
            )
        clash = files_in_the_way(storage, manifest)
        if clash:
            raise BackupError(
                f"存储中已有 {len(clash)} 个同名文件(如 {clash[0]}):确要覆盖时加 --force"
            )
    older = set(targets) != latest
    progress("迁移数据库结构到备份时的状态……")
    try:
        executor.migrate(targets)
    except Exception as exc:  # an irreversible migration on a --force target, a DB error …
        raise BackupError(f"无法把目标数据库迁移到备份时的结构:{exc}") from exc
    registry = executor.loader.project_state(targets, at_end=True).apps if older else global_apps
    by_label = {m._meta.label_lower: m for m in backed_up_models(registry)}
    tables = rows = files = 0
    progress("写入数据……")
    with _open(path) as source, transaction.atomic(using=using):
        reader = DecryptingReader(source, backup_key())
        existing = connection.introspection.django_table_names(only_existing=True)
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), existing, reset_sequences=True)
        )
        loaded: list[type[models.Model]] = []
        stored_files = {e["name"]: e for e in manifest.entries if e["kind"] == "file"}
        for head, body in _entries(reader):
            if head["kind"] == "table":
                model = by_label.get(head["name"])
                if model is None:
                    raise BackupError(f"备份中的表 {head['name']} 在目标结构中不存在")
                rows += _load_table(model, body, using)
                tables += 1
                loaded.append(model)
            elif head["kind"] == "file":
                if _already_there(storage, stored_files.get(head["name"], head)):
                    for _piece in body:  # the stream goes on to the next entry
                        pass
                else:
                    _restore_file(storage, head["name"], body, force=force)
                files += 1
        connection.check_constraints()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
                cursor.execute(statement)
    if older:
        progress("迁移到本版本的结构……")
    call_command("migrate", database=using, interactive=False, verbosity=0)
    return RestoreResult(tables, rows, files, older)


def _restore_file(storage: Storage, name: str, body: Iterator[bytes], *, force: bool) -> None:
    if force and storage.exists(name):
        storage.delete(name)
    # Spooled: small files stay in memory, a large video goes through a temporary file, and any
    # storage (local disk, S3) gets an ordinary seekable file.
    with tempfile.SpooledTemporaryFile(max_size=CHUNK * 8) as spool:
        for piece in body:
            spool.write(piece)
        spool.seek(0)
        saved = storage.save(name, File(spool, name))
    if saved != name:
        raise BackupError(f"文件 {name} 被存为 {saved}:存储中已有同名文件")
