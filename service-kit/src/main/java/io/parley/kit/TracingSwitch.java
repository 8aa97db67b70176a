package io.parley.kit;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns traces on when an OTLP endpoint is given: with {@code PARLEY_OTEL_ENDPOINT} set in the environment (or the
 * {@code parley.otel.endpoint} system property), it answers {@code quarkus.otel.sdk.disabled=false}, over the kit's
 * default {@code true} (META-INF/microprofile-config.properties). Without it the OpenTelemetry SDK stays disabled: no
 * span is recorded and no exporter connects anywhere. A configuration expression cannot derive a flag from whether
 * another value is present, hence this source; its ordinal (110) is above the kit's defaults (100) and below a
 * service's application.properties (250), so an explicit {@code quarkus.otel.sdk.disabled} anywhere else still wins.
 */
public final class TracingSwitch implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    private final Function<String, String> environment;
    private final Function<String, String> systemProperties;

    /** The source ServiceLoader makes: it reads the process's environment and system properties. */
    public TracingSwitch() {
        this(System::getenv, System::getProperty);
    }

    TracingSwitch(Function<String, String> environment, Function<String, String> systemProperties) {
        this.environment = environment;
        this.systemProperties = systemProperties;
    }

    /** @return {@code quarkus.otel.sdk.disabled=false} when an endpoint is configured, else nothing */
    @Override
    public Map<String, String> getProperties() {
        return endpointConfigured() ? Map.of(SDK_DISABLED, "false") : Map.of();
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return getProperties().get(propertyName);
    }

    @Override
    public String getName() {
        return "parley-tracing-switch";
    }

    @Override
    public int getOrdinal() {
        return 110;
    }

    private boolean endpointConfigured() {
        String endpoint = systemProperties.apply("parley.otel.endpoint");
        if (endpoint == null) {
            endpoint = environment.apply("PARLEY_OTEL_ENDPOINT");
        }
        return endpoint != null && !endpoint.isBlank();
    }
}
