package io.parley.gateway;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.Key;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Crafts tokens for the JWT tests, good and bad, with jose4j (the library SmallRye JWT verifies with): claims are
 * built freely, then signed by the key the services trust ({@link TestKeys}), by another key, by none at all, or with
 * HS256 keyed by the trusted public key's PEM bytes (the algorithm confusion attack of RFC 8725, section 2.1).
 */
final class Tokens {

    private Tokens() {}

    /** Claims of a token valid for ten minutes from now: the test issuer, {@code sub}, a {@code jti}, iat and exp. */
    static JwtClaims claims(String userId) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(InfraTestResource.ISSUER);
        claims.setSubject(userId);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().plusSeconds(600).getEpochSecond()));
        return claims;
    }

    /** {@code claims} signed RS256 by the key the gateway trusts. */
    static String trusted(JwtClaims claims) {
        return TestKeys.keys().sign(claims);
    }

    /** {@code claims} signed RS256 by {@code key}. */
    static String signedBy(JwtClaims claims, PrivateKey key) {
        return sign(claims, key, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** {@code claims} with {@code alg: none} and an empty signature. */
    static String unsigned(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code claims} signed HS256 with the trusted public key's PEM file, byte for byte, as the HMAC secret. */
    static String hmacWithPublicKey(JwtClaims claims) {
        try {
            byte[] pem = Files.readAllBytes(TestKeys.keys().publicKeyPath());
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(new HmacKey(pem));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code token} with its payload replaced by {@code claims}, its header and signature kept. */
    static String withPayload(String token, JwtClaims claims) {
        String[] parts = token.split("\\.");
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }

    private static String sign(JwtClaims claims, Key key, String alg) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(alg);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
