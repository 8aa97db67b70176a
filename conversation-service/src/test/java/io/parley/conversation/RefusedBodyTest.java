package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.RawUpload;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A body over the service's size limit ({@code quarkus.http.limits.max-body-size}) is answered {@code 413}, and a
 * sender that sends its whole body before reading (simple clients, the gateway's proxy) can read that answer: the
 * rest of the body is drained before the connection closes, where a connection closed at once is reset by the kernel
 * and the answer lost (the gateway then answers 502).
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class RefusedBodyTest {

    @TestHTTPResource("/")
    URI service;

    @Test
    void aBodyOverTheLimitSentWholeStillGetsItsAnswer() {
        RawUpload.Result result = RawUpload.postMultipart(
                service, "/api/conversations", TestKeys.token("ann-" + UUID.randomUUID(), "client"), 12L * 1024 * 1024);
        assertThat(result.readFailure()).as("reading the answer").isNull();
        assertThat(result.writeFailure()).as("sending the body").isNull();
        assertThat(result.status()).isEqualTo(413);
        assertThat(result.headers().get("content-type")).isEqualTo("application/problem+json");
    }
}
