#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, in one directory.
#
#   scripts/pg-server.sh start DIR   prints the URI of database `crm` on a server whose cluster, unix
#                                    socket and log are in DIR (made when missing, started when stopped)
#   scripts/pg-server.sh stop DIR    stops that server and removes DIR
#
# Both are idempotent: start on a running server prints its URI again, stop on no server does nothing.
# Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is thrown away.
# DIR should be short (a unix socket path is at most 107 bytes), plain (it goes into the URI as it is) and,
# when run as root, reachable by the `postgres` user.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
# The file that says DIR is ours, so that stop never removes a directory this script did not make.
marker=.crmctl-pg-server

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The newest installed server's bin directory; Debian's `postgresql` package when there is none.
server_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$found" ]; then
        echo "installing postgresql" >&2
        sudo_if_needed apt-get update -qq >&2
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    echo "$found"
}

# initdb and the server refuse to run as root, so root runs them as `postgres`; anyone else as themselves.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A TCP port nobody listens on now (the kernel's pick for an ephemeral bind).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

uri() { echo "postgresql:///crm?host=$dir&port=$(cat "$dir/port")&user=postgres"; }

start() {
    if [ -e "$dir" ] && [ ! -e "$dir/$marker" ] && [ -n "$(ls -A "$dir")" ]; then
        echo "$0: $dir is not empty and not a server of this script" >&2
        exit 1
    fi
    local bin
    bin=$(server_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    touch "$dir/$marker"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ ! -e "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
        free_port >"$dir/port"
        local options="-k '$dir' -p $(cat "$dir/port") -c listen_addresses=127.0.0.1"
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        # The test suite's concurrency tests start dozens of crmctl processes at once, beside the tests
        # running in parallel, each with a connection: more than the default 100.
        options+=" -c max_connections=300"
        as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -s -o "$options" \
            || { cat "$dir/server.log" >&2; exit 1; }
    fi
    if [ -z "$("$bin/psql" "$(uri | sed 's|/crm?|/postgres?|')" -XAtc "SELECT 1 FROM pg_database WHERE datname = 'crm'")" ]; then
        "$bin/createdb" -h "$dir" -p "$(cat "$dir/port")" -U postgres crm
    fi
    uri
}

stop() {
    [ -e "$dir/$marker" ] || return 0
    if [ -e "$dir/data/postmaster.pid" ]; then
        # immediate: nothing in a throwaway cluster is worth a checkpoint.
        as_owner "$(server_bin)/pg_ctl" stop -D "$dir/data" -m immediate -w -s >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
