package io.parley.message.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A {@link FileStore} on an S3-compatible object store ({@code parley.files.store=s3}): the bytes of key {@code k} are
 * the object {@code k} of one bucket, written with PutObject, read with GetObject and a {@code Range} header
 * (RFC 9110 §14), removed with DeleteObject, probed with HeadObject. It uses the AWS SDK for Java v2 over the JDK's
 * {@code HttpURLConnection} (the url-connection client): uploads stream from the file with a fixed Content-Length,
 * downloads stream from the response, neither is held whole in memory. Failures of the store become
 * {@link IOException}s; a missing object becomes {@link NoSuchFileException}.
 *
 * <p>Made from {@code parley.files.s3.*} by {@link #fromConfig(Config)}, which checks that the bucket exists (or
 * creates it) and fails at once with a clear message otherwise. Thread-safe; {@link #close()} releases the client.
 */
public final class S3FileStore implements FileStore, AutoCloseable {

    /** The same keys as {@link FsFileStore}: relative names of {@code [A-Za-z0-9/_.-]}, no {@code .}/{@code ..}. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /**
     * Where and how to reach the store.
     *
     * @param endpoint     the endpoint URL ({@code http://127.0.0.1:9000}); null: AWS S3 of {@code region}
     * @param bucket       the bucket that holds the objects
     * @param region       the region to sign requests for ({@code us-east-1} for most self-hosted servers)
     * @param accessKey    with {@code secretKey}: static credentials; both null: the AWS default credentials chain
     *                     (environment, system properties, profile files, container and instance roles)
     * @param secretKey    see {@code accessKey}
     * @param pathStyle    path-style addressing ({@code endpoint/bucket/key}), which most self-hosted servers need;
     *                     false: virtual-hosted style ({@code bucket.endpoint/key})
     * @param createBucket create the bucket when it is missing (for local use); false: a missing bucket is an error
     */
    public record Settings(
            URI endpoint,
            String bucket,
            String region,
            String accessKey,
            String secretKey,
            boolean pathStyle,
            boolean createBucket) {

        /**
         * @throws IllegalArgumentException when the bucket is blank, or only one of the keys is given
         */
        public Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("parley.files.s3.bucket is required when parley.files.store=s3.");
            }
            if (region == null || region.isBlank()) {
                region = "us-east-1";
            }
            if ((accessKey == null) != (secretKey == null)) {
                throw new IllegalArgumentException("parley.files.s3.access-key and parley.files.s3.secret-key go "
                        + "together: give both, or neither to use the AWS default credentials chain.");
            }
        }
    }

    private final S3Client s3;
    private final String bucket;

    private S3FileStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A store configured from {@code parley.files.s3.*}: {@code endpoint} (optional; AWS when absent), {@code bucket}
     * (required), {@code region} (default {@code us-east-1}), {@code access-key} and {@code secret-key} (both or
     * neither; neither: the AWS default credentials chain), {@code path-style} (default false) and
     * {@code create-bucket} (default false). Environment variables are their MicroProfile forms
     * ({@code PARLEY_FILES_S3_BUCKET}...).
     *
     * @throws IllegalArgumentException when a setting is missing or malformed
     * @throws IllegalStateException    when the bucket cannot be reached, does not exist (and may not be created) or
     *                                  the credentials are refused; the message says which
     */
    public static S3FileStore fromConfig(Config config) {
        String endpoint = config.getOptionalValue("parley.files.s3.endpoint", String.class)
                .filter(value -> !value.isBlank())
                .orElse(null);
        URI endpointUri = null;
        if (endpoint != null) {
            try {
                endpointUri = new URI(endpoint.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("parley.files.s3.endpoint is not a URL: " + endpoint, e);
            }
            if (endpointUri.getScheme() == null || endpointUri.getHost() == null) {
                throw new IllegalArgumentException("parley.files.s3.endpoint must be an absolute http(s) URL, such as "
                        + "http://127.0.0.1:9000; it is " + endpoint);
            }
        }
        return open(new Settings(
                endpointUri,
                optional(config, "parley.files.s3.bucket").orElse(null),
                optional(config, "parley.files.s3.region").orElse("us-east-1"),
                optional(config, "parley.files.s3.access-key").orElse(null),
                optional(config, "parley.files.s3.secret-key").orElse(null),
                config.getOptionalValue("parley.files.s3.path-style", Boolean.class)
                        .orElse(false),
                config.getOptionalValue("parley.files.s3.create-bucket", Boolean.class)
                        .orElse(false)));
    }

    /**
     * A store on {@code settings}: makes the client and checks the bucket (HeadBucket; CreateBucket when missing and
     * {@link Settings#createBucket()}).
     *
     * @throws IllegalStateException when the bucket cannot be reached, does not exist (and may not be created) or the
     *                               credentials are refused; the message says which
     */
    public static S3FileStore open(Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey() != null
                ? StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Checksums only where the API requires them: since 2.30 the SDK adds CRC trailers to every upload
                // and asks for checksums on every download, which S3-compatible servers (S3Proxy 2.6, older MinIO,
                // Ceph...) refuse with 400/501. Integrity stays: TLS to AWS, and the sha256 kept with each upload.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Plain bodies, not aws-chunked: over http the SDK then hashes the file for the signature (a first
                // read, streamed) and sends it with its Content-Length, allocating nothing per chunk; over https the
                // payload is not signed at all. aws-chunked allocates about the file's size per upload.
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        S3Client client = builder.build();
        try {
            checkBucket(client, settings);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new S3FileStore(client, settings.bucket());
    }

    /** The bucket that holds the objects. */
    public String bucket() {
        return bucket;
    }

    /**
     * Uploads the file with PutObject (its length as Content-Length, {@code contentType} as Content-Type), streaming
     * it from disk; retried by the SDK on transient failures. When the upload fails, what was under {@code key} is
     * deleted (best effort), so that nothing stale stays readable.
     */
    @Override
    public void put(String key, Path source, String contentType) throws IOException {
        checkKey(key);
        try {
            s3.putObject(
                    request -> request.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(source));
        } catch (SdkException e) {
            try {
                delete(key);
            } catch (IOException | RuntimeException ignored) {
                // the store is failing anyway; the caller learns of the put
            }
            throw failure("put", key, e);
        }
    }

    /**
     * GetObject, with {@code Range: bytes=offset-(offset+length-1)} ({@code bytes=offset-} when {@code length} is -1;
     * no Range for the whole object). A range starting past the end gives an empty stream, as on a filesystem. Closing
     * the stream before its end drops the connection instead of reading the rest.
     */
    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        checkKey(key);
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("offset " + offset + ", length " + length);
        }
        if (length == 0) {
            if (!exists(key)) {
                throw new NoSuchFileException(key);
            }
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length < 0
                ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
        GetObjectRequest request =
                GetObjectRequest.builder().bucket(bucket).key(key).range(range).build();
        try {
            return new Download(s3.getObject(request));
        } catch (NoSuchKeyException e) {
            throw noSuchFile(key, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream(); // the object exists (else 404) and is shorter than offset
            }
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                throw noSuchFile(key, e);
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    /** DeleteObject: S3 answers success for a key that holds nothing, and so does this. */
    @Override
    public void delete(String key) throws IOException {
        checkKey(key);
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            // nothing to delete
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    /** HeadObject: true on 200, false on 404. */
    @Override
    public boolean exists(String key) throws IOException {
        checkKey(key);
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return false;
            }
            throw failure("probe", key, e);
        } catch (SdkException e) {
            throw failure("probe", key, e);
        }
    }

    /** Releases the client's connections. */
    @Override
    public void close() {
        s3.close();
    }

    private static void checkBucket(S3Client client, Settings settings) {
        String where = "bucket " + settings.bucket() + " at "
                + (settings.endpoint() != null ? settings.endpoint() : "AWS S3 (" + settings.region() + ")");
        try {
            client.headBucket(request -> request.bucket(settings.bucket()));
        } catch (NoSuchBucketException e) {
            createOrFail(client, settings, where, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                createOrFail(client, settings, where, e);
            } else if (e.statusCode() == 403 || e.statusCode() == 401) {
                throw new IllegalStateException(
                        "S3 file store: access to " + where + " is refused (HTTP " + e.statusCode()
                                + "): check parley.files.s3.access-key/secret-key or the credentials chain.",
                        e);
            } else {
                throw new IllegalStateException(
                        "S3 file store: " + where + " answers HTTP " + e.statusCode() + ": " + e.getMessage(), e);
            }
        } catch (SdkException e) {
            throw new IllegalStateException("S3 file store: " + where + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static void createOrFail(S3Client client, Settings settings, String where, S3Exception missing) {
        if (!settings.createBucket()) {
            throw new IllegalStateException(
                    "S3 file store: " + where + " does not exist: create it, or set "
                            + "parley.files.s3.create-bucket=true to have it created.",
                    missing);
        }
        try {
            client.createBucket(request -> request.bucket(settings.bucket()));
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "S3 file store: " + where + " does not exist and cannot be created: " + e.getMessage(), e);
        }
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e instanceof NoSuchBucketException
                || e.awsErrorDetails() != null
                        && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private static Optional<String> optional(Config config, String name) {
        return config.getOptionalValue(name, String.class).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a store key: " + key);
        }
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Not a store key: " + key);
            }
        }
    }

    private static NoSuchFileException noSuchFile(String key, Exception cause) {
        NoSuchFileException e = new NoSuchFileException(key);
        e.initCause(cause);
        return e;
    }

    private IOException failure(String action, String key, SdkException cause) {
        return new IOException(
                "S3 file store: cannot " + action + " " + key + " in bucket " + bucket + ": " + cause.getMessage(),
                cause);
    }

    /**
     * The body of a GetObject. Read to its end, it is closed as usual (the connection may be kept alive); closed
     * before, the request is aborted (the connection dropped) rather than the rest read for nothing.
     */
    private static final class Download extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private boolean ended;

        Download(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended = true;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (ended) {
                super.close();
                return;
            }
            response.abort();
            try {
                super.close();
            } catch (IOException ignored) {
                // the connection is already dropped
            }
        }
    }
}
