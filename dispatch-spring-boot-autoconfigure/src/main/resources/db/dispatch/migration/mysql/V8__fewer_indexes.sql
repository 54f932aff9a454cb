-- Dispatch for Spring Boot, schema version 8: fewer index entries written per call. Every index of
-- dispatch_invocation takes an entry for each call recorded (MySQL has no partial indexes) and moves it when its
-- columns change. dispatch_invocation_parent repeats the first column of dispatch_invocation_runs (parent_id,
-- created_at), which serves the same lookups; retention finds the finished roots through dispatch_invocation_runs too
-- (a root finished before a time was created before it), so dispatch_invocation_finished_roots, which every call's end
-- moved, goes as well.
DROP INDEX dispatch_invocation_parent ON dispatch_invocation;
DROP INDEX dispatch_invocation_finished_roots ON dispatch_invocation;
