#!/usr/bin/env bash
# A local cluster of the service, everything under one directory in /tmp:
#   PostgreSQL primary + a streaming replica (pg_basebackup -R), Redis, three instances of the
#   service on loopback ports, nginx in front of them.
#
#   scripts/cluster.sh start|stop|status            (npm run cluster -- start|stop|status)
#   scripts/cluster.sh stop-instance N|start-instance N    (N = 1, 2, 3: a rolling restart by hand)
#
# Environment: CLUSTER_DIR (default /tmp/kc-cluster), CLUSTER_PORT (default 56400: primary on it,
# replica +1, Redis +2, nginx +3, instances +11, +12, +13), CLUSTER_RUNTIME=dist to run the compiled
# build (npm run build first) instead of the sources, RATE_LIMIT_MAX (default 600) for the instances.
# Migrations run once, as the schema's owner, before the instances start with MIGRATE_ON_START=false.
set -euo pipefail
cd "$(dirname "$0")/.."
# The Node.js that npm install put there (package.json), as npm scripts have it, before the machine's.
export PATH="$PWD/node_modules/.bin:$PATH"

DIR=${CLUSTER_DIR:-/tmp/kc-cluster}
BASE=${CLUSTER_PORT:-56400}
PRIMARY=$BASE REPLICA=$((BASE + 1)) REDIS=$((BASE + 2)) NGINX=$((BASE + 3))
INSTANCES=(1 2 3)
instance_port() { echo $((BASE + 10 + $1)); }
DB=khuyencong
OWNER_URL="postgres://kc_owner@127.0.0.1:$PRIMARY/$DB"
SERVICE_URL="postgres://kc_service@127.0.0.1:$PRIMARY/$DB"
READ_URL="postgres://kc_service@127.0.0.1:$REPLICA/$DB"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
say() { printf '%s\n' "$*"; }
die() { say "cluster: $*" >&2; exit 1; }
pg_up() { as_pg "$PG_BIN/pg_ctl" -D "$DIR/$1" -l "$DIR/$1.log" -w -t 60 -o "-p $2 -k $DIR -c listen_addresses=127.0.0.1 $3" start >/dev/null; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until URL answers 2xx, for at most $2 seconds, while the process of pid file $3 (if any) lives.
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    [ -z "${3:-}" ] || alive "$3" || return 1
    sleep 0.3
  done
}

start_instance() {
  local n=$1 port
  port=$(instance_port "$n")
  alive "$DIR/app-$n.pid" && return 0
  # node itself, not npm: the pid recorded is the server's, so a kill reaches it.
  local cmd=(node src/server.ts)
  [ "${CLUSTER_RUNTIME:-}" = dist ] && cmd=(node --max-old-space-size=192 dist/src/server.js)
  # setsid: the instance outlives this script, and a stop signals it alone.
  HOST=127.0.0.1 PORT=$port DATABASE_URL=$SERVICE_URL DATABASE_READ_URL=$READ_URL \
    MIGRATION_DATABASE_URL='' MIGRATE_ON_START=false DEMO_DATA=false REDIS_URL="redis://127.0.0.1:$REDIS" \
    TRUST_PROXY=true RATE_LIMIT_MAX=${RATE_LIMIT_MAX:-600} SHUTDOWN_GRACE=${SHUTDOWN_GRACE:-10s} \
    PUBLIC_URL="http://127.0.0.1:$NGINX" \
    setsid "${cmd[@]}" >>"$DIR/app-$n.log" 2>&1 </dev/null &
  echo $! >"$DIR/app-$n.pid"
  wait_http "http://127.0.0.1:$port/readyz" 120 "$DIR/app-$n.pid" || die "instance $n did not become ready (see $DIR/app-$n.log)"
  say "instance $n: http://127.0.0.1:$port (pid $(cat "$DIR/app-$n.pid"))"
}

stop_instance() {
  local pidfile="$DIR/app-$1.pid"
  alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  # The instance's own shutdown: in-flight requests finish, then it exits.
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  say "instance $1 stopped"
}

nginx_conf() {
  local servers=""
  for n in "${INSTANCES[@]}"; do
    servers+="    server 127.0.0.1:$(instance_port "$n") max_fails=1 fail_timeout=2s;"$'\n'
  done
  cat <<EOF
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log $DIR/nginx-access.log;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi;
  scgi_temp_path $DIR/nginx/scgi;
  upstream api {
$servers    keepalive 32;
  }
  server {
    listen 127.0.0.1:$NGINX;
    client_max_body_size 64m;
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # An instance that is down or shutting down: the next one. A request already sent is retried
      # only if its method is idempotent (nginx's default); a client retries a POST with the same
      # Idempotency-Key.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 1s;
      proxy_read_timeout 300s;
      proxy_request_buffering off;
    }
  }
}
EOF
}

start() {
  [ -n "$PG_BIN" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install redis-server)"
  command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx-light)"
  [ -e "$DIR/primary" ] && die "$DIR exists: the cluster is running (status) or left over (stop)"
  # A start that fails half-way leaves nothing running.
  trap 'say "cluster: start failed; stopping what had started" >&2; stop >&2' EXIT
  mkdir -p "$DIR/nginx"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"

  as_pg "$PG_BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  pg_up primary "$PRIMARY" "-c wal_level=replica -c max_wal_senders=5"
  say "PostgreSQL primary: 127.0.0.1:$PRIMARY"
  # The two roles of README, Running on PostgreSQL: the owner migrates, the service owns nothing.
  local psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PRIMARY" -U postgres)
  "${psql[@]}" -c "create role kc_owner login createrole bypassrls" -c "create database $DB owner kc_owner"
  # Once per release, before the instances: the owner's migration (they start with MIGRATE_ON_START=false).
  MIGRATION_DATABASE_URL=$OWNER_URL DATABASE_URL=$OWNER_URL node scripts/migrate.ts latest \
    >"$DIR/migrate.log" 2>&1 || die "migration failed (see $DIR/migrate.log)"
  "${psql[@]}" -d "$DB" -c "create role kc_service login" -c "grant kc_app to kc_service"
  say "migrated as kc_owner; the service logs in as kc_service"

  as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY" -U postgres -D "$DIR/replica" -R -X stream -c fast
  pg_up replica "$REPLICA" "-c hot_standby_feedback=on"
  say "PostgreSQL replica: 127.0.0.1:$REPLICA (streaming from the primary)"

  redis-server --port "$REDIS" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR"
  say "Redis: 127.0.0.1:$REDIS"

  for n in "${INSTANCES[@]}"; do start_instance "$n" & done
  wait
  for n in "${INSTANCES[@]}"; do alive "$DIR/app-$n.pid" || die "instance $n did not start"; done

  nginx_conf >"$DIR/nginx.conf"
  nginx -e "$DIR/nginx-error.log" -p "$DIR" -c "$DIR/nginx.conf"
  wait_http "http://127.0.0.1:$NGINX/readyz" 20 || die "nginx does not answer (see $DIR/nginx-error.log)"
  trap - EXIT
  say ""
  say "The service: http://127.0.0.1:$NGINX (docs: /docs). A token: npm run -s token -- --role ministry"
  say "Stop it all: scripts/cluster.sh stop"
}

stop() {
  [ -d "$DIR" ] || { say "no cluster in $DIR"; return 0; }
  alive "$DIR/nginx.pid" && nginx -e "$DIR/nginx-error.log" -p "$DIR" -c "$DIR/nginx.conf" -s stop || true
  for n in "${INSTANCES[@]}"; do stop_instance "$n" & done
  wait
  alive "$DIR/redis.pid" && kill -TERM "$(cat "$DIR/redis.pid")" || true
  for node in replica primary; do
    [ -f "$DIR/$node/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/$node" -m fast -w stop >/dev/null || true
  done
  rm -rf "$DIR"
  say "stopped; $DIR removed"
}

status() {
  [ -d "$DIR" ] || { say "no cluster in $DIR"; return 1; }
  local down=0
  check() { if "$@" >/dev/null 2>&1; then say "  up    $label"; else say "  DOWN  $label"; down=1; fi; }
  label="PostgreSQL primary 127.0.0.1:$PRIMARY" check "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PRIMARY"
  label="PostgreSQL replica 127.0.0.1:$REPLICA" check "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$REPLICA"
  label="Redis 127.0.0.1:$REDIS" check alive "$DIR/redis.pid"
  for n in "${INSTANCES[@]}"; do
    label="instance $n http://127.0.0.1:$(instance_port "$n")" check curl -fsS --max-time 2 "http://127.0.0.1:$(instance_port "$n")/readyz"
  done
  label="nginx http://127.0.0.1:$NGINX" check curl -fsS --max-time 2 "http://127.0.0.1:$NGINX/readyz"
  "$PG_BIN/psql" -X -At -h 127.0.0.1 -p "$PRIMARY" -U postgres -c \
    "select '  replica lag: ' || coalesce(replay_lag::text, '0') || ', ' || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) || ' bytes' from pg_stat_replication" 2>/dev/null || true
  return $down
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  stop-instance) stop_instance "${2:?instance number}" ;;
  start-instance) start_instance "${2:?instance number}" ;;
  *) die "usage: scripts/cluster.sh start|stop|status|stop-instance N|start-instance N" ;;
esac
