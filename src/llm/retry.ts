// Retry policy for the LLM endpoint: which failures are transient, how long to wait, and an abortable sleep.

/** First backoff ceiling; doubles per retry until the caller's cap. */
export const BASE_BACKOFF_MS = 500;

/** Statuses worth another attempt: the same request may well succeed later. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait a server asked for, in ms, from `retry-after-ms` (OpenAI, Azure) or `Retry-After`
 * (seconds or an HTTP date). Undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (headers === undefined) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with full jitter (uniform in [0, min(cap, base·2^retry))), so many callers spread out. */
export function backoffMs(retry: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, BASE_BACKOFF_MS * 2 ** Math.min(retry, 30));
  return Math.floor(random() * Math.max(0, ceiling));
}

/** The wait before retry number `retry` (0-based): the server's request when it made one, else backoff; capped either way. */
export function retryDelayMs(retry: number, capMs: number, headers?: Headers, random?: () => number): number {
  const asked = retryAfterMs(headers);
  if (asked !== undefined) return Math.min(asked, capMs);
  return backoffMs(retry, capMs, random);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
