package dev.dispatch.console;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.util.ClassUtils;

/**
 * What the console needs from the application's security, whatever it is: the caller as the actuator's
 * {@link SecurityContext} (for masking), and Spring Security's CSRF token when there is one.
 */
final class RequestSecurity {

    private static final boolean SPRING_SECURITY = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", RequestSecurity.class.getClassLoader());

    private RequestSecurity() {}

    /** The caller of this request, as the actuator's endpoints see theirs. */
    static SecurityContext context(HttpServletRequest request) {
        return new SecurityContext() {
            @Override
            public @Nullable Principal getPrincipal() {
                return request.getUserPrincipal();
            }

            @Override
            public boolean isUserInRole(String role) {
                return request.isUserInRole(role);
            }
        };
    }

    /** The CSRF token the page must send back with its actions, when Spring Security put one on the request. */
    static @Nullable Csrf csrf(HttpServletRequest request) {
        return SPRING_SECURITY ? SpringSecurityCsrf.of(request) : null;
    }

    /**
     * A CSRF token and the header that carries it.
     *
     * @param headerName the request header the token goes in
     * @param token the token
     */
    record Csrf(String headerName, String token) {}

    /** Kept apart so that Spring Security's classes are only loaded when they are there. */
    private static final class SpringSecurityCsrf {

        static @Nullable Csrf of(HttpServletRequest request) {
            Object attribute = request.getAttribute(org.springframework.security.web.csrf.CsrfToken.class.getName());
            if (attribute instanceof org.springframework.security.web.csrf.CsrfToken token) {
                return new Csrf(token.getHeaderName(), token.getToken());
            }
            return null;
        }
    }
}
