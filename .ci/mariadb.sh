#!/usr/bin/env bash
# Starts a throw-away MariaDB on a temp datadir and a loopback port; prints its TEST_MYSQL_URL.
# Usage: eval "$(.ci/mariadb.sh start [PORT])"   …   .ci/mariadb.sh stop
set -euo pipefail
cmd=${1:-start}
port=${2:-3307}
dir=${MINQING_MARIADB_DIR:-/tmp/minqing-mariadb-$port}
case "$cmd" in
  start)
    if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
      echo "installing mariadb-server…" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server) >&2
    fi
    PATH="$PATH:/usr/sbin:/usr/bin"
    if [ -S "$dir/sock" ] && mariadb-admin --socket="$dir/sock" -uroot ping >/dev/null 2>&1; then
      echo "export TEST_MYSQL_URL=mysql://root:minqing@127.0.0.1:$port/mysql"
      exit 0
    fi
    rm -rf "$dir" && mkdir -p "$dir/data"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
    mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
      --user="$(id -un)" --pid-file="$dir/pid" --log-error="$dir/error.log" --skip-log-bin \
      --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_unicode_ci >/dev/null 2>&1 &
    for _ in $(seq 1 60); do
      mariadb-admin --socket="$dir/sock" -uroot ping >/dev/null 2>&1 && break
      sleep 0.5
    done
    mariadb --socket="$dir/sock" -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED BY 'minqing'; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY 'minqing'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
    echo "export TEST_MYSQL_URL=mysql://root:minqing@127.0.0.1:$port/mysql"
    ;;
  stop)
    [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop [PORT]" >&2; exit 2 ;;
esac
