#!/usr/bin/env bash
# The top frames of a JFR recording's CPU samples, with the JDK's `jfr` tool (issue 19):
#
#   benchmarks/jfr-top.sh FILE.jfr [TOP]
#
# Prints the samples by innermost frame (self), by library (innermost frame outside java./jdk./sun.), and by the
# innermost engine frame (dev.dispatch.*, not the harness). Whole recording, start-up included; JfrSummary
# (docs/benchmarks.md) keeps only the measured window and adds the blocked time.
set -euo pipefail
file="$1"
top="${2:-20}"
jfr_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
"$jfr_bin" print --events jdk.ExecutionSample --stack-depth 64 "$file" | awk -v top="$top" '
    function library(frame) {
        if (frame ~ /^org\.h2\./) return "H2"
        if (frame ~ /^org\.postgresql\./) return "PostgreSQL driver"
        if (frame ~ /^org\.mariadb\./) return "MariaDB driver"
        if (frame ~ /^com\.zaxxer\.hikari\./) return "HikariCP"
        if (frame ~ /^org\.hibernate\./) return "Hibernate"
        if (frame ~ /^(tools|com\.fasterxml)\.jackson\./) return "Jackson"
        if (frame ~ /^io\.micrometer\.observation\./) return "Micrometer observation"
        if (frame ~ /^io\.micrometer\./) return "Micrometer"
        if (frame ~ /^io\.prometheus\./) return "Prometheus client"
        if (frame ~ /^org\.apache\.(catalina|tomcat|coyote)\./) return "Tomcat"
        if (frame ~ /^org\.springframework\./) return "Spring"
        if (frame ~ /^dev\.dispatch\.bench\./) return "benchmark harness"
        if (frame ~ /^dev\.dispatch\./) return "Dispatch engine"
        if (frame ~ /^ch\.qos\.logback\./) return "Logback"
        return ""
    }
    /^jdk\.ExecutionSample/ { in_stack = 0; depth = 0; lib = ""; engine = ""; next }
    /stackTrace = \[/ { in_stack = 1; samples++; next }
    in_stack && /^[[:space:]]*\]/ {
        in_stack = 0
        libs[lib == "" ? "JDK / JVM only" : lib]++
        if (engine != "") engines[engine]++
        next
    }
    in_stack {
        frame = $1
        sub(/\(.*$/, "", frame)
        if (frame == "...") next
        depth++
        if (depth == 1) self[frame]++
        if (lib == "") lib = library(frame)
        if (engine == "" && frame ~ /^dev\.dispatch\./ && frame !~ /^dev\.dispatch\.bench\./) engine = frame
    }
    function dump(title, counts,    k, n, i, keys, order) {
        printf "\n%s:\n", title
        n = 0
        for (k in counts) { n++; keys[n] = k }
        for (i = 1; i <= n; i++) order[i] = sprintf("%09d %s", counts[keys[i]], keys[i])
        asort(order)
        for (i = n; i > n - top && i >= 1; i--) {
            split(order[i], parts, " ")
            printf "  %5.1f%%  %s\n", 100 * parts[1] / samples, substr(order[i], index(order[i], " ") + 1)
        }
    }
    END {
        printf "%d CPU samples\n", samples
        dump("By library (innermost known frame)", libs)
        dump("Hot methods (self)", self)
        dump("Innermost engine frame", engines)
    }'
