/**
 * Internal: store of Dispatch for Spring Boot. Not part of the public API; may change in any release.
 */
@NullMarked
package dev.dispatch.store;

import org.jspecify.annotations.NullMarked;
