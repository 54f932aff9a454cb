package com.example.faults;

import com.example.faults.workflow.FaultsApplication;
import com.example.testjvm.Nodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link FaultsApplication} nodes for a fault test and follows what they print. */
final class WorkflowNode {

    static final int WORKERS = 4;

    private WorkflowNode() {}

    /**
     * Starts a node on the database at {@code url} running the workflow of {@code size} keys; {@code extra} arguments
     * come last and win.
     */
    static Process start(
            Nodes nodes, String name, String url, String user, int size, int workMillis, Path effects, String... extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=",
                "--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off",
                "--spring.jpa.hibernate.ddl-auto=validate",
                "--spring.jpa.open-in-view=false",
                // a file database or a server is not "embedded" to Spring's initializer: create the tables explicitly
                "--dispatch.jdbc.initialize-schema=always",
                "--dispatch.workers=" + WORKERS,
                // Short leases and polls: a restarted node takes the dead node's calls over within seconds. Not
                // shorter: a busy machine stalling the heartbeat (a third of a lease) must not expire them early.
                "--dispatch.lease-duration=3s",
                "--dispatch.poll-interval=100ms",
                "--faults.size=" + size,
                "--faults.work-millis=" + workMillis,
                "--faults.effects=" + effects));
        args.addAll(List.of(extra));
        return nodes.start(name, FaultsApplication.class, args);
    }

    /** Waits until the node printed {@code READY} (its workflow is recorded); fails if it exits first. */
    static void awaitReady(Nodes nodes, String name, Process node, long timeoutSeconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!nodes.printed(name, "READY")) {
            if (!node.isAlive()) {
                throw new AssertionError(name + " exited with " + node.exitValue() + " before it was ready");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " was not ready within " + timeoutSeconds + " s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until the node finished the workflow and exited normally.
     *
     * @return how long the workflow took after {@code READY}, as the node measured it
     */
    static long awaitFinished(Nodes nodes, String name, Process node, long timeoutSeconds)
            throws IOException, InterruptedException {
        if (!node.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not finish the workflow within " + timeoutSeconds + " s");
        }
        if (node.exitValue() != 0) {
            throw new AssertionError(name + " exited with " + node.exitValue());
        }
        String finished = nodes.printedLine(name, "FINISHED ");
        if (finished == null) {
            throw new AssertionError(name + " exited without saying it finished");
        }
        return Long.parseLong(finished.split(" ")[1]);
    }
}
