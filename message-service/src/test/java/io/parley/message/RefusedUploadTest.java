package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.RawUpload;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A body refused for its announced size is answered {@code 413} and the sender can read that answer even when it
 * sends its whole body before reading, as simple clients and the gateway's proxy do: the service reads and discards
 * the rest of the body before it closes (a connection closed at once is reset by the kernel and the answer is lost:
 * the gateway then answered 502 instead of 413).
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class RefusedUploadTest {

    @TestHTTPResource("/")
    URI service;

    @Test
    void aFileOverTheLimitSentWholeStillGetsItsAnswer() {
        String path = "/api/conversations/" + UUID.randomUUID() + "/attachments";
        RawUpload.Result result = RawUpload.postMultipart(
                service, path, TestKeys.token("ann-" + UUID.randomUUID(), "client"), 30L * 1024 * 1024);
        assertThat(result.readFailure()).as("reading the answer").isNull();
        assertThat(result.writeFailure()).as("sending the body").isNull();
        assertThat(result.status()).isEqualTo(413);
        assertThat(result.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(result.body()).getString("detail")).contains("at most");
    }

    @Test
    void anyOtherBodyOverItsLimitSentWholeStillGetsItsAnswer() {
        String path = "/api/conversations/" + UUID.randomUUID() + "/messages";
        RawUpload.Result result = RawUpload.postMultipart(
                service, path, TestKeys.token("bo-" + UUID.randomUUID(), "client"), 12L * 1024 * 1024);
        assertThat(result.readFailure()).as("reading the answer").isNull();
        assertThat(result.writeFailure()).as("sending the body").isNull();
        assertThat(result.status()).isEqualTo(413);
    }
}
