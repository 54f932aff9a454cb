package dev.dispatch.sample.runs;

import dev.dispatch.DispatchId;

/**
 * A run of a workflow: its root invocation.
 *
 * @param id the root invocation's id
 * @param workflow which workflow
 * @param startup whether the application started it on start (or found it unfinished on start)
 */
public record Run(DispatchId id, Workflow workflow, boolean startup) {}
