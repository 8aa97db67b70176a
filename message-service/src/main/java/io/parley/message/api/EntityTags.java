package io.parley.message.api;

/** The entity-tag checks of downloads (RFC 9110, sections 8.8.3, 13.1.2 and 13.1.5). */
public final class EntityTags {

    private EntityTags() {}

    /**
     * Whether an {@code If-None-Match} header matches {@code etag} (weak comparison, RFC 9110 section 13.1.2): a
     * {@code *}, or one of the listed tags with the same opaque value, {@code W/} or not.
     *
     * @param header the header's value (null: absent, no match)
     * @param etag   the representation's strong tag, quoted ({@code "abc"})
     */
    public static boolean noneMatchHits(String header, String etag) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a Range may be honoured under an {@code If-Range} header (RFC 9110, section 13.1.5): yes without the
     * header, or when it is the same strong tag; a weak tag, another tag or a date (these files have no
     * Last-Modified) means the whole representation.
     */
    public static boolean rangeAllowed(String ifRange, String etag) {
        return ifRange == null || ifRange.strip().equals(etag);
    }
}
