package dev.dispatch.sample.runs;

import dev.dispatch.sample.SampleProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On start, runs both workflows once ({@code sample.run-on-startup}). If an earlier process left a run unfinished
 * (it was killed, or stopped mid-run), it starts nothing new: the engine resumes the unfinished runs from their
 * records, and this only reports on them.
 */
@Component
@Order(10) // after the sample data is in
class StartupRuns implements ApplicationRunner {

    private static final Logger logger = LoggerFactory.getLogger("dev.dispatch.sample.Progress");

    private final Runs runs;

    private final RunQueries queries;

    private final SampleProperties properties;

    StartupRuns(Runs runs, RunQueries queries, SampleProperties properties) {
        this.runs = runs;
        this.queries = queries;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Run> unfinished = this.queries.unfinishedRuns();
        for (Run run : unfinished) {
            logger.info(
                    "{} [{}] was left unfinished by an earlier process: the engine resumes it from its record",
                    run.workflow().label(),
                    run.id());
            this.runs.track(run);
        }
        if (!this.properties.runOnStartup()) {
            return;
        }
        if (!unfinished.isEmpty()) {
            logger.info("Starting no new runs until the unfinished ones are done");
            return;
        }
        for (Workflow workflow : Workflow.values()) {
            Run run = this.runs.start(workflow, true);
            logger.info("{} started as [{}]", workflow.label(), run.id());
        }
    }
}
