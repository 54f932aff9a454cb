#!/usr/bin/env bash
# Makes sure the PostgreSQL tests have a server. Uses the one on 127.0.0.1:5432 when it answers; otherwise installs
# PostgreSQL from the distribution's packages if needed and starts a throwaway cluster on 127.0.0.1:5433 with its data
# directory under target/, stopped again when the calling shell exits. Each test class creates a fresh database of its
# own on that server, so runs never see each other's rows.
#
# Source it (`source .ci/postgres.sh`) to get DISPATCH_TEST_POSTGRES_URL exported; run locally the same way before
# `./mvnw verify` to include the PostgreSQL tests (without a server they are skipped, with the reason in the report).

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null \
        && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    echo "PostgreSQL: using the server on 127.0.0.1:5432"
    export DISPATCH_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:5432/postgres"
    return 0 2>/dev/null || exit 0
fi

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL: not installed; installing it from the distribution's packages"
    if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

pg_data="$PWD/target/ci-postgres"
pg_port=5433
rm -rf "$pg_data"
mkdir -p "$pg_data"
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user the package created.
    chown postgres "$pg_data" "$PWD/target"
    as_pg=(su postgres -s /bin/bash -c)
else
    as_pg=(bash -c)
fi
"${as_pg[@]}" "'$pg_bin/initdb' -D '$pg_data' -U postgres -A trust >/dev/null"
"${as_pg[@]}" "'$pg_bin/pg_ctl' -D '$pg_data' -l '$pg_data/server.log' -w \
    -o \"-p $pg_port -c listen_addresses=127.0.0.1 -k /tmp -c fsync=on -c synchronous_commit=on\" start >/dev/null"
echo "PostgreSQL: started a throwaway cluster on 127.0.0.1:$pg_port ($pg_data)"
export DISPATCH_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
# Stopped on exit, with whatever else the sourcing script registered (see .ci/mariadb.sh).
ci_cleanups+=("\"\${as_pg[@]}\" \"'$pg_bin/pg_ctl' -D '$pg_data' -m fast stop >/dev/null\" || true")
trap 'for ci_cleanup in "${ci_cleanups[@]}"; do eval "$ci_cleanup"; done' EXIT
