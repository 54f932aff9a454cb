package com.example.crash;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application {@link CrashRecoveryTests} runs in a JVM of its own, kills and restarts: on first start it fans
 * out {@code crash.calls} calls of {@link Effects}; on every start it waits until all of them succeeded, says so on
 * standard output and exits. Its own package keeps the shop's beans out.
 */
@SpringBootApplication
public class CrashApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(CrashApplication.class, args);
        int exitCode = 0;
        try {
            CrashRun run = context.getBean(CrashRun.class);
            int calls = context.getEnvironment().getRequiredProperty("crash.calls", Integer.class);
            // A restart finds the root recorded and only lets the engine recover what the killed node left behind.
            run.startUnlessRecorded(calls);
            run.awaitAllSucceeded(calls, Duration.ofMinutes(2));
            System.out.println("All " + calls + " calls succeeded");
        } catch (RuntimeException ex) {
            ex.printStackTrace();
            exitCode = 1;
        }
        // Exit either way rather than linger on the workers' threads: the test reads the exit code.
        SpringApplication.exit(context);
        System.exit(exitCode);
    }
}
