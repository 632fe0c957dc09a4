/**
 * cuc-sim: a local Cisco Unity Connection provisioning API (CUPI, `/vmrest`) over real HTTP(S),
 * with CUC's authentication and session cookies, content negotiation, paging/query/sort, status
 * codes and error bodies (REFERENCE.md §2-§5, §12), plus fault knobs and statistics for tests.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import { CodecError, CONTENT_TYPES, encodeCollection, encodeErrors, encodeObject, formatOf, parseObjectBody, type CupiRecord, type Format } from "../provider/client/codec";
import { SPECS } from "../provider/specs";
import { GUID_RE, type ObjectSpec } from "../provider/specs/types";
import { generateDataset, type Dataset, type Kind } from "./dataset";
import { invalid, notFound, SimError } from "./errors";
import { Store } from "./store";
import { select } from "./table";

export interface Faults {
    /** Added to every /vmrest request, in milliseconds. */
    latencyMs: number;
    /** Random extra latency, 0..jitterMs. */
    jitterMs: number;
    /** Share of requests answered 500, 502, 503 or 504 before they are processed. */
    failRate: number;
    /**
     * The methods failRate applies to, comma-separated (`GET,PUT`); empty: every method. A create
     * whose POST lands while its follow-up requests fail shows how often a client tries them.
     */
    failMethods: string;
    /**
     * Requests served at once, like CUC's throttle (EVERYDAY.md §1.5: 5 for every client together;
     * 0: no limit). Beyond it a request waits in a queue of `queueLimit`; a full queue, or a wait
     * longer than `queueTimeoutMs`, is answered 503. With no queue (0) a request beyond it gets 503 at once.
     */
    maxConcurrent: number;
    /** Requests that wait for a slot beyond maxConcurrent (CUC queues up to 255). */
    queueLimit: number;
    /** How long one may wait before it gets 503 (CUC: when the queue drains slower than about one a second). */
    queueTimeoutMs: number;
    /** Share of requests whose connection is dropped before they are processed. */
    resetRate: number;
    /** Share of writes (POST/PUT/DELETE) that are processed and then have their connection dropped. */
    commitResetRate: number;
    /** Share of requests that never get an answer (the client's timeout must fire). */
    hangRate: number;
}

export interface SimulatorOptions extends Partial<Faults> {
    host?: string;
    /** 0 picks a free port. */
    port?: number;
    /** Plain HTTP instead of HTTPS with a generated self-signed certificate. */
    http?: boolean;
    /**
     * Where to write the certificate (PEM). Default: with `statePath`, the one kept beside the state
     * (`<state>.cert.pem`); else a file in the temp directory, removed by close().
     */
    certPath?: string;
    user?: string;
    password?: string;
    /** Valid credentials without the System Administrator role: they get 403. */
    readOnlyUser?: { user: string; password: string };
    /** Accept a valid JSESSIONID cookie instead of re-validating Basic credentials (default true). */
    acceptSessionCookie?: boolean;
    /** Seconds a session cookie stays valid (default 1800). */
    sessionTtlSeconds?: number;
    /** Initial objects; default: generateDataset(). */
    data?: Dataset;
    /**
     * Persist every change here and reload it at start. An HTTPS simulator keeps its key and
     * certificate beside it (`<state>.key.pem`, `<state>.cert.pem`, the state's name less `.json`),
     * so a restart serves the same certificate: a `cuc:caCert` set to it stays right.
     */
    statePath?: string;
    blockDeleteWithPortGroups?: boolean;
    unjoinPurgeMs?: number;
    /** Realistic users to add to the initial dataset (`--users N`), from voicemailusertemplate. */
    users?: number;
    /** Seed of the fault dice, for repeatable runs. */
    seed?: number;
    /** Version reported by /vmrest/version. */
    version?: string;
}

export interface SimulatorStats {
    requests: number;
    byMethod: Record<string, number>;
    byRoute: Record<string, number>;
    byStatus: Record<string, number>;
    /** Basic credential validations (a login each). */
    logins: number;
    /** Requests authenticated by a session cookie alone. */
    sessionRequests: number;
    authFailures: number;
    /** TCP connections accepted. */
    connections: number;
    inFlight: number;
    peakInFlight: number;
    /** Most requests waiting for a slot at once (maxConcurrent with a queue). */
    peakQueued: number;
    faults: { throttled: number; failed: number; reset: number; commitReset: number; hung: number };
}

export interface Simulator {
    url: string;
    /** Root CA for the simulator's certificate (HTTPS only). */
    ca?: string;
    certPath?: string;
    user: string;
    password: string;
    store: Store;
    faults: Faults;
    stats(): SimulatorStats;
    resetStats(): void;
    close(): Promise<void>;
}

export const DEFAULT_USER = "admin";
export const DEFAULT_PASSWORD = "Cisco-Sim-1!";

function emptyStats(): SimulatorStats {
    return {
        requests: 0, byMethod: {}, byRoute: {}, byStatus: {}, logins: 0, sessionRequests: 0, authFailures: 0,
        connections: 0, inFlight: 0, peakInFlight: 0, peakQueued: 0,
        faults: { throttled: 0, failed: 0, reset: 0, commitReset: 0, hung: 0 },
    };
}

/** mulberry32: small, seedable, good enough for fault dice. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_BODY = 1 << 20;

interface Reply {
    status: number;
    body?: string;
    type?: string;
    headers?: Record<string, string | string[]>;
}

interface Ctx {
    method: string;
    path: string;
    params: string[];
    query: URLSearchParams;
    format: Format;
    body: string;
    contentType?: string;
    origin: string;
}

type Handler = (ctx: Ctx) => Reply;
interface Route {
    pattern: RegExp;
    template: string;
    methods: Record<string, Handler>;
}

async function makeCertificate(host: string): Promise<{ key: string; cert: string }> {
    // Required lazily: only HTTPS runs need it.
    const selfsigned = await import("selfsigned");
    const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
    ];
    if (/^[\d.]+$/.test(host) || host.includes(":")) {
        if (host !== "127.0.0.1" && host !== "::1") altNames.push({ type: 7, ip: host });
    } else if (host !== "localhost") {
        altNames.push({ type: 2, value: host });
    }
    const now = new Date();
    const pems = await selfsigned.generate([{ name: "commonName", value: host }, { name: "organizationName", value: "cuc-sim" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate: new Date(now.getTime() - 60_000),
        notAfterDate: new Date(now.getTime() + 365 * 86_400_000),
        extensions: [
            { name: "basicConstraints", cA: true },
            { name: "keyUsage", digitalSignature: true, keyCertSign: true, keyEncipherment: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames },
        ],
    } as Parameters<typeof selfsigned.generate>[1]);
    return { key: pems.private, cert: pems.cert };
}

/** The files an HTTPS simulator started with a state keeps its identity in, beside the state. */
export function identityFiles(statePath: string): { key: string; cert: string } {
    const base = statePath.replace(/\.json$/i, "");
    return { key: `${base}.key.pem`, cert: `${base}.cert.pem` };
}

/** Whether a kept key and certificate still serve `host`: the pair matches, names it, and is valid for another day. */
function fits(pems: { key: string; cert: string }, host: string): boolean {
    try {
        const x509 = new X509Certificate(pems.cert);
        const named = /^[\d.]+$/.test(host) || host.includes(":") ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined;
        return named && x509.checkPrivateKey(createPrivateKey(pems.key)) && Date.parse(x509.validTo) > Date.now() + 86_400_000;
    } catch {
        return false;
    }
}

/** The key and certificate kept beside a state, or new ones (then kept there). */
async function keptCertificate(host: string, statePath: string): Promise<{ key: string; cert: string }> {
    const files = identityFiles(statePath);
    if (fs.existsSync(files.key) && fs.existsSync(files.cert)) {
        const kept = { key: fs.readFileSync(files.key, "utf8"), cert: fs.readFileSync(files.cert, "utf8") };
        if (fits(kept, host)) return kept;
    }
    const pems = await makeCertificate(host);
    fs.writeFileSync(files.key, pems.key, { mode: 0o600 });
    fs.writeFileSync(files.cert, pems.cert);
    return pems;
}

/** The temporary certificate files of this simulator: `cuc-sim-<pid>-<random>.pem`. */
const TEMP_CERT = /^cuc-sim-(\d+)-[0-9a-f]{8}\.pem$/;

/** Removes the temporary certificates that simulators no longer running left (killed before close()). */
function sweepTempCertificates(): void {
    for (const name of fs.readdirSync(os.tmpdir())) {
        const pid = Number(TEMP_CERT.exec(name)?.[1]);
        if (!pid || pid === process.pid) continue;
        try {
            process.kill(pid, 0);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ESRCH") fs.rmSync(path.join(os.tmpdir(), name), { force: true });
        }
    }
}

/** The answers of --fail-rate, chosen evenly. */
const FAIL_ANSWERS: readonly [number, string][] = [[500, "Internal Server Error"], [502, "Bad Gateway"], [503, "Server Busy"], [504, "Gateway Timeout"]];

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
    const host = options.host ?? "127.0.0.1";
    const user = options.user ?? DEFAULT_USER;
    const password = options.password ?? DEFAULT_PASSWORD;
    const acceptCookie = options.acceptSessionCookie ?? true;
    const ttlMs = (options.sessionTtlSeconds ?? 1800) * 1000;
    const faults: Faults = {
        latencyMs: options.latencyMs ?? 0,
        jitterMs: options.jitterMs ?? 0,
        failRate: options.failRate ?? 0,
        failMethods: options.failMethods ?? "",
        maxConcurrent: options.maxConcurrent ?? 0,
        queueLimit: options.queueLimit ?? 0,
        queueTimeoutMs: options.queueTimeoutMs ?? 30_000,
        resetRate: options.resetRate ?? 0,
        commitResetRate: options.commitResetRate ?? 0,
        hangRate: options.hangRate ?? 0,
    };
    const dice = prng(options.seed ?? Date.now());
    const store = new Store(options.data ?? generateDataset(), {
        statePath: options.statePath,
        blockDeleteWithPortGroups: options.blockDeleteWithPortGroups,
        unjoinPurgeMs: options.unjoinPurgeMs,
        users: options.users,
    });
    let stats = emptyStats();
    const sessions = new Map<string, { user: string; expires: number }>();
    const sockets = new Set<Socket>();

    // ------------------------------------------------------------------ handlers
    const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value, null, 2), type: "application/json" });
    const objectReply = (spec: ObjectSpec, r: CupiRecord | undefined, id: string, ctx: Ctx): Reply => {
        if (!r) throw notFound(spec, id);
        return { status: 200, body: encodeObject(spec, r, ctx.format), type: CONTENT_TYPES[ctx.format] };
    };
    const created = (uri: string, ctx: Ctx): Reply => ({
        status: 201, body: uri, type: "text/plain", headers: { Location: `${ctx.origin}${uri}` },
    });
    const noContent: Reply = { status: 204 };
    const requestBody = (ctx: Ctx, spec: ObjectSpec): Record<string, unknown> => {
        const format = formatOf(ctx.contentType);
        if (!format) throw new SimError(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/xml or application/json");
        try {
            return parseObjectBody(ctx.body, format, spec.element);
        } catch (e) {
            if (e instanceof CodecError) throw invalid(`Malformed request body: ${e.message}`);
            throw e;
        }
    };
    const id = (ctx: Ctx, i = 0): string => ctx.params[i];
    const known = (kind: Kind, objectId: string) => GUID_RE.test(objectId) && store.has(kind, objectId);

    /**
     * The routes of a kind, from its spec: the operations CUPI serves at its collection and items
     * (by ObjectId; by key for a fixed set, URL-decoded: `Off%20Hours`), or for a singleton at the
     * path itself; for a sub-collection the parent's ObjectId is the first path parameter. A
     * POST's query string carries the create parameters (`?templateAlias=`).
     */
    const handlers = (spec: ObjectSpec) => {
        const kind = spec.kind as Kind;
        const ops = new Set(spec.operations);
        const parentOf = (ctx: Ctx) => (spec.parent ? id(ctx) : undefined);
        const key = (ctx: Ctx) => (spec.singleton ? undefined : id(ctx, spec.parent ? 1 : 0));
        const collection: Record<string, Handler> = {};
        const item: Record<string, Handler> = {};
        if (ops.has("list")) {
            collection.GET = (ctx) => {
                const { items, total } = store.listing(kind, parentOf(ctx), ctx.query);
                // A kind whose list is a short form (users) lists those fields only; a GET of one has them all.
                const rows = spec.shortList ? items.map((r) => Object.fromEntries(spec.shortList!.filter((c) => r[c] !== undefined).map((c) => [c, r[c]]))) : items;
                return { status: 200, body: encodeCollection(spec, rows, total, ctx.format), type: CONTENT_TYPES[ctx.format] };
            };
        }
        if (ops.has("create")) collection.POST = (ctx) => created(store.create(kind, requestBody(ctx, spec), parentOf(ctx), ctx.query), ctx);
        if (ops.has("get")) item.GET = (ctx) => objectReply(spec, store.render(kind, key(ctx), parentOf(ctx)), key(ctx) ?? parentOf(ctx) ?? "", ctx);
        if (ops.has("update")) {
            item.PUT = (ctx) => {
                store.update(kind, key(ctx), requestBody(ctx, spec), parentOf(ctx));
                return noContent;
            };
        }
        if (ops.has("delete")) {
            item.DELETE = (ctx) => {
                store.delete(kind, key(ctx)!, parentOf(ctx));
                return noContent;
            };
        }
        return spec.singleton ? { collection: item, item: {} } : { collection, item };
    };

    const routes: Route[] = [];
    const route = (template: string, methods: Record<string, Handler>) => {
        const pattern = new RegExp(`^${template.replace(/\{id\}/g, "([^/]+)")}/?$`);
        routes.push({ pattern, template, methods });
    };

    route("/vmrest/version", {
        GET: (ctx) => ctx.format === "json"
            ? json(200, { name: "vmrest", version: options.version ?? "14.0.1.10000-12" })
            : { status: 200, type: "application/xml", body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><VersionInformation><name>vmrest</name><version>${options.version ?? "14.0.1.10000-12"}</version></VersionInformation>` },
    });
    // Every kind's collection and items, derived from its spec (a sub-collection with an unknown
    // parent lists empty with 200, as the SDK's integration tests expect).
    for (const spec of Object.values(SPECS)) {
        const { collection, item } = handlers(spec);
        const base = `/vmrest/${spec.path.replace("{parent}", "{id}")}`;
        if (Object.keys(collection).length) route(base, collection);
        if (Object.keys(item).length) route(`${base}/{id}`, item);
    }
    // What is truly special: the seed's documented delete path for external services (REFERENCE.md
    // §11 item 2; the canonical path above is served too), and HTTPS links, which are created by
    // autojoin and removed by unjoin operations rather than POST and DELETE.
    route("/vmrest/usertemplates/externalservices/{id}", { DELETE: handlers(SPECS.ExternalService).item.DELETE });
    // The guide's call handler paths without `handlers/` (EVERYDAY.md §13 item 4: `/vmrest/callhandlers/{id}`,
    // `/vmrest/callhandler/{id}/greetings`), served beside the SDK's; the client sends the SDK's.
    for (const spec of Object.values(SPECS).filter((x) => x.path.startsWith("handlers/callhandlers"))) {
        const { collection, item } = handlers(spec);
        for (const variant of ["callhandlers", "callhandler"]) {
            const base = `/vmrest/${spec.path.replace("handlers/callhandlers", variant).replace("{parent}", "{id}")}`;
            if (Object.keys(collection).length) route(base, collection);
            if (Object.keys(item).length) route(`${base}/{id}`, item);
        }
    }
    route("/vmrest/httpslinks/operation/autojoin", {
        POST: (ctx) => created(store.autojoin(requestBody(ctx, SPECS.HttpsLink)), ctx),
    });
    route("/vmrest/httpslinks/operation/unjoinself", {
        DELETE: () => ({ status: 200, type: "text/plain", body: `Unjoined this location from ${store.unjoinSelf()} link(s) successfully` }),
    });
    route("/vmrest/httpslinks/operation/unjoin/{id}", {
        DELETE: (ctx) => {
            if (!known("HttpsLink", id(ctx))) throw notFound(SPECS.HttpsLink, id(ctx));
            store.unjoin(id(ctx));
            return { status: 200, type: "text/plain", body: "Unjoin operation completed successfully" };
        },
    });

    // ------------------------------------------------------------------ auth
    type AuthResult = { ok: true; setCookies?: string[] } | { ok: false; reply: Reply };
    const authenticate = (req: http.IncomingMessage): AuthResult => {
        const cookies = parseCookies(req.headers.cookie);
        const sid = cookies.JSESSIONID;
        const session = sid ? sessions.get(sid) : undefined;
        if (acceptCookie && session && session.expires > Date.now()) {
            stats.sessionRequests++;
            return { ok: true };
        }
        const basic = parseBasic(req.headers.authorization);
        if (!basic) {
            stats.authFailures++;
            return { ok: false, reply: unauthorized() };
        }
        stats.logins++;
        const admin = basic.user === user && basic.password === password;
        const readOnly = options.readOnlyUser && basic.user === options.readOnlyUser.user && basic.password === options.readOnlyUser.password;
        if (!admin && !readOnly) {
            stats.authFailures++;
            return { ok: false, reply: unauthorized() };
        }
        if (readOnly) {
            return { ok: false, reply: { status: 403, type: "text/plain", body: "Forbidden: the account lacks the System Administrator role" } };
        }
        const token = () => randomBytes(16).toString("hex").toUpperCase();
        const newSid = token();
        sessions.set(newSid, { user: basic.user, expires: Date.now() + ttlMs });
        const secure = options.http ? "" : "; Secure";
        return {
            ok: true,
            setCookies: [
                `JSESSIONIDSSO=${token()}; Path=/${secure}; HttpOnly`,
                `JSESSIONID=${newSid}; Path=/vmrest/${secure}; HttpOnly`,
                `REQUEST_TOKEN_KEY=${randomBytes(8).readBigUInt64BE()}; Path=/${secure}; HttpOnly`,
            ],
        };
    };

    // ------------------------------------------------------------------ request handling
    const send = (res: http.ServerResponse, reply: Reply, extra: Record<string, string | string[]> = {}) => {
        stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1;
        const headers: Record<string, string | string[]> = { ...extra, ...reply.headers };
        if (reply.body !== undefined) headers["Content-Type"] = `${reply.type ?? "text/plain"}; charset=UTF-8`;
        res.writeHead(reply.status, headers);
        res.end(reply.body);
    };

    const simRoutes = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string) => {
        const p = url.pathname.replace(/\/$/, "");
        try {
            if (p === "/__sim/stats" && req.method === "GET") return send(res, json(200, stats));
            if (p === "/__sim/stats" && req.method === "DELETE") return (resetStats(), send(res, { status: 204 }));
            if (p === "/__sim/reset" && req.method === "POST") {
                store.reset(body.trim() ? (JSON.parse(body) as Dataset) : undefined);
                return send(res, { status: 204 });
            }
            if (p === "/__sim/purge" && req.method === "POST") return send(res, json(200, { purged: store.purgeUnjoined() }));
            if (p === "/__sim/faults" && req.method === "GET") return send(res, json(200, faults));
            if (p === "/__sim/faults" && req.method === "POST") {
                const update = JSON.parse(body || "{}") as Partial<Faults>;
                for (const [k, v] of Object.entries(update)) {
                    const known = faults[k as keyof Faults];
                    if (known === undefined || typeof v !== typeof known || (typeof v === "number" && v < 0)) return send(res, json(400, { error: `bad fault knob ${k}` }));
                    (faults as unknown as Record<string, unknown>)[k] = v;
                }
                return send(res, json(200, faults));
            }
            if (p === "/__sim/data" && req.method === "GET") return send(res, json(200, store.snapshot()));
        } catch (e) {
            return send(res, json(400, { error: (e as Error).message }));
        }
        send(res, { status: 404, body: "Not Found" });
    };

    // CUC's throttle: `serving` requests hold a slot; the rest wait in order, bounded in number and time.
    let serving = 0;
    const waiting: (() => void)[] = [];
    const slot = (): Promise<boolean> => {
        if (serving < faults.maxConcurrent) {
            serving++;
            return Promise.resolve(true);
        }
        if (waiting.length >= faults.queueLimit) return Promise.resolve(false);
        return new Promise((resolve) => {
            const take = () => {
                clearTimeout(timer);
                serving++;
                resolve(true);
            };
            const timer = setTimeout(() => {
                waiting.splice(waiting.indexOf(take), 1);
                resolve(false);
            }, faults.queueTimeoutMs);
            waiting.push(take);
            stats.peakQueued = Math.max(stats.peakQueued, waiting.length);
        });
    };
    const release = () => {
        serving--;
        waiting.shift()?.();
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
        const url = new URL(req.url ?? "/", "http://sim");
        const method = req.method ?? "GET";
        const body = await readBody(req);
        if (body === undefined) return send(res, { status: 413, body: "Request body too large" });
        if (url.pathname.startsWith("/__sim/")) return simRoutes(req, res, url, body);

        stats.requests++;
        bump(stats.byMethod, method);
        const matched = routes.find((r) => r.pattern.test(url.pathname));
        bump(stats.byRoute, `${method} ${matched?.template ?? url.pathname}`);
        stats.inFlight++;
        stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
        let hung = false;
        let holding = false;
        try {
            if (faults.maxConcurrent > 0 && !(await slot())) {
                stats.faults.throttled++;
                return send(res, { status: 503, body: "Server Busy" });
            }
            holding = faults.maxConcurrent > 0;
            if (faults.latencyMs || faults.jitterMs) await sleep(faults.latencyMs + dice() * faults.jitterMs);
            if (faults.resetRate && dice() < faults.resetRate) {
                stats.faults.reset++;
                return void req.socket.destroy();
            }
            if (faults.hangRate && dice() < faults.hangRate) {
                stats.faults.hung++;
                hung = true;
                stats.inFlight--;
                return; // never answered; the socket is destroyed when the client gives up or at close()
            }
            if (faults.failRate && (!faults.failMethods || faults.failMethods.toUpperCase().split(",").includes(method)) && dice() < faults.failRate) {
                stats.faults.failed++;
                // What a busy CUC (503), its Tomcat (500) and a proxy in front of it (502, 504) answer.
                const [status, body] = FAIL_ANSWERS[Math.floor(dice() * FAIL_ANSWERS.length)];
                return send(res, { status, body });
            }
            const auth = authenticate(req);
            if (!auth.ok) return send(res, auth.reply);
            const extra: Record<string, string | string[]> = auth.setCookies ? { "Set-Cookie": auth.setCookies } : {};
            const format: Format = /application\/json/i.test(req.headers.accept ?? "") ? "json" : "xml";
            if (/^\/vmrest\/phonesystem\//.test(url.pathname)) {
                // The seed's singular path is a doc typo (REFERENCE.md §11 item 1): it does not exist.
                return send(res, errorReply(new SimError(404, "NOT_FOUND", `No resource at ${url.pathname}`), format), extra);
            }
            if (!matched) return send(res, { status: 404, body: "Not Found" }, extra);
            const handler = matched.methods[method];
            if (!handler) {
                return send(res, { status: 405, body: "Method Not Allowed", headers: { Allow: Object.keys(matched.methods).join(", ") } }, extra);
            }
            const ctx: Ctx = {
                method, path: url.pathname, params: matched.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent),
                query: url.searchParams, format, body, contentType: req.headers["content-type"],
                origin: `${options.http ? "http" : "https"}://${req.headers.host ?? host}`,
            };
            let reply: Reply;
            try {
                reply = handler(ctx);
            } catch (e) {
                if (!(e instanceof SimError)) throw e;
                reply = errorReply(e, format);
            }
            if (method !== "GET" && reply.status < 300 && faults.commitResetRate && dice() < faults.commitResetRate) {
                stats.faults.commitReset++;
                return void req.socket.destroy();
            }
            send(res, reply, extra);
        } catch (e) {
            send(res, { status: 500, body: `Internal Server Error: ${(e as Error).message}` });
        } finally {
            if (!hung) stats.inFlight--;
            if (holding) release();
        }
    };

    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        handle(req, res).catch(() => req.socket.destroy());
    };

    let ca: string | undefined;
    let certPath: string | undefined;
    /** A certificate file nobody asked for, removed on close. */
    let tempCert: string | undefined;
    let server: http.Server | https.Server;
    if (options.http) {
        server = http.createServer({ keepAliveTimeout: 30_000 }, listener);
    } else {
        const pems = options.statePath ? await keptCertificate(host, options.statePath) : await makeCertificate(host);
        ca = pems.cert;
        if (options.certPath) certPath = options.certPath;
        else if (options.statePath) certPath = identityFiles(options.statePath).cert;
        else {
            sweepTempCertificates();
            certPath = tempCert = path.join(os.tmpdir(), `cuc-sim-${process.pid}-${randomBytes(4).toString("hex")}.pem`);
        }
        if (!options.statePath || certPath !== identityFiles(options.statePath).cert) fs.writeFileSync(certPath, pems.cert);
        server = https.createServer({ key: pems.key, cert: pems.cert, keepAliveTimeout: 30_000 }, listener);
    }
    server.on(options.http ? "connection" : "secureConnection", (socket: Socket) => {
        stats.connections++;
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    if (!options.http) {
        // Count failed handshakes' sockets too, so close() can end them.
        server.on("connection", (socket: Socket) => {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
        });
    }
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const resetStats = () => {
        const inFlight = stats.inFlight;
        stats = emptyStats();
        stats.inFlight = inFlight;
    };

    return {
        url: `${options.http ? "http" : "https"}://${hostPart}:${address.port}`,
        ca,
        certPath,
        user,
        password,
        store,
        faults,
        stats: () => JSON.parse(JSON.stringify(stats)) as SimulatorStats,
        resetStats,
        close: () =>
            new Promise<void>((resolve) => {
                store.close();
                if (tempCert) fs.rmSync(tempCert, { force: true });
                server.close(() => resolve());
                for (const s of sockets) s.destroy();
            }),
    };
}

function errorReply(e: SimError, format: Format): Reply {
    return { status: e.status, body: encodeErrors([{ code: e.code, message: e.message }], format), type: CONTENT_TYPES[format] };
}

function unauthorized(): Reply {
    return {
        status: 401,
        type: "text/plain",
        body: "Not Authorized",
        headers: { "WWW-Authenticate": 'Basic realm="Cisco Unity Connection"' },
    };
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size <= MAX_BODY) chunks.push(c);
        });
        req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

function parseCookies(header: string | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const part of (header ?? "").split(";")) {
        const i = part.indexOf("=");
        if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    return out;
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? "");
    if (!m) return undefined;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/**
 * Paging (1-based `pageNumber`, `rowsPerPage`, 0 for count only), `query=(col is|startswith v)`
 * and `sort=(col asc|desc)` on the field table's queryable / sortable columns (case-insensitive),
 * over records as given (the simulator's own collections go through Store.listing and its indexes).
 */
export function page(spec: ObjectSpec, records: CupiRecord[], q: URLSearchParams): { items: CupiRecord[]; total: number } {
    return select(spec, records, q, (r, f) => r[f.cupi]);
}
