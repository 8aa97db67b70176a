package io.parley.message;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** Ten concurrent 50 MB files on the filesystem store, with the maximum size raised to 60 MiB. */
@QuarkusTest
@TestProfile(LargeUploadsOnDiskTest.LargeFiles.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class LargeUploadsOnDiskTest extends LargeUploadsContract {

    /** parley.files.max-size 60 MiB, and a body limit of that plus the multipart overhead. */
    public static class LargeFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "parley.files.max-size",
                    String.valueOf(60L * 1024 * 1024),
                    "quarkus.http.limits.max-body-size",
                    "61504K");
        }
    }
}
