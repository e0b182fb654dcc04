"""`make backup` / `make restore`: every service database and the gateway's, with pg_dump/pg_restore.

    python scripts/backup.py backup [--prefix crm_] [--into backups/<UTC timestamp>]
    python scripts/backup.py restore --from backups/<stamp> [--prefix crm_] [--replace]

A backup folder holds one custom-format dump per database plus manifest.json. Restore creates
each database fresh; it refuses to overwrite an existing one unless --replace is given (stop the
suite first: replacing drops the database).
"""
import argparse
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import COMPONENTS, PG_ADMIN_URL, ROOT, fail  # noqa: E402


def _pg_env() -> dict:
    parts = urlsplit(PG_ADMIN_URL)
    env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432),
           "PGUSER": parts.username or "postgres"}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-2000:]}")


def backup(prefix: str, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=False)
    for component in COMPONENTS:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={into / (component + '.dump')}",
              f"{prefix}{component}"])
    (into / "manifest.json").write_text(json.dumps({
        "taken_at": datetime.now(timezone.utc).isoformat(), "prefix": prefix, "components": list(COMPONENTS)}))
    return into


def restore(source: Path, prefix: str, replace: bool) -> None:
    import psycopg
    from psycopg import sql

    manifest = json.loads((source / "manifest.json").read_text())
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for component in manifest["components"]:
            name = f"{prefix}{component}"
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and not replace:
                fail(f"database {name} exists; pass --replace to overwrite it (stop the suite first)")
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    for component in manifest["components"]:
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={prefix}{component}",
              str(source / f"{component}.dump")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    take = sub.add_parser("backup")
    take.add_argument("--prefix", default=os.environ.get("CRM_DB_PREFIX", "crm_"))
    take.add_argument("--into", type=Path)
    back = sub.add_parser("restore")
    back.add_argument("--from", dest="source", type=Path, required=True)
    back.add_argument("--prefix", default=os.environ.get("CRM_DB_PREFIX", "crm_"))
    back.add_argument("--replace", action="store_true")
    args = parser.parse_args()
    if args.command == "backup":
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        print(backup(args.prefix, args.into or ROOT / "backups" / stamp))
    else:
        restore(args.source, args.prefix, args.replace)
        print(f"restored {args.source} into {args.prefix}*")


if __name__ == "__main__":
    main()
