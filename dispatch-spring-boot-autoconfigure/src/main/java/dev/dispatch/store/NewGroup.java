package dev.dispatch.store;

/**
 * A step about to be recorded.
 *
 * @param id its id
 * @param parentId the invocation whose step it is
 * @param stepIndex the step's index in the parent
 * @param kind what the step does
 * @param size number of calls
 * @param signature hash of the calls' functions and arguments, compared on replay
 */
public record NewGroup(String id, String parentId, int stepIndex, GroupKind kind, int size, String signature) {}
