package io.parley.infra;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** The keys of a Web Push subscription as a browser makes them, for tests and benchmarks that play the browser. */
public final class PushKeys {

    private PushKeys() {}

    /** A new P-256 key pair, as a browser makes one for each subscription. */
    public static KeyPair newPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 in this JDK", e);
        }
    }

    /** The public key as the uncompressed point (0x04, x, y: 65 bytes) that Web Push's p256dh carries. */
    public static byte[] uncompressed(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        copy(key.getW().getAffineX().toByteArray(), out, 1);
        copy(key.getW().getAffineY().toByteArray(), out, 33);
        return out;
    }

    /** The p256dh of a new subscription, base64url. */
    public static String newP256dh() {
        return base64url(uncompressed((ECPublicKey) newPair().getPublic()));
    }

    public static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Copies a coordinate, right-aligned in 32 bytes (BigInteger adds a sign byte or drops leading zeros). */
    private static void copy(byte[] coordinate, byte[] out, int at) {
        int length = Math.min(coordinate.length, 32);
        System.arraycopy(coordinate, coordinate.length - length, out, at + 32 - length, length);
    }
}
