/**
 * The one error type of the client. Messages are built from safe parts only (method, path,
 * status, CUPI's code and message) and scrubbed of every registered secret, because axios errors
 * carry the password, the Authorization header and the session cookie.
 */

export type CupiErrorKind =
    | "not-found" // 404
    | "auth" // 401: bad credentials; never retried (CUC locks accounts)
    | "forbidden" // 403: the account lacks a role
    | "validation" // 400, 405, 409, 413, 415: the request is wrong
    | "throttled" // 503, 429: the server is busy
    | "server" // other 5xx
    | "timeout" // no answer within the configured timeout
    | "transport" // connection refused, reset, DNS
    | "tls" // certificate verification failed
    | "ambiguous" // a POST whose outcome is unknown (the connection dropped after sending)
    | "protocol" // the answer is not a CUPI answer (HTML error page, truncated XML, empty body)
    | "config"; // the connection settings are unusable

export interface CupiErrorInit {
    kind: CupiErrorKind;
    message: string;
    method?: string;
    path?: string;
    status?: number;
    code?: string;
    retryAfterMs?: number;
    cause?: unknown;
}

const secrets = new Set<string>();

/** Registers a value that must never appear in an error message or log line. */
export function registerSecret(value: string | undefined): void {
    if (value && value.length >= 3) {
        secrets.add(value);
        secrets.add(encodeURIComponent(value));
    }
}

/** Replaces every registered secret (and Basic/Cookie header values) with `***`. */
export function redact(text: string): string {
    let out = text
        .replace(/(authorization["':\s]*basic\s+)[A-Za-z0-9+/=]+/gi, "$1***")
        .replace(/((?:JSESSIONID|JSESSIONIDSSO|REQUEST_TOKEN_KEY)=)[^;\s"',]+/g, "$1***");
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join("***");
    return out;
}

export class CupiError extends Error {
    readonly kind: CupiErrorKind;
    readonly method?: string;
    readonly path?: string;
    readonly status?: number;
    readonly code?: string;
    readonly retryAfterMs?: number;

    constructor(init: CupiErrorInit) {
        const where = init.method && init.path ? `${init.method} ${init.path}: ` : "";
        const status = init.status ? `HTTP ${init.status}${init.code ? ` ${init.code}` : ""}: ` : "";
        super(redact(`${where}${status}${init.message}`));
        this.name = "CupiError";
        this.kind = init.kind;
        this.method = init.method;
        this.path = init.path;
        this.status = init.status;
        this.code = init.code;
        this.retryAfterMs = init.retryAfterMs;
        // The cause is deliberately not kept: an axios error holds the request's credentials.
    }

    /** Worth trying again for an idempotent request. */
    get retryable(): boolean {
        return this.kind === "throttled" || this.kind === "timeout" || (this.kind === "transport" && this.transient);
    }

    private get transient(): boolean {
        return /ECONNRESET|EPIPE|socket hang up|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/i.test(this.message);
    }

    toJSON(): Record<string, unknown> {
        return { name: this.name, kind: this.kind, status: this.status, code: this.code, method: this.method, path: this.path, message: this.message };
    }
}

export const isCupiError = (e: unknown, kind?: CupiErrorKind): e is CupiError =>
    e instanceof CupiError && (kind === undefined || e.kind === kind);

/** Which kind a non-2xx HTTP status is. */
export function kindOfStatus(status: number): CupiErrorKind {
    if (status === 404) return "not-found";
    if (status === 401) return "auth";
    if (status === 403) return "forbidden";
    if (status === 429 || status === 503) return "throttled";
    if (status >= 500) return "server";
    return "validation";
}
