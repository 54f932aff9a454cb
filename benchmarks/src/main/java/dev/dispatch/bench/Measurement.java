package dev.dispatch.bench;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Marks the measured part of a run in a JFR recording, so that JfrSummary leaves startup and shutdown out. */
@Name("dev.dispatch.bench.Measurement")
@Label("Benchmark measurement")
@Category("Benchmarks")
public final class Measurement extends Event {

    @Label("Workload")
    String workload;

    static Measurement begin(Config config) {
        Measurement event = new Measurement();
        event.workload = config.engine() + " " + config.workload() + " " + config.db() + " n=" + config.n();
        event.begin();
        return event;
    }

    void finish() {
        commit();
    }
}
