/**
 * Connection settings: explicit values first, then the `CUC_*` environment variables. Every
 * problem is reported with the setting's names (`cuc:server` / `CUC_SERVER`) and a fix.
 */
import * as fs from "node:fs";
import { CupiError, registerSecret } from "./errors";
import type { Format } from "./codec";

export interface ConnectionSettings {
    /** Host, host:port or URL of the Connection publisher; https unless the URL says http. */
    server?: string;
    username?: string;
    password?: string;
    /** Skip TLS verification (lab use only; a warning is logged once). */
    insecure?: boolean;
    /** CA bundle that signs the server's certificate: PEM text or a path to a PEM file. */
    caCert?: string;
    /** Per-request timeout in ms (default 60 000). */
    timeoutMs?: number;
    /** Timeout of autojoin, which contacts the remote cluster (default 300 000). */
    autojoinTimeoutMs?: number;
    /** Requests in flight per server (default 2; CUC serves 5 at once for every client together). */
    maxConcurrent?: number;
    /** Retries of an idempotent request after 503/429, resets and timeouts (default 5). */
    retries?: number;
    /** First back-off delay in ms, doubled each retry, with jitter (default 1000). */
    retryBaseMs?: number;
    /** Longest back-off delay in ms (default 30 000). */
    retryMaxMs?: number;
    /** Wire format (default xml). */
    format?: Format;
    /** Send Basic credentials with every request besides the session cookie (default true). */
    sendBasicAlways?: boolean;
    /** Rows per page when listing (default 500). */
    pageSize?: number;
}

/** Settings after defaults and validation. */
export interface ResolvedSettings {
    origin: string;
    username: string;
    password: string;
    insecure: boolean;
    ca?: string;
    timeoutMs: number;
    autojoinTimeoutMs: number;
    maxConcurrent: number;
    retries: number;
    retryBaseMs: number;
    retryMaxMs: number;
    format: Format;
    sendBasicAlways: boolean;
    pageSize: number;
}

const configError = (message: string) => new CupiError({ kind: "config", message });

/** Reads `CUC_SERVER`, `CUC_USERNAME`, `CUC_PASSWORD`, `CUC_INSECURE`, `CUC_CA_CERT` and friends. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
    const num = (name: string) => (env[name] !== undefined && env[name] !== "" ? Number(env[name]) : undefined);
    return {
        server: env.CUC_SERVER || undefined,
        username: env.CUC_USERNAME || undefined,
        password: env.CUC_PASSWORD || undefined,
        insecure: env.CUC_INSECURE ? /^(1|true|yes)$/i.test(env.CUC_INSECURE) : undefined,
        caCert: env.CUC_CA_CERT || undefined,
        timeoutMs: num("CUC_TIMEOUT_MS"),
        maxConcurrent: num("CUC_MAX_CONCURRENT"),
        retries: num("CUC_RETRIES"),
    };
}

/** `cuc.example.com`, `cuc:8443`, `https://cuc/vmrest` -> `https://cuc.example.com` etc. */
export function normalizeServer(server: string): string {
    const raw = server.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw configError(`cuc:server (CUC_SERVER) '${server}' is not a host name, host:port or URL; e.g. cuc-pub.example.com`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw configError(`cuc:server (CUC_SERVER) must use https:// (or http:// for a lab), not ${url.protocol}`);
    }
    if (url.username || url.password) {
        throw configError("cuc:server (CUC_SERVER) must not contain credentials; set cuc:username and cuc:password");
    }
    return url.origin;
}

function readCa(caCert: string): string {
    const text = caCert.trim();
    if (text.startsWith("-----BEGIN")) return text;
    try {
        const pem = fs.readFileSync(text, "utf8");
        if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM certificate in it");
        return pem;
    } catch (e) {
        throw configError(`cuc:caCert (CUC_CA_CERT) '${text}' is neither PEM text nor a readable PEM file: ${(e as Error).message}`);
    }
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < min) throw configError(`${name} must be a number >= ${min}, got ${value}`);
    return value;
}

/** Merges explicit settings over the environment and checks them. */
export function resolveSettings(explicit: ConnectionSettings = {}, env: NodeJS.ProcessEnv = process.env): ResolvedSettings {
    const fromEnv = settingsFromEnv(env);
    const pick = <K extends keyof ConnectionSettings>(k: K): ConnectionSettings[K] => (explicit[k] ?? fromEnv[k]) as ConnectionSettings[K];
    const server = pick("server");
    const username = pick("username");
    const password = pick("password");
    const missing = [
        !server && "cuc:server (CUC_SERVER)",
        !username && "cuc:username (CUC_USERNAME)",
        !password && "cuc:password (CUC_PASSWORD)",
    ].filter(Boolean);
    if (missing.length) {
        throw configError(
            `no Connection server configured: set ${missing.join(", ")}; ` +
                "e.g. `pulumi config set cuc:server cuc-pub.example.com` and `pulumi config set --secret cuc:password ...`",
        );
    }
    registerSecret(password);
    const caCert = pick("caCert");
    const format = pick("format") ?? "xml";
    if (format !== "xml" && format !== "json") throw configError(`format must be 'xml' or 'json', got '${format}'`);
    return {
        origin: normalizeServer(server!),
        username: username!,
        password: password!,
        insecure: pick("insecure") ?? false,
        ca: caCert ? readCa(caCert) : undefined,
        timeoutMs: positive("timeoutMs (CUC_TIMEOUT_MS)", pick("timeoutMs"), 60_000),
        autojoinTimeoutMs: positive("autojoinTimeoutMs", pick("autojoinTimeoutMs"), 300_000),
        maxConcurrent: Math.floor(positive("maxConcurrent (CUC_MAX_CONCURRENT)", pick("maxConcurrent"), 2)),
        retries: Math.floor(positive("retries (CUC_RETRIES)", pick("retries"), 5, 0)),
        retryBaseMs: positive("retryBaseMs", pick("retryBaseMs"), 1000, 0),
        retryMaxMs: positive("retryMaxMs", pick("retryMaxMs"), 30_000, 0),
        format,
        sendBasicAlways: pick("sendBasicAlways") ?? true,
        pageSize: Math.floor(positive("pageSize", pick("pageSize"), 500)),
    };
}
