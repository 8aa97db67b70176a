package io.parley.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTest {

    @Test
    void theStringFormIsTakenInEitherCase() {
        UUID id = UUID.randomUUID();
        assertThat(Uuids.parse(id.toString())).isEqualTo(id);
        assertThat(Uuids.parse(id.toString().toUpperCase())).isEqualTo(id);
    }

    @Test
    void whatJavasLenientParserTakesIsRefused() {
        for (String lenient : new String[] {
            "1-1-1-1-1",
            "+1-1-1-1-1",
            "0000000-00001-0001-0001-000000000001",
            "00000001-0001-0001-0001-00000000000g",
            "00000001_0001-0001-0001-000000000001",
            "00000001-0001-0001-0001-000000000001 ",
            "\uff100000001-0001-0001-0001-00000000001",
            "",
        }) {
            assertThat(Uuids.isUuid(lenient)).as(lenient).isFalse();
            assertThatThrownBy(() -> Uuids.parse(lenient)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Uuids.isUuid(null)).isFalse();
    }
}
