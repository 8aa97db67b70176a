package io.parley.kit;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Verifies each distinct token once, then answers it from memory until it expires (and at most five minutes).
 * A client sends the same token with every request; verifying its signature and parsing its claims each time was
 * half of the message-service's CPU on the send path (docs/benchmarks.md). Only tokens that verified are kept, keyed
 * by their exact text, and only for the configuration that verified them; a token past its {@code exp} is never
 * answered from memory.
 */
public class CachingJwtPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final int MAX_ENTRIES = 10_000;
    private static final long MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo context, long expiresAtSecond,
                            long verifiedAtNanos) {
    }

    private final JWTCallerPrincipalFactory delegate = new DefaultJWTCallerPrincipalFactory();
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        Verified known = verified.get(token);
        long nowSecond = System.currentTimeMillis() / 1000;
        if (known != null && known.context() == context && nowSecond < known.expiresAtSecond()
                && System.nanoTime() - known.verifiedAtNanos() < MAX_AGE_NANOS) {
            return known.principal();
        }
        JWTCallerPrincipal principal = delegate.parse(token, context);
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(token, new Verified(principal, context, principal.getExpirationTime(), System.nanoTime()));
        return principal;
    }
}
