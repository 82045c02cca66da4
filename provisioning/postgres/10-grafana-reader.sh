#!/bin/sh
# Creates the read-only role Grafana connects with. The postgres image runs the scripts in
# /docker-entrypoint-initdb.d once, when it initialises an empty data volume; the tables
# do not exist yet (the collector's migrations create them later as POSTGRES_USER), so the
# role gets SELECT on every table that user creates from now on, and nothing else.
# Existing volume? Run this by hand: docker compose exec postgres sh /docker-entrypoint-initdb.d/10-grafana-reader.sh
set -eu

: "${GRAFANA_DB_USER:?set GRAFANA_DB_USER for the postgres service}"
: "${GRAFANA_DB_PASSWORD:?set GRAFANA_DB_PASSWORD for the postgres service}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader="$GRAFANA_DB_USER" -v reader_password="$GRAFANA_DB_PASSWORD" -v owner="$POSTGRES_USER" <<'SQL'
CREATE ROLE :"reader" LOGIN PASSWORD :'reader_password';
-- Dashboards only read; a query that tries to write fails even if a grant slips through.
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = '30s';
-- Dashboard queries read day partitions by index; JIT would spend seconds compiling them (docs/performance.md).
ALTER ROLE :"reader" SET jit = off;
GRANT USAGE ON SCHEMA public TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
echo "grafana-reader: read-only role '$GRAFANA_DB_USER' created in database '$POSTGRES_DB'"
