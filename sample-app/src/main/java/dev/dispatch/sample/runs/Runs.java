package dev.dispatch.sample.runs;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.sample.invoice.Invoices;
import dev.dispatch.sample.notify.Notifications;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/** Starts runs of the workflows, fire and forget, and keeps the ones this process reports on. */
@Service
public class Runs {

    private final Dispatcher dispatcher;

    private final Notifications notifications;

    private final Invoices invoices;

    private final Map<DispatchId, Run> active = new ConcurrentHashMap<>();

    private volatile boolean startedOnStartup;

    public Runs(Dispatcher dispatcher, Notifications notifications, Invoices invoices) {
        this.dispatcher = dispatcher;
        this.notifications = notifications;
        this.invoices = invoices;
    }

    /**
     * Starts a run for a request unless a run of the same workflow is unfinished: each request would otherwise start
     * another 300 emails or 40 PDFs.
     *
     * @return the new run, or the unfinished one with {@code started} false
     */
    public synchronized Started startUnlessRunning(Workflow workflow, RunQueries queries) {
        for (Run unfinished : queries.unfinishedRuns()) {
            if (unfinished.workflow() == workflow) {
                return new Started(unfinished, false);
            }
        }
        return new Started(start(workflow, false), true);
    }

    /** The run a request asked for, and whether it is new. */
    public record Started(Run run, boolean started) {}

    /** Records a new run and returns at once; the engine's workers run it. */
    public Run start(Workflow workflow, boolean startup) {
        DispatchId id = switch (workflow) {
            case NOTIFY_ALL_USERS -> this.dispatcher.dispatch(() -> this.notifications.notifyAllUsers());
            case GENERATE_INVOICES -> this.dispatcher.dispatch(() -> this.invoices.generateInvoices());
        };
        return track(new Run(id, workflow, startup));
    }

    /** Reports on a run until it is done. */
    public Run track(Run run) {
        this.active.put(run.id(), run);
        this.startedOnStartup |= run.startup();
        return run;
    }

    /** Whether runs were started (or resumed) on start. */
    boolean startedOnStartup() {
        return this.startedOnStartup;
    }

    Collection<Run> active() {
        return List.copyOf(this.active.values());
    }

    void done(Run run) {
        this.active.remove(run.id());
    }
}
