#!/usr/bin/env bash
# Makes sure the services the backend matrix and the scale-out tests need are there:
# PostgreSQL 15 on 127.0.0.1:5432 (trust auth, database `test`), Redis on 127.0.0.1:6379,
# and nginx (the DEPLOY.md example is exercised on loopback). Idempotent: starts only what
# is down, installs nginx only if it is missing. Exits non-zero if a service stays down.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }
wait_for() { # name, command…
  local name=$1; shift
  for _ in $(seq 1 50); do "$@" && return 0; sleep 0.2; done
  echo "services: $name did not come up" >&2
  return 1
}

if pg_up; then
  echo "services: PostgreSQL is up"
else
  echo "services: starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for PostgreSQL pg_up
fi
# The tests connect as postgres to the database `test`.
if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; then
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc 'create database test'
fi

if redis_up; then
  echo "services: Redis is up"
else
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  wait_for Redis redis_up
fi

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  echo "services: nginx is installed"
else
  echo "services: installing nginx from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nginx >/dev/null
  # The tests run their own nginx on loopback ports; the packaged service is not needed.
  if pidof nginx >/dev/null 2>&1 && [ -f /run/nginx.pid ]; then kill "$(cat /run/nginx.pid)" || true; fi
fi

# The scale-out suite also starts private servers of its own (a redis-server and a
# PostgreSQL cluster on other ports, nginx with a self-signed certificate): check the tools.
for tool in redis-server openssl runuser /usr/sbin/nginx; do
  command -v "$tool" >/dev/null 2>&1 || { echo "services: $tool is missing" >&2; exit 1; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "services: initdb is missing" >&2; exit 1; }
echo "services: ready"
