#!/usr/bin/env bash
# Backs up the portal: a custom-format pg_dump of each of its PostgreSQL
# databases (Backstage keeps one per plugin, named <prefix><plugin>) and the
# golden-path git storage (goldenPaths.git.rootDir), in one .tar archive with a
# manifest (manifest.json: databases, files, sha256 of each part).
#
#   scripts/backup.sh --out portal-backup.tar [--prefix backstage_plugin_] [--git-dir /var/lib/portal/git]
#
# PostgreSQL from the libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD,
# PGSSLMODE, ...) or a connection string in --url. The dumps of different
# databases are taken one after the other, not in one snapshot: run it when
# no GPU request is being provisioned, or scale the Deployment to 0 first
# (deploy/README.md).
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }
say() { echo "backup: $*" >&2; }

out="" prefix="backstage_plugin_" git_dir="/var/lib/portal/git" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    --git-dir) git_dir="${2:?--git-dir needs a directory}"; shift 2 ;;
    --url) url="${2:?--url needs a connection string}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ -n "$out" ] || die "--out is required (the archive to write)"
[[ "$prefix" =~ ^[a-z0-9_]+$ ]] || die "--prefix must be lower-case letters, digits and _: $prefix"
[ -d "$git_dir" ] || die "--git-dir $git_dir is not a directory (goldenPaths.git.rootDir)"

# The newest PostgreSQL client tools: pg_dump must not be older than the server.
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$pgbin" ] && PATH="$pgbin:$PATH"
command -v pg_dump >/dev/null 2>&1 || die "pg_dump not found (install postgresql-client)"

conn=()
[ -n "$url" ] && conn=(--dbname "$url")
psql_at() { psql "${conn[@]}" -X -v ON_ERROR_STOP=1 -At "$@"; }
# A connection string names a database; the others are reached by replacing it.
db_url() {
  if [ -n "$url" ]; then
    local base query
    base="$(sed -E 's#^(postgres(ql)?://[^/?]*).*#\1#' <<<"$url")"
    query="$(sed -nE 's#^[^?]*(\?.*)$#\1#p' <<<"$url")"
    echo "$base/$1$query"
  else
    echo "dbname=$1"
  fi
}

databases="$(psql_at -c "select datname from pg_database where left(datname, length('$prefix')) = '$prefix' and not datistemplate order by 1")" ||
  die "cannot list databases: PostgreSQL unreachable?"
[ -n "$databases" ] || die "no database starts with '$prefix' (backend.database.prefix)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/databases"
for db in $databases; do
  say "pg_dump $db"
  pg_dump --format=custom --no-owner --no-privileges --dbname "$(db_url "$db")" --file "$work/databases/$db.dump"
done
say "git storage $git_dir"
tar -C "$git_dir" -cf "$work/git.tar" .

sha() { sha256sum "$work/$1" | cut -d' ' -f1; }
{
  echo '{'
  echo '  "format": "cloud-smart-portal-backup/1",'
  echo "  \"createdAt\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"prefix\": \"$prefix\","
  echo "  \"postgresServer\": \"$(psql_at -c 'show server_version' | sed 's/"//g')\","
  echo '  "databases": ['
  sep=''
  for db in $databases; do
    printf '%s    {"name": "%s", "plugin": "%s", "file": "databases/%s.dump", "sha256": "%s"}' \
      "$sep" "$db" "${db#"$prefix"}" "$db" "$(sha "databases/$db.dump")"
    sep=$',\n'
  done
  echo
  echo '  ],'
  echo "  \"git\": {\"file\": \"git.tar\", \"sha256\": \"$(sha git.tar)\"}"
  echo '}'
} >"$work/manifest.json"
tar -C "$work" -cf "$out.partial" manifest.json databases git.tar
mv "$out.partial" "$out"
say "wrote $out ($(echo "$databases" | wc -w) databases, $(du -h "$out" | cut -f1))"
