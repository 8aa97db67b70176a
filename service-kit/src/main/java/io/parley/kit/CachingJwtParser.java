package io.parley.kit;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes every service verify tokens through {@link CachingJwtPrincipalFactory}. */
public class CachingJwtParser {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    JWTParser parser(JWTAuthContextInfo authContextInfo) {
        return new DefaultJWTParser(authContextInfo, new CachingJwtPrincipalFactory());
    }
}
