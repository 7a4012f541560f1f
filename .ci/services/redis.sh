# Sourced by .ci/run (under set -euo pipefail): starts a throwaway
# redis-server on a free loopback port for the Redis module's tests (redis/), exports
# REDIS_ADDR, and stops it when .ci/run exits. Installs redis-server with apt
# when it is missing. Keeps nothing on disk.

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "== installing redis-server"
  apt-get update
  apt-get install -y redis-server
fi

redis_ci_dir=$(mktemp -d)
redis_ci_pidfile="$redis_ci_dir/redis.pid"
redis_ci_port=

redis_ci_stop() {
  if [ -s "$redis_ci_pidfile" ]; then
    kill "$(cat "$redis_ci_pidfile")" 2>/dev/null || true
  fi
  rm -rf "$redis_ci_dir"
}

# Append the stop to whatever EXIT trap is already set.
eval "redis_ci_prev_trap=$(trap -p EXIT | sed -E 's/^trap -- (.*) EXIT$/\1/')"
# shellcheck disable=SC2064
trap -- "${redis_ci_prev_trap:+$redis_ci_prev_trap; }redis_ci_stop" EXIT

# A free port: nothing answers on it, and redis-server binds it.
for redis_ci_try in $(seq 1 20); do
  redis_ci_candidate=$((20000 + RANDOM % 30000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$redis_ci_candidate") 2>/dev/null; then
    continue
  fi
  if redis-server --port "$redis_ci_candidate" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$redis_ci_pidfile" --dir "$redis_ci_dir" \
    --logfile "$redis_ci_dir/redis.log"; then
    redis_ci_port=$redis_ci_candidate
    break
  fi
done
if [ -z "$redis_ci_port" ]; then
  echo "redis-server did not start on any of $redis_ci_try ports" >&2
  exit 1
fi

# Wait until it answers (10 s at most).
for redis_ci_try in $(seq 1 100); do
  if [ "$(redis-cli -h 127.0.0.1 -p "$redis_ci_port" ping 2>/dev/null)" = "PONG" ]; then
    break
  fi
  if [ "$redis_ci_try" = 100 ]; then
    echo "redis-server on port $redis_ci_port did not answer PING:" >&2
    cat "$redis_ci_dir/redis.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done

export REDIS_ADDR="127.0.0.1:$redis_ci_port"
echo "== redis-server on $REDIS_ADDR"
