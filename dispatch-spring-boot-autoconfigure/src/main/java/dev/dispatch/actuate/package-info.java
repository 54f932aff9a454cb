/**
 * Internal: the actuator endpoint, health indicator and metrics of Dispatch for Spring Boot. Not part of the public
 * API; may change in any release.
 */
@NullMarked
package dev.dispatch.actuate;

import org.jspecify.annotations.NullMarked;
