/**
 * Internal: the web console, served by the starter on the application's own Spring MVC server when
 * {@code dispatch.console.enabled=true}. Not part of the public API; may change in any release.
 */
@NullMarked
package dev.dispatch.console;

import org.jspecify.annotations.NullMarked;
