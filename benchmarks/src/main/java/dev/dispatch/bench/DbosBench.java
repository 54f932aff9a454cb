package dev.dispatch.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Queue;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * DBOS Transact (PostgreSQL only): n workflows of one step each. Variant {@code queue}: enqueued on a DBOS queue with
 * a worker concurrency of 16 (as many as Dispatch's workers; its default polling interval), the way its documentation
 * runs many tasks in the background. Variant {@code direct}: {@code startWorkflow} without a queue, run at once on
 * DBOS's own executor. From the first start until every handle's result is in. Admin server off, everything else
 * default (its own Hikari pool, system tables in schema {@code dbos} of the run's database).
 */
public final class DbosBench {

    static final int CONCURRENCY = 16;

    private DbosBench() {}

    /** The workflow's interface: DBOS proxies it. */
    public interface Work {
        int work(int i);
    }

    /** One workflow, one step. */
    public static final class WorkImpl implements Work {

        private DBOS dbos;

        @Override
        @Workflow
        public int work(int i) {
            return this.dbos.runStep(
                    () -> {
                        Executions.record(i);
                        return i;
                    },
                    "noop");
        }
    }

    static Result run(Config config) throws Exception {
        if (!config.postgres()) {
            throw new IllegalArgumentException("DBOS runs on PostgreSQL only");
        }
        int n = config.n();
        Executions.reset(n);
        DBOSConfig dbosConfig = DBOSConfig.defaults("bench")
                .withDatabaseUrl(config.url())
                .withDbUser(config.user())
                .withDbPassword(config.password())
                .withAdminServer(false);
        try (DBOS dbos = new DBOS(dbosConfig)) {
            WorkImpl impl = new WorkImpl();
            impl.dbos = dbos;
            Work proxy = dbos.registerProxy(Work.class, impl);
            Queue queue = "queue-limited".equals(config.variant())
                    ? new Queue("bench").withWorkerConcurrency(CONCURRENCY)
                    : new Queue("bench");
            dbos.registerQueue(queue);
            dbos.launch();
            boolean queued = !"direct".equals(config.variant());
            long start = System.nanoTime();
            List<WorkflowHandle<Integer, RuntimeException>> handles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                handles.add(
                        queued
                                ? dbos.startWorkflow(() -> proxy.work(id), new StartWorkflowOptions(queue))
                                : dbos.startWorkflow(() -> proxy.work(id)));
            }
            boolean results = true;
            for (int i = 0; i < n; i++) {
                results &= Objects.equals(handles.get(i).getResult(), i);
            }
            long nanos = System.nanoTime() - start;
            String wrong = Executions.check();
            return Result.of(config, nanos, results && wrong == null, wrong == null ? "results=" + results : wrong);
        }
    }
}
