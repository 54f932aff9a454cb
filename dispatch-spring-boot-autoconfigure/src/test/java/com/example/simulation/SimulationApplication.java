package com.example.simulation;

import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.engine.EngineListener;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;

/**
 * The application the simulation runs: its functions ({@link Parents}, {@link Leaves}), the fault injector and the
 * effects. In process for {@link SimulationTests}; as JVMs of their own (this {@code main}) for
 * {@link NodeKillSimulationTests}, where the node given {@code sim.dispatch} dispatches those scenarios' roots.
 */
@SpringBootApplication
public class SimulationApplication {

    public static void main(String[] args) {
        SpringApplication.run(SimulationApplication.class, args);
    }

    @Bean
    ApplicationRunner ready(
            Dispatcher dispatcher,
            Parents parents,
            @Value("${sim.dispatch:}") String seeds,
            @Value("${dispatch.node-id:local}") String node) {
        return args -> {
            if (!seeds.isBlank()) {
                Arrays.stream(seeds.split(","))
                        .map(seed -> Plan.of(Long.parseUnsignedLong(seed, 16)))
                        .forEach(plan -> dispatchRoot(dispatcher, parents, plan));
            }
            System.out.println("READY " + node);
        };
    }

    /**
     * Logs each attempt a worker is about to start, before its start mark is written, to this node's file in the
     * effects folder: the checks tell a call a kill took while it was being started from one claimed ahead.
     */
    @Bean
    EngineListener startingLog(@Value("${sim.effects}") Path dir, @Value("${dispatch.node-id:local}") String node) {
        Path file = Effects.startingFile(dir, node);
        return new EngineListener() {
            @Override
            public void attemptStarting(String function, String invocationId, int attempt) {
                Effects.append(file, Effects.STARTING, invocationId, Integer.toString(attempt));
            }
        };
    }

    /**
     * Dispatches the root as a client does: on a database error, again, under an idempotency key so that it is recorded
     * once.
     */
    static void dispatchRoot(Dispatcher dispatcher, Parents parents, Plan plan) {
        for (int attempt = 1; ; attempt++) {
            try {
                dispatcher.dispatch(
                        () -> parents.parent(plan.key(0)), DispatchOptions.idempotencyKey("sim-root-" + plan.key(0)));
                return;
            } catch (DataAccessException ex) {
                if (attempt == 10) {
                    throw ex;
                }
            }
        }
    }
}
