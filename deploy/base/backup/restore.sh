#!/bin/sh
# Restore one generation written by backup.sh into the branch's databases: $RESTORE_FROM is a
# stamp under $BACKUP_DIR, or "latest". Every object is dropped and recreated (pg_restore
# --clean) in one transaction per database, so a failed restore leaves that database as it was.
# Stop the deployables first (scale to 0): a restore under a running service mixes old and new.
# Run by the crm-restore Job (deploy/restore/job.yaml) and by tests/e2e/test_backup_drill.py.
set -eu
: "${BACKUP_DIR:?BACKUP_DIR is not set}"
from="${RESTORE_FROM:-latest}"
if [ "$from" = latest ]; then
    from=$(ls -1 "$BACKUP_DIR" | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort | tail -n 1)
    [ -n "$from" ] || { echo "no backup generation in $BACKUP_DIR" >&2; exit 1; }
fi
generation="$BACKUP_DIR/$from"
[ -f "$generation/DEPLOYABLES" ] || { echo "$generation is not a complete backup generation" >&2; exit 1; }

for name in $(cat "$generation/DEPLOYABLES"); do
    url=$(printenv "CRM_DB_$(echo "$name" | tr a-z A-Z)") || { echo "CRM_DB_$name is not set" >&2; exit 1; }
    pg_restore --clean --if-exists --no-owner --no-acl --single-transaction --exit-on-error \
        --dbname="postgresql:${url#postgresql+psycopg:}" "$generation/$name.dump"
    echo "restored $name from $from"
done
