package com.example.faults;

import com.example.support.JvmNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link com.example.faults.workflow.FaultsApplication} nodes for a fault test and follows what they print. */
final class WorkflowNode {

    static final int WORKERS = 4;

    private WorkflowNode() {}

    /**
     * Starts a node on the database at {@code url} running the workflow of {@code size} keys; {@code extra} arguments
     * come last and win.
     */
    static JvmNodes.Node start(
            JvmNodes nodes,
            String name,
            String url,
            String user,
            int size,
            int workMillis,
            Path effects,
            String... extra)
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
        return nodes.start(name, args);
    }

    /** Waits until the node printed {@code READY} (its workflow is recorded); fails if it exits first. */
    static void awaitReady(JvmNodes.Node node, long timeoutSeconds) throws IOException, InterruptedException {
        node.awaitOutput("READY", Duration.ofSeconds(timeoutSeconds));
    }

    /**
     * Waits until the node finished the workflow and exited normally. On a time-out the node's thread dump goes to
     * its output and, given the database's {@code url} (an H2 file the node holds), the unfinished rows read once it
     * is killed go into the failure message.
     *
     * @return how long the workflow took after {@code READY}, as the node measured it
     */
    static long awaitFinished(JvmNodes.Node node, long timeoutSeconds, String url, String user)
            throws IOException, InterruptedException {
        if (!node.process().waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            node.threadDump();
            node.kill();
            String rows = (url != null) ? Rows.unfinished(url, user, "") : "";
            throw new AssertionError(
                    node.label() + " did not finish the workflow within " + timeoutSeconds + " s" + rows);
        }
        if (node.process().exitValue() != 0) {
            throw new AssertionError(
                    node.label() + " exited with " + node.process().exitValue());
        }
        String finished = node.printedLine("FINISHED ");
        if (finished == null) {
            throw new AssertionError(node.label() + " exited without saying it finished");
        }
        return Long.parseLong(finished.split(" ")[1]);
    }
}
