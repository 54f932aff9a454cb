-- Schema version 4: the schedules (@DispatchSchedule), one row per scheduled function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_schedule (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    cron        VARCHAR(255) NOT NULL,
    zone        VARCHAR(64)  NOT NULL,
    next_tick   DATETIME(6)  NOT NULL,
    last_tick   DATETIME(6),
    last_run_id VARCHAR(36),
    paused      BOOLEAN      NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    version     BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
