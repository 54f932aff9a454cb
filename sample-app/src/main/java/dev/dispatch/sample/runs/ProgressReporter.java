package dev.dispatch.sample.runs;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Logs each active run's progress every second while it changes, and a summary when it is done. */
@Component
class ProgressReporter {

    private static final Logger logger = LoggerFactory.getLogger("dev.dispatch.sample.Progress");

    private final Runs runs;

    private final RunQueries queries;

    private final Map<Workflow, WorkflowReport> reports;

    private final ApplicationContext context;

    private final Map<Object, String> lastLines = new ConcurrentHashMap<>();

    private volatile boolean startupRunsAnnounced;

    ProgressReporter(Runs runs, RunQueries queries, List<WorkflowReport> reports, ApplicationContext context) {
        this.runs = runs;
        this.queries = queries;
        this.reports = reports.stream().collect(Collectors.toMap(WorkflowReport::workflow, Function.identity()));
        this.context = context;
    }

    @Scheduled(fixedDelay = 1000, initialDelay = 500)
    void report() {
        boolean startupRunsActive = false;
        for (Run run : this.runs.active()) {
            Optional<RunProgress> progress;
            try {
                progress = this.queries.progress(run.id());
            } catch (RuntimeException ex) {
                logger.warn(
                        "Could not read the progress of {} [{}]: {}",
                        run.workflow().label(),
                        run.id(),
                        ex.toString());
                continue;
            }
            WorkflowReport report = this.reports.get(run.workflow());
            if (progress.isPresent() && progress.get().finished()) {
                logger.info(report.summary(progress.get()));
                this.lastLines.remove(run.id());
                this.runs.done(run);
                continue;
            }
            startupRunsActive |= run.startup();
            if (progress.isPresent()) {
                String line = report.progress(progress.get());
                if (!line.equals(this.lastLines.put(run.id(), line))) {
                    logger.info(line);
                }
            }
        }
        if (!startupRunsActive && !this.startupRunsAnnounced && this.runs.startedOnStartup()) {
            this.startupRunsAnnounced = true;
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            logger.info(
                    "Startup runs done {} s after the JVM started; still serving on {} (try: curl -i -X POST"
                            + " {}/notifications)",
                    String.format("%.1f", uptime / 1000.0),
                    baseUrl(),
                    baseUrl());
        }
    }

    private String baseUrl() {
        int port = (this.context instanceof WebServerApplicationContext web && web.getWebServer() != null)
                ? web.getWebServer().getPort()
                : 8080;
        return "http://localhost:" + port;
    }
}
