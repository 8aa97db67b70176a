package io.parley.bench.scenarios;

import static io.parley.bench.engine.FileTransfers.ID;
import static io.parley.bench.engine.FileTransfers.match;

import io.parley.bench.engine.FileTransfers;
import io.parley.bench.engine.Jvm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Files through the gateway of a running local stack (deploy/bench/files.sh throughput): one upload of a file of that
 * many MiB, then its download, each timed from the first byte sent to the last byte received (MB/s); then ten uploads
 * of that size at once and ten downloads at once, with each service's old generation after a full GC before and
 * after ({@code jcmd GC.run} and {@code jstat}), the figure that shows whether a process held a file in memory. The
 * stack must accept files of that size: start it with {@code PARLEY_FILES_MAX_SIZE=200M} and
 * {@code PARLEY_GATEWAY_MAX_BODY_SIZE=256M} for {@code throughput 100}.
 */
@Command(name = "files-throughput", description = "one file of <MiB> up and down, then ten at once, with heap readings")
public final class FilesThroughput implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<MiB>", description = "the file's size")
    int mib;

    @Mixin
    RunningGateway stack = new RunningGateway();

    private FileTransfers files;

    /** Runs the transfers and prints their rates; answers 0. */
    @Override
    public Integer call() throws Exception {
        files = new FileTransfers(stack.gateway(), stack.keys.keys());
        throughput(mib);
        return 0;
    }

    private void throughput(int mib) throws Exception {
        Path file = Files.createTempFile("parley-bench", ".bin");
        try {
            byte[] block = new byte[1024 * 1024];
            new Random(1).nextBytes(block);
            try (var out = Files.newOutputStream(file)) {
                for (int i = 0; i < mib; i++) {
                    out.write(block);
                }
            }
            String ann = "bench-ann-" + UUID.randomUUID();
            String bob = "bench-bob-" + UUID.randomUUID();
            String annToken = files.token(ann, "client");
            String conversation = files.conversation(annToken, bob);
            double megabytes = mib * 1024.0 * 1024.0 / 1e6;

            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                HttpResponse<String> up =
                        files.upload(annToken, conversation, "bench.bin", file).get(5, TimeUnit.MINUTES);
                double upSeconds = (System.nanoTime() - started) / 1e9;
                if (up.statusCode() != 201) {
                    throw new IllegalStateException("upload answered " + up.statusCode() + ": " + up.body());
                }
                String id = match(ID, up.body());
                started = System.nanoTime();
                long bytes = files.download(annToken, "/api/attachments/" + id).get(5, TimeUnit.MINUTES);
                double downSeconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "one %d MiB file, round %d: upload %.0f MB/s (%.2f s), download %.0f MB/s"
                                + " (%.2f s, %d bytes)%n",
                        mib,
                        round + 1,
                        megabytes / upSeconds,
                        upSeconds,
                        megabytes / downSeconds,
                        downSeconds,
                        bytes);
            }

            System.out.println("old generation after a full GC, before ten at once: " + Jvm.oldGenerations());
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                uploads.add(files.upload(annToken, conversation, "bench-" + i + ".bin", file));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> up : uploads) {
                HttpResponse<String> response = up.get(10, TimeUnit.MINUTES);
                if (response.statusCode() != 201) {
                    throw new IllegalStateException(
                            "upload answered " + response.statusCode() + ": " + response.body());
                }
                ids.add(match(ID, response.body()));
            }
            double upSeconds = (System.nanoTime() - started) / 1e9;
            System.out.println("old generation after a full GC, after ten uploads: " + Jvm.oldGenerations());
            started = System.nanoTime();
            List<CompletableFuture<Long>> downloads = ids.stream()
                    .map(id -> files.download(annToken, "/api/attachments/" + id))
                    .toList();
            for (CompletableFuture<Long> down : downloads) {
                down.get(10, TimeUnit.MINUTES);
            }
            double downSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "ten %d MiB files at once: upload %.0f MB/s in all (%.2f s), download %.0f MB/s"
                            + " in all (%.2f s)%n",
                    mib,
                    10 * megabytes / upSeconds,
                    upSeconds,
                    10 * megabytes / downSeconds,
                    downSeconds);
            System.out.println("old generation after a full GC, after ten downloads: " + Jvm.oldGenerations());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
