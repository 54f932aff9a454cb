package com.example.nodes;

import dev.dispatch.Batch;
import dev.dispatch.Dispatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Once the node runs: dispatches the work a test asked this node for, then prints {@code READY <node-id>} for the test
 * to wait on. {@code nodes.fan-out=N} dispatches the root {@link FanOut} of N calls (unless a root is recorded
 * already: a restarted node must not fan out again); {@code nodes.extra-calls=N} and {@code nodes.work-calls=M}
 * dispatch one batch of N {@link ExtraWork} and M {@link Work} calls from outside any durable function (this node
 * needs the extra function for that).
 */
@Component
class Starter implements ApplicationRunner {

    private final Dispatcher dispatcher;

    private final FanOut fanOut;

    private final Work work;

    private final ObjectProvider<ExtraWork> extraWork;

    private final JdbcTemplate jdbc;

    private final String nodeId;

    private final int fanOutCalls;

    private final int extraCalls;

    private final int workCalls;

    Starter(
            Dispatcher dispatcher,
            FanOut fanOut,
            Work work,
            ObjectProvider<ExtraWork> extraWork,
            JdbcTemplate jdbc,
            @Value("${dispatch.node-id}") String nodeId,
            @Value("${nodes.fan-out:0}") int fanOutCalls,
            @Value("${nodes.extra-calls:0}") int extraCalls,
            @Value("${nodes.work-calls:0}") int workCalls) {
        this.dispatcher = dispatcher;
        this.fanOut = fanOut;
        this.work = work;
        this.extraWork = extraWork;
        this.jdbc = jdbc;
        this.nodeId = nodeId;
        this.fanOutCalls = fanOutCalls;
        this.extraCalls = extraCalls;
        this.workCalls = workCalls;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (this.fanOutCalls > 0 && !recorded(FanOut.NAME)) {
            this.dispatcher.dispatch(() -> this.fanOut.fanOut(this.fanOutCalls));
        }
        if (this.extraCalls > 0 && !recorded(ExtraWork.NAME)) {
            ExtraWork extra = this.extraWork.getObject(); // fails the start of a node that lacks it
            Batch batch = this.dispatcher.batch();
            for (int key = 0; key < this.extraCalls; key++) {
                int k = key;
                batch.add(() -> extra.apply(k));
            }
            for (int key = 0; key < this.workCalls; key++) {
                int k = key;
                batch.add(() -> this.work.apply(k));
            }
            batch.dispatch();
        }
        System.out.println("READY " + this.nodeId);
    }

    private boolean recorded(String function) {
        Integer count = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ?", Integer.class, function);
        return count != null && count > 0;
    }
}
