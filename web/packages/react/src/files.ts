import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Attachment, AttachmentTarget, ParleyClient } from '@parley/client';
import { useParleyClient } from './provider.js';

/** Where one file of {@link useUploads} is. */
export type UploadStatus = 'uploading' | 'done' | 'error';

/** One file being uploaded (or uploaded, or refused) before the message that carries it is sent. */
export interface UploadItem {
  /** A key for lists (unique within the hook). */
  key: string;
  /** The file's name as picked (the server's safe name once uploaded: `attachment.name`). */
  name: string;
  /** The file's size in bytes. */
  size: number;
  /** The type the browser claims (a hint for previews; the server detects its own). */
  type: string;
  /** `uploading`, `done` (`attachment` set) or `error` (`error` set). */
  status: UploadStatus;
  /** Bytes sent so far and the total (the request body's), for a progress bar. */
  sent: number;
  /** See `sent`; 0 until known. */
  total: number;
  /** 0-100, rounded down; 100 once done. */
  percent: number;
  /** `done`: what the server answered. */
  attachment?: Attachment;
  /** `error`: why (a `ParleyApiError` with `status`, `detail` and `retryAfter` for refusals, else a network error). */
  error?: Error;
}

/** What {@link useUploads} gives. */
export interface UploadsResult {
  /** Every file added and not removed, in the order added. */
  items: UploadItem[];
  /** The uploaded files, in order: pass them to `send(content, {attachments})`. */
  attachments: Attachment[];
  /** Some file is still uploading. */
  uploading: boolean;
  /** Starts uploading each file (several at once). */
  add: (files: Iterable<File> | ArrayLike<File>) => void;
  /**
   * Takes a file out: an upload on its way is cancelled (and deleted on the server if it got there), a finished one
   * is deleted on the server (`DELETE /api/attachments/{id}`), a refused one is just dropped.
   */
  remove: (key: string) => void;
  /** Uploads a refused file again. */
  retry: (key: string) => void;
  /** Forgets every finished file without deleting it (call it once the message carrying them is sent). */
  clear: () => void;
}

let keys = 0;

/**
 * Uploads for the message being written in a conversation: each added file is uploaded at once (with progress and
 * cancellation), then the finished ones are sent with the message. Leaving the conversation (unmounting) cancels the
 * uploads on their way and deletes the finished files that no message carries.
 */
export function useUploads(conversationId: string): UploadsResult {
  const client = useParleyClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const files = useRef(new Map<string, { file: File; abort: AbortController }>());
  const current = useRef<UploadItem[]>([]);
  current.current = items;

  const patch = useCallback((key: string, change: Partial<UploadItem> | ((i: UploadItem) => Partial<UploadItem>)) => {
    setItems((list) =>
      list.map((i) => (i.key === key ? { ...i, ...(typeof change === 'function' ? change(i) : change) } : i)),
    );
  }, []);

  const start = useCallback(
    (key: string, file: File) => {
      const abort = new AbortController();
      files.current.set(key, { file, abort });
      client
        .uploadAttachment(conversationId, file, {
          signal: abort.signal,
          onProgress: (sent, total) =>
            patch(key, { sent, total, percent: total > 0 ? Math.min(99, Math.floor((sent / total) * 100)) : 0 }),
        })
        .then(
          (attachment) => {
            if (abort.signal.aborted) return;
            patch(key, (i) => ({ status: 'done', attachment, percent: 100, sent: i.total || file.size }));
          },
          (error: unknown) => {
            if (abort.signal.aborted) return;
            const e = error instanceof Error ? error : new Error(String(error));
            patch(key, (i) => {
              const { attachment: _unused, ...rest } = i;
              void _unused;
              return { ...rest, status: 'error', error: e };
            });
          },
        );
    },
    [client, conversationId, patch],
  );

  const add = useCallback(
    (list: Iterable<File> | ArrayLike<File>) => {
      const picked = Array.from(list as ArrayLike<File>);
      if (picked.length === 0) return;
      const fresh = picked.map<UploadItem>((f) => ({
        key: `upload-${++keys}`,
        name: f.name || 'file',
        size: f.size,
        type: f.type,
        status: 'uploading',
        sent: 0,
        total: 0,
        percent: 0,
      }));
      setItems((l) => [...l, ...fresh]);
      fresh.forEach((item, i) => start(item.key, picked[i]!));
    },
    [start],
  );

  const remove = useCallback(
    (key: string) => {
      const item = current.current.find((i) => i.key === key);
      const f = files.current.get(key);
      files.current.delete(key);
      if (item?.status === 'uploading') f?.abort.abort();
      else if (item?.status === 'done' && item.attachment) forget(client, item.attachment.id);
      setItems((l) => l.filter((i) => i.key !== key));
    },
    [client],
  );

  const retry = useCallback(
    (key: string) => {
      const f = files.current.get(key);
      if (!f) return;
      setItems((l) =>
        l.map((i) => {
          if (i.key !== key) return i;
          const { error: _unused, ...rest } = i;
          void _unused;
          return { ...rest, status: 'uploading', sent: 0, total: 0, percent: 0 };
        }),
      );
      start(key, f.file);
    },
    [start],
  );

  const clear = useCallback(() => {
    const sent = new Set(current.current.filter((i) => i.status === 'done').map((i) => i.key));
    for (const k of sent) files.current.delete(k);
    setItems((l) => l.filter((i) => !sent.has(i.key)));
  }, []);

  // leaving: cancel what is on its way, delete what no message carries
  useEffect(
    () => () => {
      for (const i of current.current) {
        if (i.status === 'uploading') files.current.get(i.key)?.abort.abort();
        else if (i.status === 'done' && i.attachment) forget(client, i.attachment.id);
      }
      files.current.clear();
    },
    [client],
  );

  const attachments = useMemo(
    () => items.filter((i) => i.status === 'done' && i.attachment).map((i) => i.attachment!),
    [items],
  );
  return {
    items,
    attachments,
    uploading: items.some((i) => i.status === 'uploading'),
    add,
    remove,
    retry,
    clear,
  };
}

function forget(client: ParleyClient, id: string): void {
  client.api.deleteAttachment(id).catch(() => {});
}

/** What {@link useAttachmentUrl} gives. */
export interface AttachmentUrlResult {
  /** A `blob:` URL of the bytes once loaded (revoked when the component goes or the target changes). */
  url: string | undefined;
  /** `idle` (nothing asked), `loading`, `success` or `error`. */
  status: 'idle' | 'loading' | 'success' | 'error';
  /** Why it failed. */
  error: Error | undefined;
}

/**
 * An object URL of an attachment or its thumbnail, downloaded with the bearer token (an `<img src>` cannot carry
 * it), revoked on unmount. `target` null or undefined: nothing is loaded.
 */
export function useAttachmentUrl(
  target: AttachmentTarget | null | undefined,
  options: { thumbnail?: boolean } = {},
): AttachmentUrlResult {
  const client = useParleyClient();
  const thumbnail = options.thumbnail ?? false;
  const key = target == null ? '' : typeof target === 'string' ? target : (thumbnail && target.thumbnailUrl) || target.url || target.id;
  const [state, setState] = useState<AttachmentUrlResult>({ url: undefined, status: 'idle', error: undefined });
  useEffect(() => {
    if (!key || target == null) {
      setState({ url: undefined, status: 'idle', error: undefined });
      return;
    }
    const abort = new AbortController();
    let revoke: (() => void) | undefined;
    setState({ url: undefined, status: 'loading', error: undefined });
    client.api.attachmentObjectUrl(target, { thumbnail, signal: abort.signal }).then(
      (o) => {
        if (abort.signal.aborted) return o.revoke();
        revoke = o.revoke;
        setState({ url: o.url, status: 'success', error: undefined });
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        setState({ url: undefined, status: 'error', error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    return () => {
      abort.abort();
      revoke?.();
    };
    // the target object may be new on each render: it is followed by its address
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, thumbnail]);
  return state;
}
