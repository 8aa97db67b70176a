package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.S3TestResource;
import io.parley.message.domain.FileService;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files contract on the S3 store ({@code parley.files.store=s3}) against a real S3-compatible server: S3Proxy in a
 * child JVM ({@link S3TestResource}), started for this profile beside the usual Kafka and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(FilesOnS3Test.OnS3.class)
class FilesOnS3Test extends FilesContract {

    /** {@code parley.files.store=s3} on a fresh embedded S3 server and bucket. */
    public static class OnS3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3TestResource.class));
        }
    }

    @ConfigProperty(name = "parley.files.s3.endpoint")
    String endpoint;

    @ConfigProperty(name = "parley.files.s3.bucket")
    String bucket;

    @ConfigProperty(name = "parley.files.s3.access-key")
    String accessKey;

    @ConfigProperty(name = "parley.files.s3.secret-key")
    String secretKey;

    /** The keys of every object in the bucket, listed through the S3 API (ListObjectsV2). */
    @Override
    protected Set<String> storedKeys() {
        try (S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build()) {
            return s3.listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream()
                    .map(S3Object::key)
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void theApplicationStoresItsFilesInTheBucket() throws Exception {
        String alice = user("alice");
        UUID conversation = Conversations.create(kafka, "group", alice, List.of(alice));
        String id = uploadId(alice, conversation, "in-the-bucket.txt");
        assertThat(storedKeys()).contains(FileService.key(UUID.fromString(id)));
    }
}
