package io.parley.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The trace sink: spans counted in OTLP protobuf requests as opentelemetry-proto lays them out, over HTTP. */
class OtlpSinkTest {

    @Test
    void spansAreCountedInEveryScopeOfEveryResource() {
        byte[] request = exportRequest();
        assertThat(OtlpSink.countSpans(request)).isEqualTo(3);
        assertThat(OtlpSink.countSpans(new byte[0])).isZero();
        assertThatThrownBy(() -> OtlpSink.countSpans(new byte[] {0x0a, 0x7f, 0x01}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExportOverHttpIsTakenAndCounted() throws Exception {
        try (OtlpSink sink = OtlpSink.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<Void> plain = client.send(
                    HttpRequest.newBuilder(URI.create(sink.endpoint() + "/v1/traces"))
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(exportRequest()))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(plain.statusCode()).isEqualTo(200);
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
                gzip.write(exportRequest());
            }
            HttpResponse<Void> compressed = client.send(
                    HttpRequest.newBuilder(URI.create(sink.endpoint() + "/v1/traces"))
                            .header("Content-Type", "application/x-protobuf")
                            .header("Content-Encoding", "gzip")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(compressed.statusCode()).isEqualTo(200);
            OtlpSink.Received received = sink.received();
            assertThat(received.requests()).isEqualTo(2);
            assertThat(received.spans()).isEqualTo(6);
            assertThat(received.unreadable()).isZero();
            assertThat(received.bytes()).isPositive();
        }
    }

    /**
     * Two resources: the first with a scope of two spans and its resource attributes, the second with a scope of one
     * span and a schema URL (fields the sink skips).
     */
    private static byte[] exportRequest() {
        byte[] span = message(field(1, new byte[16]), field(5, "a span".getBytes(StandardCharsets.UTF_8)));
        byte[] resource = message(field(1, "service.name".getBytes(StandardCharsets.UTF_8)));
        byte[] scopeOfTwo = message(
                field(1, message(field(1, "scope".getBytes(StandardCharsets.UTF_8)))), field(2, span), field(2, span));
        byte[] scopeOfOne = message(field(2, span), new byte[] {0x18, (byte) 0x96, 0x01}); // field 3, varint 150
        byte[] first = message(field(1, resource), field(2, scopeOfTwo));
        byte[] second = message(field(2, scopeOfOne), field(3, "https://schema".getBytes(StandardCharsets.UTF_8)));
        return message(field(1, first), field(1, second));
    }

    /** A length-delimited field (wire type 2); lengths here stay below 128, one varint byte. */
    private static byte[] field(int number, byte[] value) {
        byte[] out = new byte[value.length + 2];
        out[0] = (byte) (number << 3 | 2);
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }
}
