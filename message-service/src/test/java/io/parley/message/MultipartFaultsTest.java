package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Upload bodies that {@link GeneratedInputTest} found answered with a 500, kept as examples: each is a 400 with a
 * problem body, and nothing is stored.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MultipartFaultsTest {

    @TestHTTPResource("/")
    URI service;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Test
    void brokenMultipartBodiesAreRefusedWith400() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String part = "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain"
                + "\r\n\r\nhello\r\n";
        List<String[]> bodies = List.of(
                // a part named file that is a form value (no filename): no uploaded file, a NullPointerException
                new String[] {
                    "multipart/form-data; boundary=b",
                    "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello\r\n--b--\r\n"
                },
                // no closing boundary: the parser's IOException
                new String[] {"multipart/form-data; boundary=b", "--b\r\n" + part},
                // another boundary than the header's
                new String[] {"multipart/form-data; boundary=other", "--b\r\n" + part + "--b--\r\n"},
                // a form value (no filename) whose Content-Type is no media type
                new String[] {
                    "multipart/form-data; boundary=b",
                    "--b\r\nContent-Disposition: form-data; name=\"file\"\r\nContent-Type: garbage"
                            + "\r\n\r\nhello\r\n--b\r\n" + part + "--b--\r\n"
                },
                // a file name broken by a line feed: the parser's MalformedMessageException
                new String[] {
                    "multipart/form-data; boundary=b",
                    "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\nb\"\r\nContent-Type: "
                            + "text/plain\r\n\r\nhello\r\n--b\r\n" + part + "--b--\r\n"
                },
                // an empty boundary: a StringIndexOutOfBoundsException in the parser
                new String[] {"multipart/form-data; boundary=", "--\r\n" + part + "----\r\n"},
                // a Content-Type that is no media type at all
                new String[] {"garbage", "--b\r\n" + part + "--b--\r\n"},
                new String[] {"", "--b\r\n" + part + "--b--\r\n"});
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String[] body : bodies) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(service.resolve("/api/conversations/" + conversation + "/attachments"))
                            .header("Authorization", "Bearer " + TestKeys.token(alice, "client"))
                            .header("Content-Type", body[0])
                            .POST(HttpRequest.BodyPublishers.ofString(body[1], StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(body[0] + " " + body[1]).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }
}
