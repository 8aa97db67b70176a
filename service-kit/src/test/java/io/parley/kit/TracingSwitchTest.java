package io.parley.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    @Test
    void tracesStayOffWithoutAnEndpoint() {
        TracingSwitch source = new TracingSwitch(name -> null, name -> null);
        assertThat(source.getValue(TracingSwitch.SDK_DISABLED)).isNull();
        assertThat(source.getPropertyNames()).isEmpty();
    }

    @Test
    void aBlankEndpointLeavesThemOff() {
        TracingSwitch source = new TracingSwitch(Map.of("PARLEY_OTEL_ENDPOINT", " ")::get, name -> null);
        assertThat(source.getValue(TracingSwitch.SDK_DISABLED)).isNull();
    }

    @Test
    void anEndpointInTheEnvironmentOrASystemPropertyTurnsThemOn() {
        TracingSwitch fromEnvironment =
                new TracingSwitch(Map.of("PARLEY_OTEL_ENDPOINT", "http://collector:4317")::get, name -> null);
        TracingSwitch fromProperty =
                new TracingSwitch(name -> null, Map.of("parley.otel.endpoint", "http://collector:4317")::get);
        assertThat(fromEnvironment.getValue(TracingSwitch.SDK_DISABLED)).isEqualTo("false");
        assertThat(fromProperty.getPropertyNames()).containsExactly(TracingSwitch.SDK_DISABLED);
        // below a service's application.properties, above the kit's defaults
        assertThat(fromEnvironment.getOrdinal()).isBetween(101, 249);
    }
}
