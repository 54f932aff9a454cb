package dev.dispatch.bench.dispatch;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The benchmark's Spring Boot application (no web): two beans of durable functions. */
@SpringBootApplication
public class DispatchBenchApplication {}
