package dev.dispatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the RESULT lines that benchmarks/run.sh collected and prints a Markdown table of medians with min and max,
 * one row per engine, variant, workload and N, one column per database; then W3's time per 10x step and the
 * targets of issue 6, each met or not; then W6's section (FairnessTable).
 */
public final class Table {

    private Table() {}

    /** The field of a run's cold (first) pass, or of its warm (second) pass. */
    static String key(String key, boolean warm) {
        return warm ? "warm" + Character.toUpperCase(key.charAt(0)) + key.substring(1) : key;
    }

    record Run(Map<String, String> fields) {
        String get(String key) {
            return this.fields.getOrDefault(key, "");
        }

        double number(String key) {
            try {
                return Double.parseDouble(get(key));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        boolean verified() {
            return "true".equals(get("verified"));
        }

        String row() {
            return get("workload") + "|" + get("engine") + "|" + get("variant") + "|" + get("n");
        }
    }

    public static void main(String[] args) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String token : line.substring(7).trim().split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    fields.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            runs.add(new Run(fields));
        }
        Map<String, Map<String, List<Run>>> rows = new LinkedHashMap<>();
        for (Run run : runs) {
            rows.computeIfAbsent(run.row(), k -> new HashMap<>())
                    .computeIfAbsent(run.get("db"), k -> new ArrayList<>())
                    .add(run);
        }
        table(rows, false);
        if (runs.stream().anyMatch(r -> !r.get("warmRate").isEmpty())) {
            System.out.println("Warm: the second pass of the same workload in the same JVM, on a fresh database");
            System.out.println();
            table(rows, true);
        }
        double[] loads = runs.stream()
                .map(r -> r.get("load").split("/")[0])
                .filter(l -> !l.isEmpty())
                .mapToDouble(l -> {
                    try {
                        return Double.parseDouble(l);
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                })
                .filter(l -> !Double.isNaN(l))
                .sorted()
                .toArray();
        if (loads.length > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "1-minute load average when the runs started: median %.1f (%.1f–%.1f) on %d cores%n%n",
                    median(loads),
                    loads[0],
                    loads[loads.length - 1],
                    Runtime.getRuntime().availableProcessors());
        }
        for (boolean warm : List.of(false, true)) {
            for (String db : List.of("h2", "pg", "mdb")) {
                summary(runs, db, warm);
            }
        }
        FairnessTable.print(runs);
    }

    private static void table(Map<String, Map<String, List<Run>>> rows, boolean warm) {
        System.out.println("| workload | engine (variant) | N | H2 file | PostgreSQL | MariaDB |");
        System.out.println("|---|---|---:|---|---|---|");
        for (Map.Entry<String, Map<String, List<Run>>> row : rows.entrySet()) {
            String[] key = row.getKey().split("\\|");
            String engine = "default".equals(key[2])
                    ? ("dispatch".equals(key[1]) ? "dispatch (bare)" : key[1])
                    : key[1] + " (" + key[2] + ")";
            List<Run> h2 = row.getValue().get("h2");
            List<Run> pg = row.getValue().get("pg");
            List<Run> mdb = row.getValue().get("mdb");
            if (warm && !hasWarm(h2) && !hasWarm(pg) && !hasWarm(mdb)) {
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %,d | %s | %s | %s |%n",
                    key[0],
                    engine,
                    Integer.parseInt(key[3]),
                    cell(warm && !hasWarm(h2) ? null : h2, key[0], warm),
                    cell(warm && !hasWarm(pg) ? null : pg, key[0], warm),
                    cell(warm && !hasWarm(mdb) ? null : mdb, key[0], warm));
        }
        System.out.println();
    }

    private static boolean hasWarm(List<Run> runs) {
        return runs != null && runs.stream().anyMatch(r -> !r.get("warmRate").isEmpty());
    }

    private static String cell(List<Run> runs, String workload, boolean warm) {
        if (runs == null || runs.isEmpty()) {
            return "—";
        }
        long failed = runs.stream().filter(r -> !r.verified()).count();
        List<Run> ok = runs.stream().filter(Run::verified).toList();
        String failures = failed == 0 ? "" : " **" + failed + " of " + runs.size() + " failed**";
        if (ok.isEmpty()) {
            return "failed" + failures;
        }
        String text;
        if ("W2".equals(workload)) {
            text = String.format(
                    Locale.ROOT,
                    "p50 %s ms, p99 %s ms",
                    stat(ok, key("p50", warm), "%.2f"),
                    stat(ok, key("p99", warm), "%.2f"));
        } else {
            text = stat(ok, key("rate", warm), "%,.0f") + "/s";
            if (ok.get(0).number("n") >= 100_000) {
                text += String.format(
                        Locale.ROOT,
                        "; %s s; peak heap %s MB used, %s MB live",
                        stat(ok, key("seconds", warm), "%.1f"),
                        stat(ok, "heapMb", "%.0f"),
                        stat(ok, "liveMb", "%.0f"));
            }
        }
        return text + " ×" + ok.size() + failures;
    }

    /** "median (min–max)", or just the value for one run. */
    static String stat(List<Run> runs, String key, String format) {
        double[] values = runs.stream()
                .mapToDouble(r -> r.number(key))
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        if (values.length == 0) {
            return "—";
        }
        String median = String.format(Locale.ROOT, format, median(values));
        if (values.length == 1) {
            return median;
        }
        return median
                + " ("
                + String.format(Locale.ROOT, format, values[0])
                + "–"
                + String.format(Locale.ROOT, format, values[values.length - 1])
                + ")";
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Optional<Double> median(
            List<Run> runs, String db, String engine, String variant, String workload, double n, String key) {
        double[] values = runs.stream()
                .filter(Run::verified)
                .filter(r -> r.get("db").equals(db)
                        && r.get("engine").equals(engine)
                        && r.get("workload").equals(workload))
                .filter(r -> variant == null || r.get("variant").equals(variant))
                .filter(r -> n == 0 || r.number("n") == n)
                .mapToDouble(r -> r.number(key))
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(median(values));
    }

    private static void summary(List<Run> runs, String db, boolean warm) {
        String name = switch (db) {
                    case "h2" -> "H2 file";
                    case "mdb" -> "MariaDB";
                    default -> "PostgreSQL";
                }
                + (warm ? ", warm" : "");
        if (runs.stream()
                .noneMatch(r ->
                        r.get("db").equals(db) && (!warm || !r.get("warmRate").isEmpty()))) {
            return;
        }
        double tasks = runs.stream()
                .filter(r -> r.get("db").equals(db) && "W4".equals(r.get("workload")))
                .mapToDouble(r -> r.number("n"))
                .max()
                .orElse(0);
        double fastestPeer = 0;
        String fastestName = "none";
        for (String peer : List.of("db-scheduler", "jobrunr", "dbos")) {
            for (Run r : runs) {
                if (r.get("engine").equals(peer) && r.get("db").equals(db)) {
                    Optional<Double> rate =
                            median(runs, db, peer, r.get("variant"), "tasks", r.number("n"), key("rate", warm));
                    if (rate.isPresent() && rate.get() > fastestPeer) {
                        fastestPeer = rate.get();
                        fastestName = peer + " (" + r.get("variant") + ")";
                    }
                }
            }
        }
        double floor = median(runs, db, "raw", "batched", "tasks", tasks, key("rate", warm))
                .orElse(Double.NaN);
        System.out.printf(
                Locale.ROOT,
                "%s: fastest peer%s %s %,.0f/s; batched raw-JDBC floor %,.0f/s; W1/W4 target max(2 x peer, floor / 2) = %,.0f/s%n",
                name,
                warm ? " with a warm pass" : "",
                fastestName,
                fastestPeer,
                floor,
                Math.max(2 * fastestPeer, floor / 2));
        double target = Math.max(2 * fastestPeer, floor / 2);
        double peer = fastestPeer;
        for (String variant : List.of("default", "typical")) {
            for (String workload : List.of("W1", "W4")) {
                median(runs, db, "dispatch", variant, workload, tasks, key("rate", warm))
                        .ifPresent(rate -> System.out.printf(
                                Locale.ROOT,
                                "  %s %s N=%,.0f: %,.0f/s = %.2f x fastest peer, %.2f x floor: %s%n",
                                workload,
                                "default".equals(variant) ? "bare" : variant,
                                tasks,
                                rate,
                                rate / peer,
                                rate / floor,
                                rate >= target ? "target met" : "target NOT met"));
            }
        }
        // W5 (issue 19): many small runs, against db-scheduler doing the same tasks; target 2 x db-scheduler.
        Optional<Double> w5Peer = median(runs, db, "db-scheduler", null, "W5", 0, key("rate", warm));
        for (String variant : List.of("default", "typical")) {
            median(runs, db, "dispatch", variant, "W5", 0, key("rate", warm))
                    .ifPresent(rate -> System.out.printf(
                            Locale.ROOT,
                            "  W5 %s: %,.0f/s = %.2f x db-scheduler's %,.0f/s (target >= 2 x): %s%n",
                            "default".equals(variant) ? "bare" : variant,
                            rate,
                            rate / w5Peer.orElse(Double.NaN),
                            w5Peer.orElse(Double.NaN),
                            w5Peer.isPresent() && rate >= 2 * w5Peer.get() ? "target met" : "target NOT met"));
        }
        double w2Target = "h2".equals(db) ? 1.0 : 3.0;
        median(runs, db, "dispatch", "default", "W2", 0, key("p50", warm))
                .ifPresent(p50 -> System.out.printf(
                        Locale.ROOT,
                        "  W2 p50 %.2f ms per step (target <= %.0f ms): %s%n",
                        p50,
                        w2Target,
                        p50 <= w2Target ? "target met" : "target NOT met"));
        if (warm) {
            return;
        }
        double[] ns = runs.stream()
                .filter(r -> r.verified()
                        && r.get("db").equals(db)
                        && "W1".equals(r.get("workload"))
                        && "default".equals(r.get("variant")))
                .mapToDouble(r -> r.number("n"))
                .distinct()
                .sorted()
                .toArray();
        for (int i = 1; i < ns.length; i++) {
            double before = median(runs, db, "dispatch", "default", "W1", ns[i - 1], "seconds")
                    .orElse(Double.NaN);
            double after = median(runs, db, "dispatch", "default", "W1", ns[i], "seconds")
                    .orElse(Double.NaN);
            double ratio = after / before;
            double growth = ns[i] / ns[i - 1];
            System.out.printf(
                    Locale.ROOT,
                    "  W3 N %,.0f -> %,.0f (x%.0f): time x%.1f (target <= x%.0f): %s%n",
                    ns[i - 1],
                    ns[i],
                    growth,
                    ratio,
                    growth * 1.1,
                    ratio <= growth * 1.1 ? "target met" : "target NOT met");
        }
        runs.stream()
                .filter(r -> r.verified()
                        && r.get("db").equals(db)
                        && "W1".equals(r.get("workload"))
                        && r.number("n") >= 100_000)
                .findFirst()
                .ifPresent(r -> System.out.printf(
                        Locale.ROOT,
                        "  W3 N=%,.0f ran within -Xmx512m: peak heap %s MB used, %s MB live after GC%n",
                        r.number("n"),
                        r.get("heapMb"),
                        r.get("liveMb")));
    }
}
