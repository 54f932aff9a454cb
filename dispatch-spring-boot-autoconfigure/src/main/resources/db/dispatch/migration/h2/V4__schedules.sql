-- Schema version 4: the schedules (@DispatchSchedule), one row per scheduled function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_schedule (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    cron        VARCHAR(255) NOT NULL,
    zone        VARCHAR(64)  NOT NULL,
    next_tick   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_tick   TIMESTAMP(6) WITH TIME ZONE,
    last_run_id VARCHAR(36),
    paused      BOOLEAN      NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version     BIGINT       NOT NULL
);
