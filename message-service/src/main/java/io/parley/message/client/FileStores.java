package io.parley.message.client;

import io.parley.message.domain.FilesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/** Makes the application's one {@link FileStore}, as {@code parley.files.store} says: {@code fs} or {@code s3}. */
@ApplicationScoped
public class FileStores {

    /**
     * The configured store.
     *
     * @throws IllegalArgumentException for another value of {@code parley.files.store} (the application does not start)
     */
    @Produces
    @ApplicationScoped
    FileStore fileStore(FilesConfig config) {
        return switch (config.store()) {
            case "fs" -> {
                try {
                    yield new FsFileStore(Path.of(config.dir()));
                } catch (IOException e) {
                    throw new UncheckedIOException("parley.files.dir " + config.dir() + " cannot be created", e);
                }
            }
            case "s3" -> S3FileStore.fromConfig(ConfigProvider.getConfig());
            default ->
                throw new IllegalArgumentException(
                        "parley.files.store must be fs or s3; it is " + config.store() + ".");
        };
    }
}
