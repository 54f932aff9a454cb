package com.example.faults.stuck;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of {@link StuckCodeTests}; its own package keeps the other tests' beans out. */
@SpringBootApplication
public class StuckApplication {}
