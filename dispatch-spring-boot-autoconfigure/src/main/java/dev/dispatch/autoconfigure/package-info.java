/**
 * Internal: autoconfigure of Dispatch for Spring Boot. Not part of the public API; may change in any release.
 */
@NullMarked
package dev.dispatch.autoconfigure;

import org.jspecify.annotations.NullMarked;
