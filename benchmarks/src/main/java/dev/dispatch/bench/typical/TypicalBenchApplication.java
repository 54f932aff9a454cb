package dev.dispatch.bench.typical;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;

/**
 * The `typical` variant's application: the benchmark's durable functions (package {@code dev.dispatch.bench.dispatch})
 * in an application shaped as users run it: Spring MVC on an embedded Tomcat, Actuator with a Prometheus registry,
 * Spring Data JPA with an entity and a repository, Boot's and Dispatch's defaults. Runs on classpath-typical.txt.
 */
@SpringBootApplication(scanBasePackages = {"dev.dispatch.bench.dispatch", "dev.dispatch.bench.typical"})
@EntityScan(basePackageClasses = Order.class)
public class TypicalBenchApplication {}
