package io.parley.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.net.SocketAddress;
import java.math.BigInteger;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Which service each /api path goes to, and which announced body sizes the gateway refuses itself. */
class ApiProxyRoutingTest {

    private final ApiProxy proxy = new ApiProxy(
            URI.create("http://127.0.0.1:8081"),
            URI.create("http://127.0.0.1:8082"),
            URI.create("http://127.0.0.1:8083"),
            new MemorySize(BigInteger.valueOf(32L << 20)));

    private int port(String path) {
        SocketAddress owner = proxy.owner(path);
        return owner.port();
    }

    @Test
    void filesGoToTheMessageService() {
        String c = "/api/conversations/6f1c1f5e-2a57-4a8e-9a2b-1f6f7b0c9d11";
        assertThat(port(c + "/attachments")).isEqualTo(8082);
        assertThat(port(c + "/attachments/")).isEqualTo(8082);
        assertThat(port("/api/attachments")).isEqualTo(8082);
        assertThat(port("/api/attachments/0b7c")).isEqualTo(8082);
        assertThat(port("/api/attachments/0b7c/thumbnail")).isEqualTo(8082);
        assertThat(port("/api/attachments/0b7c/meta")).isEqualTo(8082);
    }

    @Test
    void messagesAndReadsStillGoToTheMessageServiceAndTheRestWhereItWent() {
        String c = "/api/conversations/6f1c1f5e-2a57-4a8e-9a2b-1f6f7b0c9d11";
        assertThat(port(c + "/messages")).isEqualTo(8082);
        assertThat(port(c + "/messages/12")).isEqualTo(8082);
        assertThat(port(c + "/read")).isEqualTo(8082);
        assertThat(port("/api/push")).isEqualTo(8083);
        assertThat(port("/api/push/subscriptions")).isEqualTo(8083);
        assertThat(port(c)).isEqualTo(8081);
        assertThat(port(c + "/participants")).isEqualTo(8081);
        assertThat(port("/api/conversations")).isEqualTo(8081);
        // look-alikes are not files
        assertThat(port("/api/attachmentsx")).isEqualTo(8081);
        assertThat(port(c + "/attachmentsx")).isEqualTo(8081);
        assertThat(port("/api/conversations/attachments")).isEqualTo(8081);
        assertThat(port("/api/pushy")).isEqualTo(8081);
    }

    @Test
    void onlyAnAnnouncedLengthOverTheLimitIsRefused() {
        long limit = 32L << 20;
        assertThat(ApiProxy.tooLarge(null, limit)).isFalse();
        assertThat(ApiProxy.tooLarge("0", limit)).isFalse();
        assertThat(ApiProxy.tooLarge(String.valueOf(limit), limit)).isFalse();
        assertThat(ApiProxy.tooLarge(String.valueOf(limit + 1), limit)).isTrue();
        assertThat(ApiProxy.tooLarge("99999999999999999999999", limit)).isTrue(); // beyond 64 bits
        assertThat(ApiProxy.tooLarge("0000000000000000000000042", limit)).isFalse();
        assertThat(ApiProxy.tooLarge("abc", limit)).isFalse();
    }
}
