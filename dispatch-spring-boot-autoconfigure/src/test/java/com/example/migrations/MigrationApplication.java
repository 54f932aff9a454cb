package com.example.migrations;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application that owns its schema with Flyway or Liquibase and includes Dispatch's migrations. */
@SpringBootApplication
public class MigrationApplication {}
