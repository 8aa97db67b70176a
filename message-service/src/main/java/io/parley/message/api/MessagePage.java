package io.parley.message.api;

import java.util.List;

/** A page of history: messages in ascending seq, and whether more lie beyond it. */
public record MessagePage(List<Object> items, boolean hasMore) {
}
