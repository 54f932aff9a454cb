-- Dispatch for Spring Boot, schema version 3: indexes for housekeeping and the actuator endpoint. Retention finds the
-- finished roots past their retention; the endpoint lists invocations newest first, all or of one function.
CREATE INDEX dispatch_invocation_finished_roots ON dispatch_invocation (parent_id, completed_at);
CREATE INDEX dispatch_invocation_created ON dispatch_invocation (created_at);
CREATE INDEX dispatch_invocation_function_created ON dispatch_invocation (function_name, created_at);
