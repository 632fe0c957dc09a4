/**
 * Connection settings, declared once in SETTINGS: their type, environment variable, default,
 * bounds, secrecy and documentation. The readers of `CUC_*`, `cuc:*` and cuc-import's flags (and
 * its usage), the resolved settings (type and value), the check of a resource's `connection`
 * input, the merge used by resources and data sources, which values are secrets (redaction, the
 * native Provider's inputs), the SDK's `ConnectionArgs`, the schema's configuration and the
 * README's configuration table (generated) all come from it. Every problem is reported with the
 * setting's names (`cuc:server` / `CUC_SERVER`) and a fix.
 */
import * as fs from "node:fs";
import { CupiError, registerSecret, TRANSIENT_STATUSES } from "./cupi-error";
import { configKey } from "./package";

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
    retries: {
        type: "number", env: "CUC_RETRIES", default: 5, min: 0, integer: true,
        doc: `Retries of a request after HTTP ${[...TRANSIENT_STATUSES].join("/")}, a timeout, or a connection refused or dropped: each request is sent at most retries + 1 times, ` +
            "and a create that may have been carried out is looked up before it is sent again (exponential back-off with jitter, Retry-After honoured).",
    },
    retryBaseMs: { type: "number", env: "CUC_RETRY_BASE_MS", default: 1000, min: 0, doc: "First back-off delay in ms, doubled each retry." },
    retryMaxMs: { type: "number", env: "CUC_RETRY_MAX_MS", default: 30_000, min: 0, doc: "Longest back-off delay in ms." },
    format: { type: "string", env: "CUC_FORMAT", default: "xml", values: ["xml", "json"], doc: "Wire format: xml or json." },
    sendBasicAlways: { type: "boolean", env: "CUC_SEND_BASIC_ALWAYS", default: true, doc: "Send Basic credentials with every request besides the session cookie, like Cisco's SDK." },
    pageSize: { type: "number", env: "CUC_PAGE_SIZE", default: 500, min: 1, integer: true, doc: "Rows per page when listing." },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;
type TypeOf<T extends Setting["type"]> = T extends "string" ? string : T extends "number" ? number : boolean;
/** A setting's value type: one of its `values`, else its `type`. */
type ValueOf<S extends Setting> = S extends { values: readonly (infer V)[] } ? V : TypeOf<S["type"]>;

/** Settings as given (every one optional): a resource's `connection`, `cuc:*`, `CUC_*`. */
export type ConnectionSettings = { -readonly [K in SettingName]?: ValueOf<(typeof SETTINGS)[K]> };

/** The settings that always have a value once resolved: required, or with a default. */
type Always = { [K in SettingName]: (typeof SETTINGS)[K] extends { default: unknown } | { required: true } ? K : never }[SettingName];

/**
 * Settings after defaults and validation: every setting of the table by name, except the two
 * resolveSettings reads into another form (`server` as `origin`, `caCert` as `ca`).
 */
export type ResolvedSettings = Omit<{ -readonly [K in Always]: ValueOf<(typeof SETTINGS)[K]> } & { -readonly [K in Exclude<SettingName, Always>]?: ValueOf<(typeof SETTINGS)[K]> }, "server" | "caCert"> & {
    /** The server as an origin: `https://host[:port]`. */
    origin: string;
    /** The CA certificate as PEM text (caCert, read if it names a file). */
    ca?: string;
};

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
/** The settings whose values are secrets: never in a message, a plain output or a log. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTING_NAMES.filter((n) => (SETTINGS[n] as Setting).secret);

/** Registers the values of the secret settings for redaction (cupi-error.ts). */
export function registerSecretSettings(settings: ConnectionSettings): void {
    for (const name of SECRET_SETTINGS) if (settings[name] !== undefined) registerSecret(String(settings[name]));
}

const configError = (message: string) => new CupiError({ kind: "config", message });
/** `cuc:timeoutMs (CUC_TIMEOUT_MS)`: both spellings, so the message fits wherever it was set. */
export const settingLabel = (name: SettingName) => `${configKey(name)} (${SETTINGS[name].env})`;

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
export const settingsFromConfig = (get: (key: string) => string | undefined): ConnectionSettings => readAll((n) => get(configKey(n)));

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
        return `${configKey(k)} is not a setting of this provider${close ? ` (did you mean ${configKey(close)}?)` : ""}`;
    });
    return `${named.join("; ")}; the settings are ${SETTING_NAMES.map(configKey).join(", ")}`;
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

/** Why a value is not acceptable for a setting (its type, bounds, values), or undefined. */
function invalid(name: SettingName, v: unknown): string | undefined {
    const s: Setting = SETTINGS[name];
    // A secret's type, never its value (a password written as a number would be printed).
    if (typeof v !== s.type) return `${settingLabel(name)} must be a ${s.type}, got ${s.secret ? `a ${typeof v}` : JSON.stringify(v)}`;
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

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A server value as a message may quote it: whatever stands before its last `@` (after the
 * scheme), the `user:password@` of a URL, as `***@`. A host has no `@`, and the part before one
 * may be a password, whether or not the rest of the value parses.
 */
export function quotableServer(server: string): string {
    const scheme = SCHEME.exec(server)?.[0] ?? "";
    const rest = server.slice(scheme.length);
    const at = rest.lastIndexOf("@");
    return at < 0 ? server : `${scheme}***${rest.slice(at)}`;
}

/** `cuc.example.com`, `cuc:8443`, `https://cuc/vmrest` -> `https://cuc.example.com` etc. */
export function normalizeServer(server: string): string {
    const raw = server.trim();
    const withScheme = SCHEME.test(raw) ? raw : `https://${raw}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        throw configError(`${settingLabel("server")} '${quotableServer(server)}' is not a host name, host:port or URL; e.g. cuc-pub.example.com`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw configError(`${settingLabel("server")} must use https:// (or http:// for a lab), not ${url.protocol}`);
    }
    if (url.username || url.password) {
        throw configError(`${settingLabel("server")} must not contain credentials; set ${configKey("username")} and ${configKey("password")}`);
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
    const given = mergeSettings(settingsFromEnv(env), explicit);
    const missing = SETTING_NAMES.filter((n) => (SETTINGS[n] as Setting).required && !given[n]);
    if (missing.length) {
        throw configError(
            `no Connection server configured: set ${missing.map(settingLabel).join(", ")}; ` +
                `e.g. \`pulumi config set ${configKey("server")} cuc-pub.example.com\` and \`pulumi config set --secret ${configKey("password")} ...\``,
        );
    }
    registerSecretSettings(given);
    const v: Record<string, unknown> = {};
    for (const name of SETTING_NAMES) {
        const s: Setting = SETTINGS[name];
        const value = (given as Record<string, unknown>)[name] ?? s.default;
        const reason = value === undefined ? undefined : invalid(name, value);
        if (reason) throw configError(reason);
        v[name] = value;
    }
    // Every setting as checked above, by its name; the two read into another form under theirs.
    const { server, caCert, ...rest } = v;
    return { ...rest, origin: normalizeServer(String(server)), ca: caCert ? readCa(String(caCert)) : undefined } as ResolvedSettings;
}

/** A setting's command-line flag (cuc-import): `--ca-cert` for caCert, without the dashes. */
export const settingFlag = (name: SettingName): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The settings given as command-line flags, by `settingFlag`: a value after the flag, or for a
 * true/false setting the flag alone (true) or its `no-` form (false).
 */
export function settingsFromFlags(values: Readonly<Record<string, string | boolean | undefined>>): ConnectionSettings {
    return readAll((n) => {
        const flag = settingFlag(n);
        if (values[flag] !== undefined && values[`no-${flag}`] !== undefined) throw configError(`--${flag} and --no-${flag} contradict each other: give one`);
        return values[`no-${flag}`] ? "false" : values[flag] === undefined ? undefined : String(values[flag]);
    });
}
