package io.parley.message.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The entity-tag checks of downloads: If-None-Match (weak comparison) and If-Range (strong tags only). */
class EntityTagsTest {

    private static final String TAG = "\"abc123\"";

    @Test
    void ifNoneMatchHitsTheSameTagWeakOrNotOrAStar() {
        assertThat(EntityTags.noneMatchHits(TAG, TAG)).isTrue();
        assertThat(EntityTags.noneMatchHits("W/" + TAG, TAG)).isTrue();
        assertThat(EntityTags.noneMatchHits(" * ", TAG)).isTrue();
        assertThat(EntityTags.noneMatchHits("\"other\", W/\"abc123\"", TAG)).isTrue();
        assertThat(EntityTags.noneMatchHits("\"other\" ,  " + TAG + " ", TAG)).isTrue();
    }

    @Test
    void ifNoneMatchMissesOtherTagsAndAnAbsentHeader() {
        assertThat(EntityTags.noneMatchHits(null, TAG)).isFalse();
        assertThat(EntityTags.noneMatchHits("", TAG)).isFalse();
        assertThat(EntityTags.noneMatchHits("\"other\"", TAG)).isFalse();
        assertThat(EntityTags.noneMatchHits("abc123", TAG)).isFalse();
        assertThat(EntityTags.noneMatchHits("\"abc123-thumbnail\"", TAG)).isFalse();
    }

    @Test
    void aRangeIsHonouredWithoutIfRangeOrWithTheSameStrongTagOnly() {
        assertThat(EntityTags.rangeAllowed(null, TAG)).isTrue();
        assertThat(EntityTags.rangeAllowed(TAG, TAG)).isTrue();
        assertThat(EntityTags.rangeAllowed(" " + TAG + " ", TAG)).isTrue();
        assertThat(EntityTags.rangeAllowed("W/" + TAG, TAG)).isFalse();
        assertThat(EntityTags.rangeAllowed("\"other\"", TAG)).isFalse();
        assertThat(EntityTags.rangeAllowed("Mon, 30 Nov 2026 12:00:00 GMT", TAG))
                .isFalse();
    }
}
