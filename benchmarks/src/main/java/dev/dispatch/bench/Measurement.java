package dev.dispatch.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
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

    /** CPU time this process spent inside the last finished measurement, in milliseconds (all threads). */
    static volatile long lastCpuMillis = -1;

    private long cpuAtBegin;

    static Measurement begin(Config config) {
        Measurement event = new Measurement();
        event.cpuAtBegin = processCpuNanos();
        event.workload = config.engine() + " " + config.workload() + " " + config.db() + " n=" + config.n();
        event.begin();
        return event;
    }

    void finish() {
        commit();
        long cpu = processCpuNanos();
        lastCpuMillis = (cpu >= 0 && this.cpuAtBegin >= 0) ? (cpu - this.cpuAtBegin) / 1_000_000 : -1;
    }

    private static long processCpuNanos() {
        return (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)
                ? os.getProcessCpuTime()
                : -1;
    }
}
