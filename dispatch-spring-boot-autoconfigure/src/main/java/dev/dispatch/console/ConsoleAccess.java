package dev.dispatch.console;

import dev.dispatch.actuate.OperatorAccess;
import jakarta.servlet.http.HttpServletRequest;

/** What the caller of a console request may see and do, as {@link OperatorAccess} decides it for the endpoint too. */
final class ConsoleAccess {

    private final OperatorAccess access;

    ConsoleAccess(OperatorAccess access) {
        this.access = access;
    }

    boolean writeOperations() {
        return this.access.writeOperations();
    }

    boolean showsValues(HttpServletRequest request) {
        return this.access.showsValues(RequestSecurity.context(request));
    }
}
