/**
 * Retries idempotent requests (GET, PUT, DELETE) after the transient failures cupi-error.ts
 * declares (TRANSIENT_STATUSES, RETRYABLE_NETWORK), with exponential back-off and full jitter,
 * honouring Retry-After. The budget is the one of `cuc:retries`: a request is sent at most
 * retries + 1 times, and nothing above the client retries it again. POST is never retried here:
 * a failed POST surfaces as `ambiguous` or `throttled` so the caller can look the object up first
 * (CupiClient.createVerified, with the same budget).
 */
import { CupiError } from "./cupi-error";
import type { Send } from "./transport";

export interface RetryOptions {
    retries: number;
    baseMs: number;
    maxMs: number;
    /** Called before each wait; for logs and statistics. */
    onRetry?: (info: { error: CupiError; attempt: number; delayMs: number }) => void;
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An unreachable server is tried again at a quick, steady pace until the circuit (circuit.ts) gives up. */
export const UNREACHABLE_RETRY_MS = 400;

export function backoff(attempt: number, opts: RetryOptions, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, opts.maxMs);
    const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
    return Math.round((opts.random ?? Math.random)() * ceiling);
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or the budget is spent. */
export async function withRetries<T>(fn: () => Promise<T>, opts: RetryOptions, retryable = (e: CupiError) => e.retryable): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await fn();
        } catch (e) {
            if (!(e instanceof CupiError) || !retryable(e)) throw e;
            if (attempt >= opts.retries) throw e;
            const delayMs = e.unreachable ? UNREACHABLE_RETRY_MS : backoff(attempt, opts, e.retryAfterMs);
            opts.onRetry?.({ error: e, attempt: attempt + 1, delayMs });
            await (opts.sleep ?? defaultSleep)(delayMs);
        }
    }
}

export const withRetry = (next: Send, opts: RetryOptions): Send => (req) =>
    req.method === "POST" ? next(req) : withRetries(() => next(req), opts);

/** Retry-After in seconds or as an HTTP date, in ms. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
    const v = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!v) return undefined;
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    // An HTTP date always holds a time of day; V8's Date.parse also accepts words ("later 3"),
    // which would turn a garbled header into "retry at once".
    if (!/\d\d:\d\d:\d\d/.test(v)) return undefined;
    const date = Date.parse(v);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
