package com.example.faults.stall;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of {@link StalledHeartbeatTests}; its own package keeps the other tests' beans out. */
@SpringBootApplication
public class StallApplication {}
