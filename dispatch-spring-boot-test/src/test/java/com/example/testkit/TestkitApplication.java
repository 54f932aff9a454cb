package com.example.testkit;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A user's application, as small as can be: a workflow that sleeps a day, a flaky call, a mailer. */
@SpringBootApplication
class TestkitApplication {}
