package io.parley.message.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Attachment JSON of the files contract (section 1): what an upload answers, {@code /meta} answers, and a message
 * carries in its {@code attachments}: id, conversationId, name, contentType, size (bytes), sha256 (lowercase hex),
 * width and height (pixels, images only), url, thumbnailUrl (when there is a thumbnail), createdAt (ISO-8601).
 */
public final class AttachmentJson {

    private AttachmentJson() {}

    /** The URL of an upload's bytes. */
    public static String url(java.util.UUID id) {
        return "/api/attachments/" + id;
    }

    /** @return an ordered map of JSON values (strings, numbers), without nulls */
    public static Map<String, Object> of(Attachment a) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", a.id().toString());
        json.put("conversationId", a.conversationId().toString());
        json.put("name", a.name());
        json.put("contentType", a.contentType());
        json.put("size", a.size());
        json.put("sha256", a.sha256());
        if (a.width() != null && a.height() != null) {
            json.put("width", a.width());
            json.put("height", a.height());
        }
        json.put("url", url(a.id()));
        if (a.thumbnailKey() != null) {
            json.put("thumbnailUrl", url(a.id()) + "/thumbnail");
        }
        json.put("createdAt", a.createdAt().toString());
        return json;
    }
}
