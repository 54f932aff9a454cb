/**
 * The public API of Dispatch for Spring Boot: annotate bean methods with {@link dev.dispatch.DispatchFunction}
 * and use the {@link dev.dispatch.Dispatcher} to fan out and fan in durable calls.
 */
@NullMarked
package dev.dispatch;

import org.jspecify.annotations.NullMarked;
