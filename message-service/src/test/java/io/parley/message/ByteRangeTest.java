package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.api.ByteRange;
import io.parley.message.api.ByteRange.Kind;
import org.junit.jupiter.api.Test;

/** Range headers (RFC 9110, section 14.1.2) as the files contract answers them. */
class ByteRangeTest {

    @Test
    void oneRangeOfEachForm() {
        assertThat(ByteRange.parse("bytes=100-199", 1000)).isEqualTo(new ByteRange(Kind.PARTIAL, 100, 199));
        assertThat(ByteRange.parse("bytes=100-199", 1000).length()).isEqualTo(100);
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(Kind.PARTIAL, 900, 999));
        assertThat(ByteRange.parse("bytes=-10", 1000)).isEqualTo(new ByteRange(Kind.PARTIAL, 990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(Kind.PARTIAL, 0, 999));
        assertThat(ByteRange.parse("bytes=0-0", 1)).isEqualTo(new ByteRange(Kind.PARTIAL, 0, 0));
        assertThat(ByteRange.parse("bytes=500-99999", 1000)).isEqualTo(new ByteRange(Kind.PARTIAL, 500, 999));
        assertThat(ByteRange.parse("BYTES = 1 - 2 ", 10)).isEqualTo(new ByteRange(Kind.PARTIAL, 1, 2));
        assertThat(ByteRange.parse("bytes=5-99999999999999999999999", 10)).isEqualTo(new ByteRange(Kind.PARTIAL, 5, 9));
    }

    @Test
    void unsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000).kind()).isEqualTo(Kind.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=1000-2000", 1000).kind()).isEqualTo(Kind.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 1000).kind()).isEqualTo(Kind.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=99999999999999999999-", 1000).kind()).isEqualTo(Kind.UNSATISFIABLE);
    }

    @Test
    void wholeForNoneSeveralOrUnreadable() {
        for (String header : new String[] {
            null,
            "",
            "bytes",
            "bytes=",
            "bytes=-",
            "items=1-2",
            "bytes=a-b",
            "bytes=5-1",
            "bytes=0-1,5-6",
            "bytes=1-2,",
            "bytes=--1",
            "bytes=1-2-3",
            "bytes=+1-2",
            "bytes=0x1-2"
        }) {
            assertThat(ByteRange.parse(header, 1000).kind())
                    .as(String.valueOf(header))
                    .isEqualTo(Kind.WHOLE);
        }
    }
}
