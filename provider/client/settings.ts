/**
 * Connection settings, declared once in SETTINGS: their type, environment variable, default,
 * bounds and documentation. The readers of `CUC_*` and `cuc:*`, the check of a resource's
 * `connection` input, the merge used by resources and data sources, the SDK's `ConnectionArgs`
 * (generated) and the README's configuration table (generated) all come from it. Every problem
 * is reported with the setting's names (`cuc:server` / `CUC_SERVER`) and a fix.
 */
import * as fs from "node:fs";
import { CupiError, registerSecret } from "./cupi-error";
import type { Format } from "./codec";

interface Setting {
    readonly type: "string" | "number" | "boolean";
    readonly env: string;
    readonly doc: string;
    /** Shown in docs; applied by resolveSettings. */
    readonly default?: string | number | boolean;
    readonly min?: number;
    readonly integer?: boolean;
    readonly values?: readonly string[];
    readonly secret?: boolean;
    /** Needed to talk to a server at all. */
    readonly required?: boolean;
}

export const SETTINGS = {
    server: { type: "string", env: "CUC_SERVER", required: true, doc: "Host, host:port or URL of the Connection publisher; https unless the URL says http." },
    username: { type: "string", env: "CUC_USERNAME", required: true, doc: "An account with the System Administrator role." },
    password: { type: "string", env: "CUC_PASSWORD", required: true, secret: true, doc: "Its password (set it with `pulumi config set --secret`)." },
    caCert: { type: "string", env: "CUC_CA_CERT", doc: "CA certificate of the server: PEM text or a file path. TLS verification is on by default." },
    insecure: { type: "boolean", env: "CUC_INSECURE", default: false, doc: "Skip TLS verification (lab use only; warns once)." },
    timeoutMs: { type: "number", env: "CUC_TIMEOUT_MS", default: 60_000, min: 1, doc: "Timeout of one request, in ms." },
    autojoinTimeoutMs: { type: "number", env: "CUC_AUTOJOIN_TIMEOUT_MS", default: 300_000, min: 1, doc: "Timeout of joining and unjoining HTTPS links, which contact the remote site, in ms." },
    maxConcurrent: { type: "number", env: "CUC_MAX_CONCURRENT", default: 2, min: 1, integer: true, doc: "Requests in flight per server: CUC serves 5 at once for every client together, the admin web pages included." },
    retries: { type: "number", env: "CUC_RETRIES", default: 5, min: 0, integer: true, doc: "Retries of GET/PUT/DELETE after 429/500/502/503/504, resets and timeouts (exponential back-off with jitter, Retry-After honoured)." },
    retryBaseMs: { type: "number", env: "CUC_RETRY_BASE_MS", default: 1000, min: 0, doc: "First back-off delay in ms, doubled each retry." },
    retryMaxMs: { type: "number", env: "CUC_RETRY_MAX_MS", default: 30_000, min: 0, doc: "Longest back-off delay in ms." },
    format: { type: "string", env: "CUC_FORMAT", default: "xml", values: ["xml", "json"], doc: "Wire format: xml or json." },
    sendBasicAlways: { type: "boolean", env: "CUC_SEND_BASIC_ALWAYS", default: true, doc: "Send Basic credentials with every request besides the session cookie, like Cisco's SDK." },
    pageSize: { type: "number", env: "CUC_PAGE_SIZE", default: 500, min: 1, integer: true, doc: "Rows per page when listing." },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
type TypeOf<T extends Setting["type"]> = T extends "string" ? string : T extends "number" ? number : boolean;

/** Settings as given (every one optional): a resource's `connection`, `cuc:*`, `CUC_*`. */
export type ConnectionSettings = { -readonly [K in SettingName]?: TypeOf<(typeof SETTINGS)[K]["type"]> } & { format?: Format };

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

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

const configError = (message: string) => new CupiError({ kind: "config", message });
/** `cuc:timeoutMs (CUC_TIMEOUT_MS)`: both spellings, so the message fits wherever it was set. */
export const settingLabel = (name: SettingName) => `cuc:${name} (${SETTINGS[name].env})`;

/** A raw string (config or environment) as the setting's type; undefined when empty. */
function parse(name: SettingName, raw: string | undefined): unknown {
    if (raw === undefined || raw === "") return undefined;
    const type = SETTINGS[name].type;
    if (type === "boolean") {
        // A word that is neither stays a word: the check names it instead of reading it as false.
        if (/^(1|true|yes)$/i.test(raw.trim())) return true;
        if (/^(0|false|no)$/i.test(raw.trim())) return false;
        return raw;
    }
    if (type === "number") return Number.isNaN(Number(raw)) ? raw : Number(raw); // a word stays a word: the check names it
    return raw;
}

/** Reads every setting from a source of raw strings by key (e.g. `cuc:server` or `CUC_SERVER`). */
function readAll(get: (name: SettingName) => string | undefined): ConnectionSettings {
    const out: Record<string, unknown> = {};
    for (const name of SETTING_NAMES) {
        const v = parse(name, get(name));
        if (v !== undefined) out[name] = v;
    }
    return out as ConnectionSettings;
}

/** Reads `CUC_SERVER`, `CUC_USERNAME`, `CUC_PASSWORD` and every other `CUC_*` setting. */
export const settingsFromEnv = (env: NodeJS.ProcessEnv = process.env): ConnectionSettings => readAll((n) => env[SETTINGS[n].env]);

/** Reads the `cuc:*` keys of a stack's configuration. */
export const settingsFromConfig = (get: (key: string) => string | undefined): ConnectionSettings => readAll((n) => get(`cuc:${n}`));

/** Later layers win, key by key; undefined and null never override. */
export function mergeSettings(...layers: (ConnectionSettings | undefined)[]): ConnectionSettings {
    const out: Record<string, unknown> = {};
    for (const layer of layers) for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined && v !== null) out[k] = v;
    return out as ConnectionSettings;
}

/**
 * Problems with given settings (a `connection` input, or the stack's `cuc:*` keys): unknown
 * keys, wrong types and values out of bounds, by key, each named as `label` says. `skip` says
 * which values are not known yet (preview).
 */
export function checkSettings(
    value: Record<string, unknown>,
    skip: (v: unknown) => boolean = () => false,
    label: (key: string) => string = (k) => `connection.${k}`,
): { key: string; reason: string }[] {
    const problems: { key: string; reason: string }[] = [];
    for (const [k, v] of Object.entries(value)) {
        const s = (SETTINGS as Record<string, Setting>)[k];
        if (!s) problems.push({ key: k, reason: `connection has no setting '${k}'; it takes ${SETTING_NAMES.join(", ")}` });
        else if (v === undefined || v === null || skip(v)) continue;
        else if (typeof v !== s.type) problems.push({ key: k, reason: `${label(k)} must be a ${s.type}, got ${JSON.stringify(v)}` });
        else {
            const reason = invalid(k as SettingName, v);
            if (reason) problems.push({ key: k, reason: reason.replace(settingLabel(k as SettingName), label(k)) });
        }
    }
    return problems;
}

/**
 * The keys of a `cuc:*` configuration (bare names: `serverr` for `cuc:serverr`) that are not
 * settings, as one message naming each with the closest setting: a misspelt key would otherwise
 * be ignored and surface later as a missing server or a default. Both hosts report it this way.
 */
export function unknownSettings(keys: Iterable<string>): string | undefined {
    const unknown = [...keys].filter((k) => !Object.hasOwn(SETTINGS, k));
    if (!unknown.length) return undefined;
    const named = unknown.map((k) => {
        const close = closestSetting(k);
        return `cuc:${k} is not a setting of this provider${close ? ` (did you mean cuc:${close}?)` : ""}`;
    });
    return `${named.join("; ")}; the settings are ${SETTING_NAMES.map((n) => `cuc:${n}`).join(", ")}`;
}

/** The setting a mistyped key most likely meant: a small edit away, or one name starting with the other. */
function closestSetting(key: string): SettingName | undefined {
    const k = key.toLowerCase();
    let best: { name: SettingName; d: number } | undefined;
    for (const name of SETTING_NAMES) {
        const n = name.toLowerCase();
        const d = k.length >= 3 && (n.startsWith(k) || k.startsWith(n)) ? 0 : editDistance(k, n);
        if (d <= Math.max(2, Math.floor(n.length / 3)) && (!best || d < best.d)) best = { name, d };
    }
    return best?.name;
}

function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row;
    }
    return prev[b.length];
}

/** Why a typed value is not acceptable for a setting, or undefined. */
function invalid(name: SettingName, v: unknown): string | undefined {
    const s: Setting = SETTINGS[name];
    if (s.type === "number") {
        const n = v as number;
        if (!Number.isFinite(n) || (s.min !== undefined && n < s.min) || (s.integer && !Number.isInteger(n))) {
            return `${settingLabel(name)} must be a ${s.integer ? "whole " : ""}number >= ${s.min ?? 0}, got ${n}`;
        }
    }
    if (s.values && !s.values.includes(String(v))) return `${settingLabel(name)} must be ${s.values.map((x) => `'${x}'`).join(" or ")}, got '${String(v)}'`;
    if (name === "server") {
        try {
            normalizeServer(String(v));
        } catch (e) {
            return (e as Error).message;
        }
    }
    return undefined;
}

/** `cuc.example.com`, `cuc:8443`, `https://cuc/vmrest` -> `https://cuc.example.com` etc. */
export function normalizeServer(server: string): string {
    const raw = server.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw configError(`${settingLabel("server")} '${server}' is not a host name, host:port or URL; e.g. cuc-pub.example.com`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw configError(`${settingLabel("server")} must use https:// (or http:// for a lab), not ${url.protocol}`);
    }
    if (url.username || url.password) {
        throw configError(`${settingLabel("server")} must not contain credentials; set cuc:username and cuc:password`);
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
        throw configError(`${settingLabel("caCert")} '${text}' is neither PEM text nor a readable PEM file: ${(e as Error).message}`);
    }
}

/** Merges explicit settings over the environment, applies the defaults and checks them. */
export function resolveSettings(explicit: ConnectionSettings = {}, env: NodeJS.ProcessEnv = process.env): ResolvedSettings {
    const given = mergeSettings(settingsFromEnv(env), explicit) as Record<SettingName, unknown>;
    const missing = SETTING_NAMES.filter((n) => (SETTINGS[n] as Setting).required && !given[n]);
    if (missing.length) {
        throw configError(
            `no Connection server configured: set ${missing.map(settingLabel).join(", ")}; ` +
                "e.g. `pulumi config set cuc:server cuc-pub.example.com` and `pulumi config set --secret cuc:password ...`",
        );
    }
    registerSecret(String(given.password));
    const v: Record<string, unknown> = {};
    for (const name of SETTING_NAMES) {
        const s: Setting = SETTINGS[name];
        const value = given[name] ?? s.default;
        const reason = value === undefined ? undefined : invalid(name, value);
        if (reason) throw configError(reason);
        v[name] = value;
    }
    return {
        origin: normalizeServer(String(v.server)),
        username: String(v.username),
        password: String(v.password),
        insecure: Boolean(v.insecure),
        ca: v.caCert ? readCa(String(v.caCert)) : undefined,
        timeoutMs: v.timeoutMs as number,
        autojoinTimeoutMs: v.autojoinTimeoutMs as number,
        maxConcurrent: v.maxConcurrent as number,
        retries: v.retries as number,
        retryBaseMs: v.retryBaseMs as number,
        retryMaxMs: v.retryMaxMs as number,
        format: v.format as Format,
        sendBasicAlways: Boolean(v.sendBasicAlways),
        pageSize: v.pageSize as number,
    };
}
