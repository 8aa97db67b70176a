package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.api.ContentDisposition;
import io.parley.message.api.EntityTags;
import org.junit.jupiter.api.Test;

/** Content-Disposition (RFC 6266 with RFC 8187's filename*) and the entity-tag checks (RFC 9110). */
class ContentDispositionTest {

    @Test
    void asciiNamesAreKeptAndEncodedOnlyWhereRfc8187Says() {
        assertThat(ContentDisposition.of(true, "photo.png"))
                .isEqualTo("inline; filename=\"photo.png\"; filename*=UTF-8''photo.png");
        assertThat(ContentDisposition.of(false, "my report (v2).pdf"))
                .isEqualTo("attachment; filename=\"my report (v2).pdf\"; filename*=UTF-8''my%20report%20%28v2%29.pdf");
    }

    @Test
    void quotesBackslashesAndNonAsciiAreReplacedInTheFallbackAndEncodedInFilenameStar() {
        assertThat(ContentDisposition.of(false, "a\"b\\c.txt"))
                .isEqualTo("attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc.txt");
        assertThat(ContentDisposition.of(false, "résumé \uD83D\uDE00.pdf"))
                .isEqualTo(
                        "attachment; filename=\"r_sum_ _.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%98%80.pdf");
        assertThat(ContentDisposition.of(false, "x;y=z,%.txt"))
                .isEqualTo("attachment; filename=\"x;y=z,%.txt\"; filename*=UTF-8''x%3By%3Dz%2C%25.txt");
    }

    @Test
    void ifNoneMatchComparesWeaklyAndIfRangeStrongly() {
        String etag = "\"abc\"";
        assertThat(EntityTags.noneMatchHits(null, etag)).isFalse();
        assertThat(EntityTags.noneMatchHits("\"abc\"", etag)).isTrue();
        assertThat(EntityTags.noneMatchHits("W/\"abc\"", etag)).isTrue();
        assertThat(EntityTags.noneMatchHits("\"x\", \"abc\"", etag)).isTrue();
        assertThat(EntityTags.noneMatchHits("*", etag)).isTrue();
        assertThat(EntityTags.noneMatchHits("\"abcd\"", etag)).isFalse();
        assertThat(EntityTags.noneMatchHits("abc", etag)).isFalse();

        assertThat(EntityTags.rangeAllowed(null, etag)).isTrue();
        assertThat(EntityTags.rangeAllowed("\"abc\"", etag)).isTrue();
        assertThat(EntityTags.rangeAllowed("W/\"abc\"", etag)).isFalse();
        assertThat(EntityTags.rangeAllowed("\"other\"", etag)).isFalse();
        assertThat(EntityTags.rangeAllowed("Wed, 21 Oct 2015 07:28:00 GMT", etag))
                .isFalse();
    }
}
