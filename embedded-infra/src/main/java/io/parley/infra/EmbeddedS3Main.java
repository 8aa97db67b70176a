package io.parley.infra;

import java.io.IOException;
import java.io.InputStream;

/**
 * The entry point of the child JVM that {@link EmbeddedS3} starts: {@code EmbeddedS3Main <S3Proxy arguments>}, with
 * only this class and the S3Proxy jar on its classpath (so it uses nothing but the JDK). It runs S3Proxy's own
 * {@code org.gaul.s3proxy.Main} with the arguments given, and exits as soon as its standard input closes: the
 * launcher keeps that pipe open and never writes to it, so a launcher that dies, however it dies (even
 * {@code kill -9}), takes the server with it.
 */
public final class EmbeddedS3Main {

    private EmbeddedS3Main() {}

    public static void main(String[] args) throws Throwable {
        Thread watch = new Thread(
                () -> {
                    waitForEndOfInput(System.in);
                    System.exit(0);
                },
                "launcher-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName("org.gaul.s3proxy.Main")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        // S3Proxy's main returns once its server runs; the server's threads keep this JVM alive.
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the launcher writes nothing; reading only tells when it is gone
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of input
        }
    }
}
