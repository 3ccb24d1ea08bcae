#!/usr/bin/env bash
# Restores an archive of scripts/backup.sh into PostgreSQL and a git storage
# directory. Every part is checked against the manifest's sha256 first; the
# target databases and directory must not exist yet (a restore never merges
# into or overwrites a running portal's data).
#
#   scripts/restore.sh --in portal-backup.tar [--prefix backstage_plugin_] [--git-dir /var/lib/portal/git]
#
# --prefix: the target's backend.database.prefix (default: the backup's), so a
# backup can be restored beside the original for a check. PostgreSQL from the
# libpq environment (PGHOST, PGUSER, ...) or --url; the user needs CREATEDB.
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }
say() { echo "restore: $*" >&2; }

in="" prefix="" git_dir="/var/lib/portal/git" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --in) in="${2:?--in needs a file}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    --git-dir) git_dir="${2:?--git-dir needs a directory}"; shift 2 ;;
    --url) url="${2:?--url needs a connection string}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ -f "$in" ] || die "--in $in is not a file"
if [ -e "$git_dir" ] && [ -n "$(ls -A "$git_dir" 2>/dev/null)" ]; then
  die "--git-dir $git_dir is not empty: restore into a new directory"
fi

pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$pgbin" ] && PATH="$pgbin:$PATH"
command -v pg_restore >/dev/null 2>&1 || die "pg_restore not found (install postgresql-client)"

conn=()
[ -n "$url" ] && conn=(--dbname "$url")
psql_at() { psql "${conn[@]}" -X -v ON_ERROR_STOP=1 -At "$@"; }
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

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$in" || die "$in is not a backup archive"
manifest="$work/manifest.json"
grep -q '"format": "cloud-smart-portal-backup/1"' "$manifest" 2>/dev/null ||
  die "$in has no manifest of scripts/backup.sh"
field() { sed -nE "s/.*\"$1\": \"([^\"]*)\".*/\\1/p" <<<"$2"; }
check_sha() { # file expected
  local actual
  actual="$(sha256sum "$work/$1" 2>/dev/null | cut -d' ' -f1)"
  [ "$actual" = "$2" ] || die "$1 does not match the manifest (sha256 $actual, expected $2): damaged archive"
}

from_prefix="$(field prefix "$(grep '"prefix"' "$manifest")")"
prefix="${prefix:-$from_prefix}"
[[ "$prefix" =~ ^[a-z0-9_]+$ ]] || die "--prefix must be lower-case letters, digits and _: $prefix"

mapfile -t entries < <(grep '"plugin"' "$manifest")
[ ${#entries[@]} -gt 0 ] || die "the manifest lists no database"
targets=()
for e in "${entries[@]}"; do
  check_sha "$(field file "$e")" "$(field sha256 "$e")"
  targets+=("$prefix$(field plugin "$e")")
done
git_line="$(grep '"git"' "$manifest")"
check_sha git.tar "$(field sha256 "$git_line")"

existing="$(psql_at -c "select datname from pg_database" | grep -Fx -f <(printf '%s\n' "${targets[@]}") || true)"
[ -z "$existing" ] || die "these databases exist already, refusing to overwrite: $(echo $existing)"

for i in "${!entries[@]}"; do
  e="${entries[$i]}" target="${targets[$i]}"
  say "pg_restore $(field name "$e") -> $target"
  psql_at -c "create database \"$target\"" >/dev/null
  pg_restore --no-owner --no-privileges --exit-on-error --dbname "$(db_url "$target")" "$work/$(field file "$e")"
done
mkdir -p "$git_dir"
tar -C "$git_dir" -xf "$work/git.tar"
say "restored ${#targets[@]} databases with prefix $prefix and the git storage into $git_dir"
