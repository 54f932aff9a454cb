package com.example.schedules;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with scheduled functions. */
@SpringBootApplication
class SchedulesApplication {}
