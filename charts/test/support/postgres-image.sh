#!/bin/sh
# Stands in for the official `postgres` image's entrypoint on kube-sim, with this machine's PostgreSQL
# (Debian's `postgresql` package): on first start it creates the cluster in $PGDATA with POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB, then runs the server in the foreground, listening on every
# address with password (scram) authentication, and a Unix socket in /var/run/postgresql.
# Like the official image: started as root (no runAsUser), it hands its data directory to the machine's
# `postgres` user and drops to it; started as another user (runAsUser, e.g. the chart's 999, which
# kube-sim names in the container's /etc/passwd) it runs initdb and the server as that user, in a data
# directory it can create (the volume's fsGroup gives it group write).
set -eu
: "${PGDATA:?PGDATA must be set}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

mkdir -p "$PGDATA"
# PostgreSQL refuses a data directory with group access, which the kubelet's fsGroup handling adds on
# every start; the owner can take it back (the official image does this too, ignoring failure).
chmod 700 "$PGDATA" 2>/dev/null || :

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password_file="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" >"$password_file"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$password_file" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
  rm -f "$password_file"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    postgres --single -D "$PGDATA" postgres >/dev/null <<EOF
CREATE DATABASE "$POSTGRES_DB" OWNER "$POSTGRES_USER";
EOF
  fi
  echo "initialised the database cluster in $PGDATA (database $POSTGRES_DB)"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
