-- Dispatch for Spring Boot, schema version 3: indexes for housekeeping and the actuator endpoint. Retention finds the
-- finished roots past their retention (partial: a root enters it once, when it finishes); the endpoint lists
-- invocations newest first, all or of one function.
CREATE INDEX dispatch_invocation_finished_roots ON dispatch_invocation (completed_at)
    WHERE parent_id IS NULL AND completed_at IS NOT NULL;
CREATE INDEX dispatch_invocation_created ON dispatch_invocation (created_at);
CREATE INDEX dispatch_invocation_function_created ON dispatch_invocation (function_name, created_at);
