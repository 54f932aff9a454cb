/**
 * Test support for applications that use Dispatch: {@link dev.dispatch.test.DispatchTester}, auto-configured when
 * {@code dev.dispatch:dispatch-spring-boot-test} is on the test class path.
 */
@NullMarked
package dev.dispatch.test;

import org.jspecify.annotations.NullMarked;
