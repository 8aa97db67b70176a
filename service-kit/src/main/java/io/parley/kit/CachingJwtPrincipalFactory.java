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

    private record Verified(
            JWTCallerPrincipal principal, JWTAuthContextInfo context, long expiresAtSecond, long verifiedAtNanos) {}

    private final JWTCallerPrincipalFactory delegate = new DefaultJWTCallerPrincipalFactory();
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** The longest user id ({@code sub}) a token may carry, in Unicode code points (as participants are counted). */
    public static final int MAX_SUBJECT_LENGTH = 255;

    /**
     * Refuses a token whose identity cannot be stored and answered back exactly: a {@code sub} that is missing, empty,
     * longer than {@value #MAX_SUBJECT_LENGTH} characters, or holding what {@link Text} refuses; a {@code name} that
     * is not a string or that {@link Text} refuses. Such a token is answered like any invalid token (401), however well it is signed.
     *
     * @throws ParseException naming the claim
     */
    static void checkIdentity(JWTCallerPrincipal principal) throws ParseException {
        String subject = principal.getSubject();
        if (subject == null || subject.isEmpty() || subject.codePointCount(0, subject.length()) > MAX_SUBJECT_LENGTH) {
            throw new ParseException("the token's sub must be 1 to " + MAX_SUBJECT_LENGTH + " characters");
        }
        String why = Text.whyNot(subject);
        if (why != null) {
            throw new ParseException("the token's sub " + why);
        }
        Object name = principal.getClaim("name");
        if (name != null && !(name instanceof String)) {
            throw new ParseException("the token's name must be a string");
        }
        why = Text.whyNot((String) name);
        if (why != null) {
            throw new ParseException("the token's name " + why);
        }
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        Verified known = verified.get(token);
        long nowSecond = System.currentTimeMillis() / 1000;
        if (known != null
                && known.context() == context
                && nowSecond < known.expiresAtSecond()
                && System.nanoTime() - known.verifiedAtNanos() < MAX_AGE_NANOS) {
            return known.principal();
        }
        JWTCallerPrincipal principal = delegate.parse(token, context);
        checkIdentity(principal);
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(token, new Verified(principal, context, principal.getExpirationTime(), System.nanoTime()));
        return principal;
    }
}
