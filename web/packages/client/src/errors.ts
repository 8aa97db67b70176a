/**
 * A REST call that the server refused, from its `application/problem+json` body (RFC 9457).
 *
 * `status` is the HTTP status; `title` and `detail` come from the body (`detail` names the wrong field for a 400);
 * `retryAfter` is the `Retry-After` header in seconds, when the server sent one (429, 503).
 * A network failure is not a `ParleyApiError`: `fetch` rejects with its own error.
 */
export class ParleyApiError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The problem's short title (or the status text). */
  readonly title: string;
  /** What was wrong; for a 400 it names the field by its JSON path. */
  readonly detail: string;
  /** The problem's `type` URI, when given. */
  readonly type?: string;
  /** Seconds to wait before trying again (`Retry-After`), when given. */
  readonly retryAfter?: number;

  /** Builds one; usually made by the REST client from a response. */
  constructor(init: { status: number; title: string; detail: string; type?: string; retryAfter?: number }) {
    super(`${init.status} ${init.title}${init.detail ? `: ${init.detail}` : ''}`);
    this.name = 'ParleyApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    if (init.type !== undefined) this.type = init.type;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

/** True when `e` is a {@link ParleyApiError} (optionally with the given status). */
export function isParleyApiError(e: unknown, status?: number): e is ParleyApiError {
  return e instanceof ParleyApiError && (status === undefined || e.status === status);
}

/**
 * Reads a `Retry-After` header value (delta-seconds or an HTTP date) as seconds from `nowMs`; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}
