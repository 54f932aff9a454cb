package com.example.simulation;

import dev.dispatch.CurrentInvocation;
import dev.dispatch.Dispatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the START and END lines of the functions' bodies to their scenario's effects, each with the status and the
 * attempts its row had at that moment (read without faults): the checks see whether a body ran while its call was
 * recorded SUCCEEDED or CANCELLED. Also tells a body whether the operator repaired its call (a file, so that every JVM
 * sees it).
 */
@Component
class BodyLog {

    private final Dispatcher dispatcher;

    private final FaultInjector faults;

    private final Path dir;

    private final String jvm;

    BodyLog(
            Dispatcher dispatcher,
            FaultInjector faults,
            @Value("${sim.effects}") Path dir,
            @Value("${dispatch.node-id:local}") String node) {
        this.dispatcher = dispatcher;
        this.faults = faults;
        this.dir = dir;
        this.jvm = node + "/" + ProcessHandle.current().pid();
    }

    /** A body that started: where it logs. */
    record Run(Path file, String node, String invocation, int attempt) {}

    Run start(String key) {
        CurrentInvocation current = this.dispatcher.current().orElseThrow();
        Run run = new Run(
                Effects.file(this.dir, Plan.seedOf(key)),
                String.valueOf(Plan.nodeOf(key)),
                current.id().value(),
                current.attempt());
        String[] row = row(run.invocation());
        Effects.append(
                run.file(),
                Effects.START,
                run.node(),
                run.invocation(),
                String.valueOf(run.attempt()),
                row[0],
                row[1],
                this.jvm);
        return run;
    }

    void end(Run run, boolean ok, String what) {
        String[] row = row(run.invocation());
        Effects.append(
                run.file(),
                Effects.END,
                run.node(),
                run.invocation(),
                String.valueOf(run.attempt()),
                ok ? "OK" : "FAIL",
                what.isEmpty() ? "-" : what,
                row[0],
                row[1]);
    }

    boolean repaired(String key) {
        return Files.exists(repairMark(this.dir, key));
    }

    static Path repairMark(Path dir, String key) {
        return dir.resolve("repaired-" + key);
    }

    private String[] row(String id) {
        try {
            List<Map<String, Object>> rows = new JdbcTemplate(this.faults.raw())
                    .queryForList("SELECT status, attempts FROM dispatch_invocation WHERE id = ?", id);
            if (rows.isEmpty()) {
                return new String[] {"NONE", "0"};
            }
            return new String[] {
                String.valueOf(rows.get(0).get("status")),
                String.valueOf(rows.get(0).get("attempts"))
            };
        } catch (RuntimeException ex) {
            return new String[] {"UNREAD", "0"};
        }
    }
}
