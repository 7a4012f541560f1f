# Sourced by .ci/run (under set -euo pipefail): initialises a throwaway
# PostgreSQL cluster in a temporary directory, starts it on a free loopback
# port for the PostgreSQL module's tests (postgres/), exports POSTGRES_DSN,
# and stops and deletes it when .ci/run exits. Installs Debian's postgresql
# with apt when its server programs are missing. Run as root, it runs the
# server as the user postgres (PostgreSQL refuses to run as root), creating
# that user if needed.

# The server programs: initdb and pg_ctl on the PATH, else Debian's
# /usr/lib/postgresql/<version>/bin (the newest).
pg_ci_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

pg_ci_bindir=$(pg_ci_bin || true)
if [ -z "$pg_ci_bindir" ]; then
  echo "== installing postgresql"
  apt-get update
  apt-get install -y postgresql
  pg_ci_bindir=$(pg_ci_bin)
fi

pg_ci_dir=$(mktemp -d)
pg_ci_as=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  chown postgres: "$pg_ci_dir"
  pg_ci_as=(runuser -u postgres --)
fi

pg_ci_stop() {
  if [ -f "$pg_ci_dir/data/postmaster.pid" ]; then
    "${pg_ci_as[@]}" "$pg_ci_bindir/pg_ctl" -D "$pg_ci_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_ci_dir"
}

# Append the stop to whatever EXIT trap is already set.
eval "pg_ci_prev_trap=$(trap -p EXIT | sed -E 's/^trap -- (.*) EXIT$/\1/')"
# shellcheck disable=SC2064
trap -- "${pg_ci_prev_trap:+$pg_ci_prev_trap; }pg_ci_stop" EXIT

"${pg_ci_as[@]}" "$pg_ci_bindir/initdb" -D "$pg_ci_dir/data" -U couponkit -A trust -E UTF8 -N >"$pg_ci_dir/initdb.log" 2>&1 || {
  echo "initdb failed:" >&2
  cat "$pg_ci_dir/initdb.log" >&2
  exit 1
}

# A free port: nothing answers on it, and the server binds it. pg_ctl -w
# returns once the server accepts connections (or failed to start).
pg_ci_port=
for pg_ci_try in $(seq 1 20); do
  pg_ci_candidate=$((20000 + RANDOM % 30000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$pg_ci_candidate") 2>/dev/null; then
    continue
  fi
  if "${pg_ci_as[@]}" "$pg_ci_bindir/pg_ctl" -D "$pg_ci_dir/data" -l "$pg_ci_dir/postgres.log" -w -t 60 \
    -o "-p $pg_ci_candidate -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_ci_dir -c fsync=off -c full_page_writes=off" \
    start >/dev/null; then
    pg_ci_port=$pg_ci_candidate
    break
  fi
done
if [ -z "$pg_ci_port" ]; then
  echo "postgres did not start on any of $pg_ci_try ports:" >&2
  cat "$pg_ci_dir/postgres.log" >&2 || true
  exit 1
fi

export POSTGRES_DSN="postgres://couponkit@127.0.0.1:$pg_ci_port/postgres?sslmode=disable"
echo "== postgres ($("$pg_ci_bindir/postgres" --version)) on 127.0.0.1:$pg_ci_port"
