#!/usr/bin/env bash
# Makes sure the MariaDB tests have a server. Uses the one on 127.0.0.1:3306 when it answers (user root, no password);
# otherwise installs MariaDB from the distribution's packages if needed and starts a throwaway server on
# 127.0.0.1:3307 with its data directory under target/, stopped again when the calling shell exits. Each test class
# creates a fresh database of its own on that server, so runs never see each other's rows.
#
# Source it (`source .ci/mariadb.sh`) to get DISPATCH_TEST_MARIADB_URL exported; run locally the same way before
# `./mvnw verify` to include the MariaDB tests (without a server they are skipped, with the reason in the report).

mariadb_answers() {
    local port=$1
    if command -v mariadb >/dev/null 2>&1; then
        mariadb --protocol=TCP -h 127.0.0.1 -P "$port" -u root -e 'SELECT 1' >/dev/null 2>&1
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

if mariadb_answers 3306; then
    echo "MariaDB: using the server on 127.0.0.1:3306"
    export DISPATCH_TEST_MARIADB_URL="jdbc:mariadb://127.0.0.1:3306/"
    return 0 2>/dev/null || exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    echo "MariaDB: not installed; installing it from the distribution's packages"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq mariadb-server >/dev/null
fi

mdb_data="$PWD/target/ci-mariadb"
mdb_port=3307
rm -rf "$mdb_data"
mkdir -p "$mdb_data"
if [ "$(id -u)" -eq 0 ]; then mdb_user=(--user=root); else mdb_user=(); fi
mariadb-install-db --no-defaults "${mdb_user[@]}" --datadir="$mdb_data/data" --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
/usr/sbin/mariadbd --no-defaults "${mdb_user[@]}" --datadir="$mdb_data/data" --port="$mdb_port" \
    --bind-address=127.0.0.1 --socket="$mdb_data/mariadb.sock" --pid-file="$mdb_data/mariadb.pid" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500 \
    --log-error="$mdb_data/server.log" &
for _ in $(seq 1 60); do
    if mariadb_answers "$mdb_port"; then break; fi
    sleep 0.5
done
echo "MariaDB: started a throwaway server on 127.0.0.1:$mdb_port ($mdb_data)"
export DISPATCH_TEST_MARIADB_URL="jdbc:mariadb://127.0.0.1:$mdb_port/"
# Stopped on exit, with whatever else the sourcing script registered (see .ci/postgres.sh).
ci_cleanups+=("kill \"\$(cat '$mdb_data/mariadb.pid' 2>/dev/null)\" 2>/dev/null || true")
trap 'for ci_cleanup in "${ci_cleanups[@]}"; do eval "$ci_cleanup"; done' EXIT
