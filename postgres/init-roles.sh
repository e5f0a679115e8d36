#!/bin/sh
# First start of the postgres service (empty data volume): the roles Karat uses.
#   karat_owner  owns the database and every table; migrations run as it
#                (MIGRATE_DATABASE_URL)
#   karat_app    what web, worker and beat connect as (DATABASE_URL): reads and
#                writes rows, owns nothing, no superuser, no BYPASSRLS, so PostgreSQL's
#                row-level security applies to it
# Passwords come from .env.prod (KARAT_OWNER_PASSWORD, KARAT_APP_PASSWORD).
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$KARAT_OWNER_PASSWORD" -v app_password="$KARAT_APP_PASSWORD" <<'SQL'
CREATE ROLE karat_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE karat_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE karat OWNER karat_owner;
\connect karat
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO karat_owner;
GRANT USAGE ON SCHEMA public TO karat_app;
-- Tables and sequences that migrations create later are usable by the app role.
ALTER DEFAULT PRIVILEGES FOR ROLE karat_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO karat_app;
ALTER DEFAULT PRIVILEGES FOR ROLE karat_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO karat_app;
SQL
