package dev.dispatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes in a JFR recording of one run (benchmarks/run.sh --jfr): CPU samples by library and by hot
 * method, the engine's own methods that lead to them, and the time threads spent blocked (monitors, parked locks,
 * socket reads, file syncs) by the engine frame that waited.
 *
 * <p>Usage: {@code java -cp benchmarks/target/classes dev.dispatch.bench.JfrSummary FILE.jfr [TOP [THREAD]]}: with
 * THREAD (a thread name's beginning, e.g. {@code dispatch-writer}), only the samples and waits of those threads.
 */
public final class JfrSummary {

    private static final String[][] LIBRARIES = {
        {"org.h2.", "H2 (driver and engine, in-process)"},
        {"org.postgresql.", "PostgreSQL JDBC driver"},
        {"com.zaxxer.hikari.", "HikariCP"},
        {"org.hibernate.", "Hibernate"},
        {"tools.jackson.", "Jackson"},
        {"com.fasterxml.jackson.", "Jackson"},
        {"org.springframework.jdbc.", "Spring JDBC"},
        {"org.springframework.transaction.", "Spring transactions"},
        {"org.springframework.orm.", "Spring ORM"},
        {"org.springframework.aop.", "Spring AOP"},
        {"org.springframework.", "Spring (other)"},
        {"io.micrometer.observation.", "Micrometer observation"},
        {"io.micrometer.", "Micrometer"},
        {"io.prometheus.", "Prometheus client"},
        {"org.apache.catalina.", "Tomcat"},
        {"org.apache.tomcat.", "Tomcat"},
        {"org.apache.coyote.", "Tomcat"},
        {"ch.qos.logback.", "Logback"},
        {"dev.dispatch.bench.", "benchmark harness"},
        {"dev.dispatch.", "Dispatch engine"},
        {"java.", "JDK"},
        {"jdk.", "JDK"},
        {"sun.", "JDK"},
    };

    private JfrSummary() {}

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String onlyThread = args.length > 2 ? args[2] : null;
        Map<String, Long> byLibrary = new HashMap<>();
        Map<String, Long> selfMethods = new HashMap<>();
        Map<String, Long> engineFrames = new HashMap<>();
        Map<String, Long> engineFramesInJdbc = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Duration> blocked = new HashMap<>();
        Map<String, Long> blockedCount = new HashMap<>();
        Map<String, Duration> blockedBySite = new HashMap<>();
        Map<String, Duration> blockedByThread = new HashMap<>();
        long samples = 0;
        long samplesInJdbc = 0;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (RecordedEvent event : events) {
            if ("dev.dispatch.bench.Measurement".equals(event.getEventType().getName())) {
                from = event.getStartTime();
                to = event.getEndTime();
            }
        }
        for (RecordedEvent event : events) {
            if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            String type = event.getEventType().getName();
            RecordedStackTrace stack = event.getStackTrace();
            if (onlyThread != null) {
                String field = "jdk.ExecutionSample".equals(type) ? "sampledThread" : "eventThread";
                RecordedThread thread = event.hasField(field) ? event.getThread(field) : null;
                if (thread == null
                        || thread.getJavaName() == null
                        || !thread.getJavaName().startsWith(onlyThread)) {
                    continue;
                }
            }
            if ("jdk.ExecutionSample".equals(type)) {
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                String thread = event.getThread("sampledThread") != null
                        ? event.getThread("sampledThread").getJavaName()
                        : "?";
                threads.merge(thread == null ? "?" : thread.replaceAll("\\d+$", "N"), 1L, Long::sum);
                selfMethods.merge(method(frames.get(0)), 1L, Long::sum);
                byLibrary.merge(library(frames), 1L, Long::sum);
                boolean inJdbc = frames.stream().anyMatch(f -> {
                    String c = f.getMethod().getType().getName();
                    return c.startsWith("org.h2.") || c.startsWith("org.postgresql.");
                });
                if (inJdbc) {
                    samplesInJdbc++;
                }
                String engine = firstEngineFrame(frames);
                if (engine != null) {
                    engineFrames.merge(engine, 1L, Long::sum);
                    if (inJdbc) {
                        engineFramesInJdbc.merge(engine, 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.JavaMonitorEnter")
                    || type.equals("jdk.ThreadPark")
                    || type.equals("jdk.SocketRead")
                    || type.equals("jdk.FileForce")
                    || type.equals("jdk.FileWrite")
                    || type.equals("jdk.JavaMonitorWait")) {
                Duration d = event.getDuration();
                String what = type.substring(4);
                if (type.equals("jdk.JavaMonitorEnter") && event.getClass("monitorClass") != null) {
                    what += " " + event.getClass("monitorClass").getName();
                } else if (type.equals("jdk.ThreadPark") && event.getClass("parkedClass") != null) {
                    what += " " + event.getClass("parkedClass").getName();
                }
                blocked.merge(what, d, Duration::plus);
                String waiter = event.getThread() != null ? event.getThread().getJavaName() : null;
                if (waiter != null) {
                    blockedByThread.merge(type.substring(4) + " " + waiter.replaceAll("\\d+$", "N"), d, Duration::plus);
                }
                blockedCount.merge(what, 1L, Long::sum);
                String site = stack == null ? null : firstEngineFrame(stack.getFrames());
                String caller = stack == null ? null : firstNonJdkFrame(stack.getFrames());
                if (caller != null) {
                    blockedBySite.merge(what + " at " + caller, d, Duration::plus);
                }
                if (site != null) {
                    blockedBySite.merge(type.substring(4) + " in " + site, d, Duration::plus);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "# %s (measured window: %s)%n%n",
                Path.of(args[0]).getFileName(),
                from == Instant.MIN
                        ? "whole recording"
                        : Duration.between(from, to).toMillis() + " ms");
        System.out.printf(
                Locale.ROOT,
                "CPU samples: %d; %.0f%% with a JDBC driver / database frame on the stack%n",
                samples,
                100.0 * samplesInJdbc / Math.max(1, samples));
        print("CPU samples by library (innermost known frame)", byLibrary, samples, top);
        print("CPU samples by thread", threads, samples, 8);
        print("Hot methods (self)", selfMethods, samples, top);
        print("Engine methods leading to the samples (innermost dev.dispatch frame)", engineFrames, samples, top);
        print("... of which with JDBC on the stack", engineFramesInJdbc, samples, top);
        System.out.println("\nBlocked time (sum over threads; events over JFR's thresholds, 20 ms in 'profile'"
                + " for monitors and parks, 10 ms for I/O):");
        blocked.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  %8.1f s  %6d x  %s%n",
                        e.getValue().toNanos() / 1e9,
                        blockedCount.get(e.getKey()),
                        e.getKey()));
        System.out.println("\nBlocked time by thread (ThreadPark in a pool thread = idle, waiting for work):");
        blockedByThread.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT, "  %8.1f s  %s%n", e.getValue().toNanos() / 1e9, e.getKey()));
        System.out.println(
                "\nBlocked time by the waiting frame (innermost engine frame, and innermost non-JDK frame):");
        blockedBySite.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf(
                        Locale.ROOT, "  %8.1f s  %s%n", e.getValue().toNanos() / 1e9, e.getKey()));
    }

    private static void print(String title, Map<String, Long> counts, long total, int top) {
        System.out.println("\n" + title + ":");
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / Math.max(1, total), k));
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] library : LIBRARIES) {
                if (type.startsWith(library[0]) && !library[1].equals("JDK")) {
                    return library[1];
                }
            }
        }
        return "JDK / JVM only";
    }

    private static String firstNonJdkFrame(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(frame);
            }
        }
        return null;
    }

    private static String firstEngineFrame(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("dev.dispatch.") && !type.startsWith("dev.dispatch.bench.")) {
                return method(frame);
            }
        }
        return null;
    }
}
