package com.example.faults.outage;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of {@link DataSourceOutageTests}; its own package keeps the other tests' beans out. */
@SpringBootApplication
public class OutageApplication {}
