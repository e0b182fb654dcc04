#!/bin/sh
# One generation of backups: every database of the branch dumped with `pg_dump -Fc` into
# $BACKUP_DIR/<UTC stamp>/, then all but the newest $KEEP generations removed.
# Run by the crm-backup CronJob (deploy/base/backup.yaml) and by tests/e2e/test_backup_drill.py.
# Each database comes from CRM_DB_<NAME> (the deployable's CRM_DATABASE_URL, SQLAlchemy form).
set -eu
: "${BACKUP_DIR:?BACKUP_DIR is not set}"
KEEP="${KEEP:-7}"
DEPLOYABLES="${DEPLOYABLES:-customers sales logistics finance workspace gateway}"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
[ ! -e "$BACKUP_DIR/$stamp" ] || { echo "generation $stamp exists already" >&2; exit 1; }
# A generation appears under its final name only once every dump in it is complete, so a
# crash mid-way never leaves something that looks like a backup.
partial="$BACKUP_DIR/.partial-$stamp"
mkdir -p "$partial"
for name in $DEPLOYABLES; do
    url=$(printenv "CRM_DB_$(echo "$name" | tr a-z A-Z)") || { echo "CRM_DB_$name is not set" >&2; exit 1; }
    pg_dump --format=custom --no-owner --no-acl --dbname="postgresql:${url#postgresql+psycopg:}" \
        --file="$partial/$name.dump"
done
echo "$DEPLOYABLES" > "$partial/DEPLOYABLES"
mv "$partial" "$BACKUP_DIR/$stamp"
echo "backup $BACKUP_DIR/$stamp: $DEPLOYABLES"

# Stamps sort by time; everything older than the newest $KEEP goes, and so do partial leftovers.
ls -1 "$BACKUP_DIR" | grep -E '^[0-9]{8}T[0-9]{6}Z$' | sort -r | tail -n +"$((KEEP + 1))" | while read -r old; do
    rm -rf "${BACKUP_DIR:?}/$old"
    echo "removed old generation $old"
done
find "$BACKUP_DIR" -maxdepth 1 -name '.partial-*' ! -name ".partial-$stamp" -exec rm -rf {} +
