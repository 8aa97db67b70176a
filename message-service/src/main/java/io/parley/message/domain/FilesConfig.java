package io.parley.message.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of files ({@code parley.files.*}), with their defaults: the one place they are defined. Each is
 * documented in application.properties; env vars are the MicroProfile forms ({@code PARLEY_FILES_MAX_SIZE}...).
 */
@ConfigMapping(prefix = "parley.files")
public interface FilesConfig {

    /** Where bytes are stored: {@code fs} (a local folder, {@link #dir()}) or {@code s3} ({@link #s3()}). */
    @WithDefault("fs")
    String store();

    /** The folder of {@code store=fs}; created when missing. */
    @WithDefault("${java.io.tmpdir}/parley-files")
    String dir();

    /**
     * The largest file accepted (25 MiB): a size with an optional unit suffix, {@code 26214400}, {@code 25M},
     * {@code 1G} (binary multiples); larger ones get 413.
     */
    @WithDefault("25M")
    io.quarkus.runtime.configuration.MemorySize maxSize();

    /** Detected media types refused with 415 (executables by default). */
    @WithDefault("application/x-msdownload,application/x-dosexec,application/x-executable,application/x-elf,"
            + "application/x-sharedlib,application/x-mach-o-executable,application/x-ms-installer,"
            + "application/vnd.microsoft.portable-executable,application/x-sh,application/x-bat")
    List<String> refusedTypes();

    /** Uploads a user may make in any minute, per service instance; more get 429 with Retry-After. */
    @WithDefault("30")
    int uploadsPerMinute();

    /** How often the sweeper deletes the bytes and rows of deleted and expired uploads. */
    @WithDefault("1m")
    Duration sweepInterval();

    /** How long an upload may stay unattached to any message before it is deleted. */
    @WithDefault("24h")
    Duration unattachedTtl();

    /** Images with more pixels than this get their dimensions but no thumbnail (decoding them costs too much). */
    @WithDefault("50000000")
    long maxThumbnailPixels();

    /** The S3-compatible store of {@code store=s3}; read by {@code S3FileStore.fromConfig}. */
    S3 s3();

    /** {@code parley.files.s3.*}. */
    interface S3 {
        /** The endpoint URL; absent: AWS. */
        Optional<String> endpoint();

        /** The bucket; required with {@code store=s3}. */
        Optional<String> bucket();

        @WithDefault("us-east-1")
        String region();

        /** With {@link #secretKey()}: static credentials; absent: the AWS default credentials chain. */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Path-style access ({@code endpoint/bucket/key}), as most self-hosted S3-compatible servers need. */
        @WithDefault("false")
        boolean pathStyle();
    }
}
