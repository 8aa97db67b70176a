package io.parley.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A development signing key for JWTs: generated once into a folder (PEM files) and reused. The services only ever
 * see the public key through {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}; this class exists for the local stack's demo
 * tokens and for tests, and no service depends on it.
 */
public final class DevKeys {

    public static final String PUBLIC_KEY_FILE = "jwt-public.pem";
    public static final String PRIVATE_KEY_FILE = "jwt-private.pem";

    private final PrivateKey privateKey;
    private final Path publicKeyPath;
    private final String issuer;

    private DevKeys(PrivateKey privateKey, Path publicKeyPath, String issuer) {
        this.privateKey = privateKey;
        this.publicKeyPath = publicKeyPath;
        this.issuer = issuer;
    }

    /** Loads the key pair kept in {@code dir}, generating it on first use. */
    public static DevKeys loadOrCreate(Path dir, String issuer) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path publicPem = dir.resolve(PUBLIC_KEY_FILE);
        Path privatePem = dir.resolve(PRIVATE_KEY_FILE);
        if (!Files.exists(publicPem) || !Files.exists(privatePem)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path tmpPrivate = Files.createTempFile(dir, "key", ".tmp");
            Files.writeString(tmpPrivate, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.move(tmpPrivate, privatePem, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        byte[] der = Base64.getMimeDecoder()
                .decode(Files.readString(privatePem, StandardCharsets.US_ASCII)
                        .replaceAll("-----[A-Z ]+-----", "")
                        .trim());
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        return new DevKeys(key, publicPem, issuer);
    }

    /** The PEM file of the public key, for {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}. */
    public Path publicKeyPath() {
        return publicKeyPath;
    }

    public String issuer() {
        return issuer;
    }

    /** A signed RS256 token for {@code userId} with one role in {@code groups}. */
    public String token(String userId, String role, String name, Duration ttl) {
        return sign(issuer, privateKey, userId, role, name, Instant.now().plus(ttl));
    }

    /**
     * Signs {@code claims} as they are (RS256, {@code typ: JWT}) with this key: tests shape tokens as identity providers
     * issue them (Keycloak's {@code realm_access}, Supabase's {@code app_metadata}, an audience, odd times).
     */
    public String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(privateKey);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token that expired a minute ago. */
    public String expiredToken(String userId, String role) {
        return sign(issuer, privateKey, userId, role, null, Instant.now().minusSeconds(60));
    }

    /** Signs a token with any key and issuer: tests use it for tokens the services must refuse. */
    public static String sign(
            String issuer, PrivateKey key, String userId, String role, String name, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(userId);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setStringListClaim("groups", List.of(role));
        claims.setClaim("upn", userId);
        if (name != null) {
            claims.setClaim("name", name);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Generates a key pair that nothing trusts, for tokens with a bad signature. */
    public static KeyPair strangerKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** Writes {@code key} as a PEM public key file. */
    public static void writePublicKey(PublicKey key, Path file) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()));
    }
}
