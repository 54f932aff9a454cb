-- Dispatch for Spring Boot, schema version 8: fewer index entries written per call, on H2 and MySQL (which drop two
-- indexes that repeat others there). PostgreSQL keeps its indexes: its dispatch_invocation_runs and
-- dispatch_invocation_finished_roots are partial (roots only) and dispatch_invocation_parent is its only index on
-- parent_id. This version only records, for the tools that track versions, that the schema is current.
COMMENT ON TABLE dispatch_invocation IS 'Dispatch for Spring Boot: one row per call (schema version 8)';
