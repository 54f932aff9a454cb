package com.example.faults.workflow;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application the fault tests run in a JVM of their own, kill, restart or cut off from its database: on its first
 * start it dispatches {@link Workflow} (a restart finds it recorded and lets the engine resume it), prints
 * {@code READY}, waits until the workflow and every call it made are finished, prints
 * {@code FINISHED <millis since READY> <result>} and exits. Its own package keeps the other tests' beans out.
 */
@SpringBootApplication
public class FaultsApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(FaultsApplication.class, args);
        int exitCode = 0;
        try {
            Progress progress = context.getBean(Progress.class);
            int size = context.getEnvironment().getRequiredProperty("faults.size", Integer.class);
            Duration timeout =
                    context.getEnvironment().getProperty("faults.timeout", Duration.class, Duration.ofMinutes(3));
            progress.startUnlessRecorded(size);
            System.out.println("READY");
            long ready = System.nanoTime();
            String result = progress.awaitFinished(timeout);
            System.out.println(
                    "FINISHED " + Duration.ofNanos(System.nanoTime() - ready).toMillis() + " " + result);
        } catch (RuntimeException | InterruptedException ex) {
            ex.printStackTrace();
            exitCode = 1;
        }
        // Exit either way rather than linger on the workers' threads: the test reads the exit code.
        SpringApplication.exit(context);
        System.exit(exitCode);
    }
}
