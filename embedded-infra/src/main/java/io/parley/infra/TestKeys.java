package io.parley.infra;

import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/** Tokens for tests, signed with the key that {@link InfraTestResource} made the service trust. */
public final class TestKeys {

    private static DevKeys keys;

    private TestKeys() {}

    public static synchronized DevKeys keys() {
        if (keys == null) {
            try {
                String dir = ConfigProvider.getConfig().getValue(InfraTestResource.KEYS_DIR_PROPERTY, String.class);
                keys = DevKeys.loadOrCreate(Path.of(dir), InfraTestResource.ISSUER);
            } catch (Exception e) {
                throw new IllegalStateException("test keys unavailable", e);
            }
        }
        return keys;
    }

    /** A token valid for ten minutes for {@code userId} with {@code role}. */
    public static String token(String userId, String role) {
        return keys().token(userId, role, userId, Duration.ofMinutes(10));
    }
}
