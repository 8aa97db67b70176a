import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { isParleyApiError, type Attachment, type PendingAttachment } from '@parley/client';
import { useAttachmentUrl, useParleyClient, type UploadItem, type UploadsResult } from '@parley/react';

const units = ['bytes', 'KB', 'MB', 'GB'];

/** "532 bytes", "12.4 KB", "3.1 MB" (1 KB = 1,024 bytes). */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} ${v === 1 ? 'byte' : 'bytes'}` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** What went wrong with an upload, with the server's own words (problem+json `detail`). */
export function uploadErrorText(e: Error | undefined): string {
  if (!e) return 'Upload failed.';
  if (isParleyApiError(e)) {
    const detail = e.detail || e.title;
    switch (e.status) {
      case 413:
        return `Too large: ${detail}`;
      case 415:
        return `This type of file is not allowed: ${detail}`;
      case 429:
        return `Too many uploads: ${detail}${e.retryAfter !== undefined ? ` Try again in ${Math.ceil(e.retryAfter)} s.` : ''}`;
      case 404:
        return `This conversation is not available: ${detail}`;
      default:
        return `Upload failed (${e.status}): ${detail}`;
    }
  }
  return 'Upload failed: the network did not answer.';
}

const retryable = (i: UploadItem) => !isParleyApiError(i.error) || i.error.status === 429 || i.error.status >= 500;

/** The files of the message being written: a progress bar per upload, cancel / remove, errors next to each file. */
export function UploadList({ uploads }: { uploads: UploadsResult }) {
  if (uploads.items.length === 0) return null;
  return (
    <ul className="uploads" aria-label="Files to send">
      {uploads.items.map((i) => (
        <li key={i.key} className={`upload is-${i.status}`} data-upload-status={i.status}>
          <span className="upload-name">{i.name}</span> <span className="muted small">{formatSize(i.size)}</span>
          {i.status === 'uploading' && (
            <>
              <span
                className="bar"
                role="progressbar"
                aria-label={`Uploading ${i.name}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={i.percent}
                aria-valuetext={`${i.percent}%`}
              >
                <span className="bar-fill" style={{ width: `${i.percent}%` }} />
              </span>
              <button type="button" className="link" onClick={() => uploads.remove(i.key)} aria-label={`Cancel ${i.name}`}>
                Cancel
              </button>
            </>
          )}
          {i.status === 'done' && (
            <>
              <span className="upload-ok" aria-label="uploaded">
                ✓
              </span>
              <button type="button" className="link" onClick={() => uploads.remove(i.key)} aria-label={`Remove ${i.name}`}>
                Remove
              </button>
            </>
          )}
          {i.status === 'error' && (
            <>
              <span className="upload-error" role="alert">
                {uploadErrorText(i.error)}
              </span>
              {retryable(i) && (
                <button type="button" className="link" onClick={() => uploads.retry(i.key)} aria-label={`Retry ${i.name}`}>
                  Retry
                </button>
              )}
              <button type="button" className="link" onClick={() => uploads.remove(i.key)} aria-label={`Remove ${i.name}`}>
                Remove
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The files of a stored message: thumbnails of images (opening the full image) and a download link per file. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="files" aria-label="Files">
      {attachments.map((a) => (
        <li key={a.id} className="file">
          {a.thumbnailUrl && <Thumbnail attachment={a} />}
          <DownloadLink attachment={a} />
        </li>
      ))}
    </ul>
  );
}

/** The files of a message not stored yet (the outbox): their names only. */
export function PendingFiles({ attachments }: { attachments: PendingAttachment[] | undefined }) {
  if (!attachments || attachments.length === 0) return null;
  return (
    <ul className="files" aria-label="Files">
      {attachments.map((a) => (
        <li key={a.id} className="file muted">
          {a.name ?? 'file'} {a.size !== undefined && <span className="small">({formatSize(a.size)})</span>}
        </li>
      ))}
    </ul>
  );
}

const THUMB = 240;

function Thumbnail({ attachment: a }: { attachment: Attachment }) {
  const thumb = useAttachmentUrl(a, { thumbnail: true });
  const [open, setOpen] = useState(false);
  const scale = a.width && a.height ? Math.min(1, THUMB / Math.max(a.width, a.height)) : undefined;
  const size = scale ? { width: Math.max(1, Math.round(a.width! * scale)), height: Math.max(1, Math.round(a.height! * scale)) } : {};
  return (
    <>
      <button
        type="button"
        className="thumb"
        onClick={() => setOpen(true)}
        aria-label={`Open ${a.name}`}
        aria-haspopup="dialog"
        style={size.width ? { width: size.width, height: size.height } : undefined}
      >
        {thumb.url ? (
          <img src={thumb.url} alt={a.name} {...size} />
        ) : (
          <span className="thumb-placeholder muted small">{thumb.status === 'error' ? 'No preview' : 'Loading…'}</span>
        )}
      </button>
      {open && <ImageDialog attachment={a} onClose={() => setOpen(false)} />}
    </>
  );
}

/** The full image in a modal dialog (Escape or Close closes it). */
function ImageDialog({ attachment: a, onClose }: { attachment: Attachment; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const full = useAttachmentUrl(a);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  return (
    <dialog ref={ref} className="image-dialog" aria-label={a.name} onClose={onClose} onCancel={onClose}>
      <div className="image-dialog-bar">
        <span className="upload-name">{a.name}</span>
        <span className="spacer" />
        <DownloadLink attachment={a} />
        <button type="button" className="primary small" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      {full.url ? (
        <img src={full.url} alt={a.name} className="full-image" />
      ) : (
        <p className="pad muted">{full.status === 'error' ? 'The image could not be loaded.' : 'Loading…'}</p>
      )}
    </dialog>
  );
}

/**
 * A link that downloads the file with the token: the link's own address needs the bearer token, so a click fetches
 * the bytes into an object URL and saves them under the file's name.
 */
function DownloadLink({ attachment: a }: { attachment: Attachment }) {
  const client = useParleyClient();
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const onClick = async (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    if (state === 'busy') return;
    setState('busy');
    try {
      const o = await client.api.attachmentObjectUrl(a);
      const link = document.createElement('a');
      link.href = o.url;
      link.download = a.name;
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
      // the download has started from the blob: release it a little later
      setTimeout(o.revoke, 60_000);
      setState('idle');
    } catch {
      setState('error');
    }
  };
  const size = formatSize(a.size);
  return (
    <span className="download">
      <a href={a.url} download={a.name} onClick={(e) => void onClick(e)} aria-label={`Download ${a.name} (${size})`}>
        <span aria-hidden="true">⬇</span> {a.name}
      </a>{' '}
      <span className="muted small">{size}</span>
      {state === 'busy' && <span className="muted small"> · downloading…</span>}
      {state === 'error' && (
        <span className="state failed small" role="alert">
          {' '}
          · the download failed
        </span>
      )}
    </span>
  );
}
