package dev.dispatch.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Table's W6 section (issue 19: the fairness latency of issue 18): per database, the small run's latency and how many
 * of the large run's calls finished before it, medians with min and max, cold and warm, for Dispatch bare and typical
 * and db-scheduler; then the target, met or not, per database and pass: Dispatch's small run finishes before half of
 * the large run's calls have ({@code largeDoneBefore < n / 2}) and sooner than db-scheduler's.
 */
final class FairnessTable {

    /** The rows: engine, variant, name. */
    private static final List<List<String>> ENGINES = List.of(
            List.of("dispatch", "default", "dispatch (bare)"),
            List.of("dispatch", "typical", "dispatch (typical)"),
            List.of("db-scheduler", "fetch", "db-scheduler (fetch)"));

    private static final List<List<String>> DATABASES =
            List.of(List.of("h2", "H2 file"), List.of("pg", "PostgreSQL"), List.of("mdb", "MariaDB"));

    private FairnessTable() {}

    static void print(List<Table.Run> all) {
        List<Table.Run> runs =
                all.stream().filter(r -> "W6".equals(r.get("workload"))).toList();
        if (runs.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("W6: a 10-call run started once a large run's N calls are recorded: the small run's latency"
                + " (ms) and the large run's calls finished before it");
        System.out.println();
        System.out.println("| database | engine (variant) | N | small run | large done before | small run, warm"
                + " | large done before, warm | runs |");
        System.out.println("|---|---|---:|---|---|---|---|---|");
        for (List<String> db : DATABASES) {
            for (List<String> engine : ENGINES) {
                List<Table.Run> these = of(runs, db.get(0), engine.get(0), engine.get(1));
                if (these.isEmpty()) {
                    continue;
                }
                List<Table.Run> ok = these.stream().filter(Table.Run::verified).toList();
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %s | %,.0f | %s | %s | %s | %s | %s |%n",
                        db.get(1),
                        engine.get(2),
                        these.get(0).number("n"),
                        Table.stat(ok, "smallMs", "%,.0f"),
                        Table.stat(ok, "largeDoneBefore", "%,.0f"),
                        Table.stat(ok, "warmSmallMs", "%,.0f"),
                        Table.stat(ok, "warmLargeDoneBefore", "%,.0f"),
                        ok.size() == these.size()
                                ? Integer.toString(ok.size())
                                : String.format(
                                        Locale.ROOT, "**%d of %d failed**", these.size() - ok.size(), these.size()));
            }
        }
        System.out.println();
        for (boolean warm : List.of(false, true)) {
            for (List<String> db : DATABASES) {
                verdict(runs, db, warm);
            }
        }
    }

    private static void verdict(List<Table.Run> runs, List<String> db, boolean warm) {
        String smallKey = Table.key("smallMs", warm);
        String beforeKey = Table.key("largeDoneBefore", warm);
        Optional<Double> peer = median(of(runs, db.get(0), "db-scheduler", "fetch"), smallKey);
        Optional<Double> peerBefore = median(of(runs, db.get(0), "db-scheduler", "fetch"), beforeKey);
        boolean header = false;
        for (String variant : List.of("default", "typical")) {
            List<Table.Run> these = of(runs, db.get(0), "dispatch", variant);
            Optional<Double> small = median(these, smallKey);
            Optional<Double> before = median(these, beforeKey);
            if (small.isEmpty() || before.isEmpty()) {
                continue;
            }
            if (!header) {
                System.out.println(db.get(1) + (warm ? ", warm" : "") + ":");
                header = true;
            }
            double n = these.get(0).number("n");
            boolean met = before.get() < n / 2 && peer.isPresent() && small.get() < peer.get();
            System.out.printf(
                    Locale.ROOT,
                    "  W6 %s: small run %,.0f ms, %,.0f of %,.0f large calls before it; db-scheduler's %,.0f ms, %,.0f"
                            + " before it (target < %,.0f before it and sooner than db-scheduler): %s%n",
                    "default".equals(variant) ? "bare" : variant,
                    small.get(),
                    before.get(),
                    n,
                    peer.orElse(Double.NaN),
                    peerBefore.orElse(Double.NaN),
                    n / 2,
                    met ? "target met" : "target NOT met");
        }
    }

    private static List<Table.Run> of(List<Table.Run> runs, String db, String engine, String variant) {
        return runs.stream()
                .filter(r -> r.get("db").equals(db)
                        && r.get("engine").equals(engine)
                        && r.get("variant").equals(variant))
                .toList();
    }

    /** The median of a key over the verified runs, if any has it. */
    private static Optional<Double> median(List<Table.Run> runs, String key) {
        double[] values = runs.stream()
                .filter(Table.Run::verified)
                .mapToDouble(r -> r.number(key))
                .filter(v -> !Double.isNaN(v))
                .sorted()
                .toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(Table.median(values));
    }
}
