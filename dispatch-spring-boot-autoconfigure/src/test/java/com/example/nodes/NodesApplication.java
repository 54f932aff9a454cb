package com.example.nodes;

import com.example.support.EffectLog;
import java.io.IOException;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * One node of the multi-node tests, run as a JVM of its own by {@link Cluster}: several of them share one PostgreSQL
 * database, each under its own {@code dispatch.node-id}. It runs until it is stopped ({@code spring.main.keep-alive}):
 * SIGTERM closes the context (graceful shutdown), SIGKILL does not. Its own package keeps the other tests' beans out.
 */
@SpringBootApplication
public class NodesApplication {

    public static void main(String[] args) {
        SpringApplication.run(NodesApplication.class, args);
    }

    /** The effects log all nodes append to, each line tagged with this node's id and process id. */
    @Bean(destroyMethod = "close")
    EffectLog.Writer effectLog(@Value("${nodes.effects}") Path file, @Value("${dispatch.node-id}") String node)
            throws IOException {
        return new EffectLog.Writer(file, node);
    }
}
