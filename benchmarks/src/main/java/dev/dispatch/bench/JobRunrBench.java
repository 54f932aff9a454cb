package dev.dispatch.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;

/**
 * JobRunr (open-source edition): n jobs enqueued at once ({@code BackgroundJob.enqueue(Stream, lambda)}, which saves
 * them in batches), from the first insert until all are SUCCEEDED. Settings: its defaults, as its documentation
 * recommends (worker count = 8 x available processors = 16 here, poll interval 15 s; the open-source edition allows no
 * less than 5 s), JSON through Jackson 3, the SQL storage provider on a pool of 20 connections.
 */
public final class JobRunrBench {

    private JobRunrBench() {}

    /** The job: JobRunr finds this static method in the lambda's bytecode and calls it on a worker. */
    public static void noop(int i) {
        Executions.record(i);
    }

    static Result run(Config config) throws Exception {
        int n = config.n();
        Executions.reset(n);
        try (HikariDataSource dataSource = Db.pool(config, 20)) {
            JobRunrConfigurationResult jobRunr = JobRunr.configure()
                    .useJsonMapper(new Jackson3JsonMapper())
                    .useStorageProvider(SqlStorageProviderFactory.using(dataSource))
                    .useBackgroundJobServer(
                            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration())
                    .initialize();
            try {
                long start = System.nanoTime();
                BackgroundJob.<Integer>enqueue(IntStream.range(0, n).boxed(), i -> noop(i));
                String sql = "SELECT COUNT(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'";
                Duration timeout = Duration.ofSeconds(300 + n / 10);
                boolean done = Db.await(() -> Executions.executed() >= n, Duration.ofMillis(5), timeout)
                        && Db.await(() -> Db.count(dataSource, sql) >= n, Duration.ofMillis(5), timeout);
                long nanos = System.nanoTime() - start;
                String wrong = Executions.check();
                long succeeded = Db.count(dataSource, sql);
                return Result.of(
                        config,
                        nanos,
                        done && wrong == null && succeeded == n,
                        wrong == null ? "succeeded=" + succeeded : wrong);
            } finally {
                JobRunr.destroy();
            }
        }
    }
}
