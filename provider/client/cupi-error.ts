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
    /** The request was never sent (a refusal or an outage seen earlier in this process). */
    notSent?: boolean;
    /** Sent, but nothing more is worth trying in this run (the failure that made the client give up on a server). */
    final?: boolean;
    /** The network failure that ended the request (RETRYABLE_NETWORK), when no answer came. */
    network?: NetworkFailure;
    cause?: unknown;
}

/**
 * What is worth sending again, declared once: these statuses (TRANSIENT_STATUSES) and these
 * network failures (RETRYABLE_NETWORK). An idempotent request (GET, PUT, DELETE) is retried with
 * back-off after any of them (retry.ts); a POST that met one may or may not have been carried
 * out, so it is looked up before being sent again (CupiClient.createVerified), unless CUC
 * refused it unprocessed (NOT_PROCESSED_STATUSES).
 */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
/** Statuses CUC answers before doing anything (its request queue is full): a POST is safe to resend. */
export const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);
/**
 * The network failures worth another try, by the codes Node and axios give them (and the words
 * of the few errors that come without one). The transport (transport.ts) classifies every
 * failure with this table, and CupiError.retryable reads the class it recorded.
 */
export const RETRYABLE_NETWORK = {
    /** No answer within the timeout: the server may be slow, or may have carried the request out. */
    timeout: { codes: ["ECONNABORTED", "ETIMEDOUT"], words: /timeout/i },
    /** The connection dropped mid-request: worth another try at the usual pace. */
    dropped: { codes: ["ECONNRESET", "EPIPE"], words: /socket hang up/i },
    /** Nobody answered at all (refused, no such host, no route): a few quick tries, then the server is down (circuit.ts). */
    unreachable: { codes: ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"], words: undefined },
} as const satisfies Record<string, { codes: readonly string[]; words: RegExp | undefined }>;
export type NetworkFailure = keyof typeof RETRYABLE_NETWORK;

/** The class of a network error (RETRYABLE_NETWORK), or undefined when it is not worth another try. */
export function networkFailure(code: string, message: string): NetworkFailure | undefined {
    return (Object.keys(RETRYABLE_NETWORK) as NetworkFailure[]).find((k) => {
        const c: { codes: readonly string[]; words: RegExp | undefined } = RETRYABLE_NETWORK[k];
        return c.codes.includes(code) || Boolean(c.words?.test(message));
    });
}

const secrets = new Set<string>();

/** The forms a value takes on the wire: as is, URL-encoded, and escaped in an XML or a JSON body (a server may echo a body back). */
const wireForms = (value: string) => [
    value,
    encodeURIComponent(value),
    value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"),
    JSON.stringify(value).slice(1, -1),
];

/** Registers a value that must never appear in an error message or log line, in any of its wire forms. */
export function registerSecret(value: string | undefined): void {
    if (value && value.length >= 3) for (const form of wireForms(value)) secrets.add(form);
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
    readonly notSent: boolean;
    readonly final: boolean;
    readonly network?: NetworkFailure;
    /** Kept for debugging, scrubbed: the message only; never the request (it holds credentials). */
    override readonly cause?: { name?: string; code?: string; message: string };

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
        this.notSent = init.notSent ?? false;
        this.final = init.final ?? false;
        this.network = init.network;
        // An axios error holds the request's credentials: keep only its name, code and redacted message.
        const c = init.cause as { name?: string; code?: string; message?: string } | undefined;
        if (c) this.cause = { name: c.name, code: c.code, message: redact(String(c.message ?? c)) };
    }

    /** Worth sending an idempotent request again (TRANSIENT_STATUSES, RETRYABLE_NETWORK); a POST that may have been carried out is not. */
    get retryable(): boolean {
        if (this.notSent || this.final || this.kind === "ambiguous") return false;
        if (this.network) return true;
        return this.status !== undefined && TRANSIENT_STATUSES.has(this.status);
    }

    /** No server answered at all: retried only briefly, then the client stops trying (circuit.ts). */
    get unreachable(): boolean {
        return this.network === "unreachable";
    }

    /** A failed POST after which the object must be looked up before posting again. */
    get mayHaveCreated(): boolean {
        return this.kind === "ambiguous";
    }

    toJSON(): Record<string, unknown> {
        return { name: this.name, kind: this.kind, status: this.status, code: this.code, method: this.method, path: this.path, message: this.message };
    }
}

export const isCupiError = (e: unknown, kind?: CupiErrorKind): e is CupiError =>
    e instanceof CupiError && (kind === undefined || e.kind === kind);

/** Which kind a non-2xx HTTP status is; a POST met by a server error may have been carried out. */
export function kindOfStatus(status: number, method?: string): CupiErrorKind {
    if (status === 404) return "not-found";
    if (status === 401) return "auth";
    if (status === 403) return "forbidden";
    if (NOT_PROCESSED_STATUSES.has(status)) return "throttled";
    if (method === "POST" && TRANSIENT_STATUSES.has(status)) return "ambiguous";
    if (status >= 500) return "server";
    return "validation";
}
