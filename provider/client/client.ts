/**
 * CupiClient: CUPI's operations over the layered transport
 * `retry(limit(errors(session(circuit(transport)))))`. One client (one pool, one session, one limiter)
 * per server and account, shared by every resource and data source in the process.
 */
import { CONTENT_TYPES, CodecError, decodeCollection, decodeObject, encodeObject, formatOf, type CupiRecord } from "./codec";
import { CupiError, isCupiError, registerSecret } from "./cupi-error";
import { createLimiter, withLimit, type Limiter } from "./limit";
import { buildQuery, buildSort, queryString, type QueryFilter, type SortOrder } from "./query";
import { withRetries, withRetry, type RetryOptions } from "./retry";
import { withCircuit } from "./circuit";
import { withSession } from "./session";
import type { ResolvedSettings } from "./settings";
import { withErrors } from "./errors";
import { configKey } from "./package";
import { createTransport, type Method, type Send } from "./transport";
import { GUID_RE, type ObjectSpec } from "../specs/types";

export interface ListOptions {
    /** ObjectId of the parent object for sub-collections (`{parent}` in the spec's path). */
    parentId?: string;
    query?: QueryFilter;
    sort?: SortOrder;
    /** Rows per page (default: the connection's pageSize). */
    pageSize?: number;
}

export interface ClientEvents {
    /** A request is retried (status or network failure). */
    onRetry?: RetryOptions["onRetry"];
    /** A warning for the user (e.g. TLS verification is off). */
    onWarning?: (message: string) => void;
}

export class CupiClient {
    readonly settings: ResolvedSettings;
    private readonly send: Send;
    private readonly closeTransport: () => void;
    readonly limiter: Limiter;
    /** Retries made so far, by cause. */
    readonly retryCounts: Record<string, number> = {};

    constructor(settings: ResolvedSettings, events: ClientEvents = {}) {
        this.settings = settings;
        const transport = createTransport(settings);
        this.closeTransport = transport.close;
        this.limiter = createLimiter(settings.maxConcurrent);
        const retry: RetryOptions = {
            retries: settings.retries,
            baseMs: settings.retryBaseMs,
            maxMs: settings.retryMaxMs,
            onRetry: (info) => {
                const key = info.error.status ? String(info.error.status) : info.error.kind;
                this.retryCounts[key] = (this.retryCounts[key] ?? 0) + 1;
                events.onRetry?.(info);
            },
        };
        this.retryOptions = retry;
        const session = withSession(withCircuit(transport.send, settings.origin), settings);
        this.send = withRetry(withLimit(withErrors(session), this.limiter), retry);
        if (settings.insecure) {
            (events.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`)))(
                `TLS verification is off for ${settings.origin} (insecure=true): use ${configKey("caCert")} outside a lab`,
            );
        }
    }

    /** The one retry budget (cuc:retries): the retry layer's for each request, and createVerified's for a create's POSTs. */
    private readonly retryOptions: RetryOptions;

    close(): void {
        this.closeTransport();
    }

    private request(method: Method, path: string, body?: string, timeoutMs?: number) {
        const headers: Record<string, string> = { Accept: CONTENT_TYPES[this.settings.format] };
        if (body !== undefined) headers["Content-Type"] = CONTENT_TYPES[this.settings.format];
        return this.send({ method, path: `/vmrest${path}`, headers, body, timeoutMs });
    }

    /** Decodes a 2xx body, refusing what is not a CUPI answer of the expected shape. */
    private decode<T>(method: string, path: string, res: { body: string; headers: Record<string, unknown> }, fn: (format: "xml" | "json") => T): T {
        const ct = res.headers["content-type"];
        const format = formatOf(Array.isArray(ct) ? String(ct[0]) : (ct as string | undefined)) ?? (res.body.trim().startsWith("<") ? "xml" : res.body.trim().startsWith("{") ? "json" : undefined);
        const fail = (why: string) =>
            new CupiError({ kind: "protocol", method, path: `/vmrest${path.split("?")[0]}`, message: `unexpected answer from ${this.settings.origin}: ${why}` });
        if (!res.body.trim()) throw fail(`empty body (content type ${String(ct ?? "none")})`);
        if (!format || /html/i.test(String(ct ?? ""))) throw fail(`content type ${String(ct ?? "none")} is not XML or JSON (a proxy or login page may have answered)`);
        try {
            return fn(format);
        } catch (e) {
            if (e instanceof CodecError) throw fail(e.message);
            throw e;
        }
    }

    /**
     * The path of a collection, or of one object in it: by ObjectId, by the value of the field a
     * fixed set is addressed by (`transferoptions/Off%20Hours`), or the singleton at the path itself.
     */
    private pathOf(spec: ObjectSpec, parentId?: string, id?: string): string {
        if (spec.path.includes("{parent}")) {
            const parent = spec.path.split("/{parent}")[0];
            if (!parentId) throw new CupiError({ kind: "validation", message: `${spec.kind} lives under /vmrest/${parent}/{id}: pass the parent's ObjectId` });
            checkId(parentId, `parent (${parent}) ObjectId`);
        }
        const base = `/${spec.path.replace("{parent}", parentId ?? "")}`;
        if (id === undefined || spec.singleton) return base;
        if (spec.addressedBy) {
            const allowed = spec.byCupi.get(spec.addressedBy)?.enum;
            if (!id || (allowed && !(id in allowed))) {
                throw new CupiError({ kind: "validation", message: `${spec.kind} '${id}' is not one of ${Object.keys(allowed ?? {}).join(", ")}` });
            }
            return `${base}/${encodeURIComponent(id)}`;
        }
        checkId(id, `${spec.kind} ObjectId`);
        return `${base}/${id}`;
    }

    /** `GET /vmrest/version`. */
    async version(): Promise<string> {
        const res = await this.request("GET", "/version");
        return this.decode("GET", "/version", res, (format) => {
            if (format === "json") return String((JSON.parse(res.body) as { version?: string }).version ?? "");
            return /<version>([^<]*)<\/version>/.exec(res.body)?.[1] ?? "";
        });
    }

    /** One object; a CupiError of kind not-found when it does not exist. */
    async get(spec: ObjectSpec, id: string, parentId?: string): Promise<CupiRecord> {
        const path = this.pathOf(spec, parentId, id);
        const res = await this.request("GET", path);
        return this.decode("GET", path, res, (format) => decodeObject(spec, res.body, format));
    }

    /** One object, or undefined when the server says 404. */
    async find(spec: ObjectSpec, id: string, parentId?: string): Promise<CupiRecord | undefined> {
        try {
            return await this.get(spec, id, parentId);
        } catch (e) {
            if (isCupiError(e, "not-found")) return undefined;
            throw e;
        }
    }

    /** One page of a collection (count only when rowsPerPage is 0). */
    async page(spec: ObjectSpec, opts: ListOptions & { pageNumber: number }): Promise<{ total: number; items: CupiRecord[] }> {
        const qs = queryString({
            query: opts.query ? buildQuery(spec, opts.query) : undefined,
            sort: opts.sort ? buildSort(spec, opts.sort) : undefined,
            rowsPerPage: opts.pageSize ?? this.settings.pageSize,
            pageNumber: opts.pageNumber,
        });
        const path = `${this.pathOf(spec, opts.parentId)}${qs}`;
        const res = await this.request("GET", path);
        return this.decode("GET", path, res, (format) => decodeCollection(spec, res.body, format));
    }

    /**
     * Reads of many objects of one kind in one run (a refresh of a site: hundreds of lists,
     * handlers, classes of service): once a kind has been read often enough that its whole
     * collection costs no more pages than the GETs already made, the collection is listed in pages
     * and the rest of the reads are answered from that listing. Only for kinds whose list holds
     * the full object (not users: theirs is a short form, so each user is one GET). A write of the
     * kind through this client makes its listing stale; an object not in it is looked up with a GET.
     */
    async findInRun(spec: ObjectSpec, id: string, parentId?: string): Promise<CupiRecord | undefined> {
        if (!listsInFull(spec)) return this.find(spec, id, parentId);
        const key = `${spec.kind}|${parentId ?? ""}`;
        let b = this.batches.get(key);
        if (!b) this.batches.set(key, (b = { reads: 0 }));
        b.reads++;
        if (!b.listing && !b.deciding && !b.declined && b.reads >= BATCH_AFTER) {
            const batch = b;
            batch.deciding = this.count(spec, { parentId }).then((total) => {
                // Listing pays off when it costs no more pages than the reads made so far.
                if (Math.ceil(total / this.settings.pageSize) > batch.reads) batch.declined = true;
                else batch.listing = this.list(spec, { parentId }).then((rows) => new Map(rows.map((r) => [String(r.ObjectId).toLowerCase(), r])), () => undefined);
            }, () => void (batch.declined = true)).finally(() => (batch.deciding = undefined));
        }
        if (b.deciding) await b.deciding;
        const listed = b.listing ? await b.listing : undefined;
        return listed?.get(id.toLowerCase()) ?? this.find(spec, id, parentId);
    }

    /** What findInRun knows of each kind this run (by kind and parent). */
    private readonly batches = new Map<string, { reads: number; declined?: boolean; deciding?: Promise<void>; listing?: Promise<Map<string, CupiRecord> | undefined> }>();

    /** A write of a kind: its listing no longer shows the server. */
    private wrote(spec: ObjectSpec, parentId?: string): void {
        const b = this.batches.get(`${spec.kind}|${parentId ?? ""}`);
        if (b) b.listing = undefined;
    }

    /** Number of matching objects, without fetching them. */
    async count(spec: ObjectSpec, opts: ListOptions = {}): Promise<number> {
        return (await this.page(spec, { ...opts, pageSize: 0, pageNumber: 1 })).total;
    }

    /** Every matching object: follows pageNumber until `total` items are collected. */
    async list(spec: ObjectSpec, opts: ListOptions = {}): Promise<CupiRecord[]> {
        const pageSize = opts.pageSize ?? this.settings.pageSize;
        const first = await this.page(spec, { ...opts, pageSize, pageNumber: 1 });
        const items = [...first.items];
        // Bounded: never more pages than the first answer's total allows (plus one if it grows).
        const maxPages = Math.ceil(first.total / pageSize) + 1;
        for (let n = 2; items.length < first.total && n <= maxPages; n++) {
            const next = await this.page(spec, { ...opts, pageSize, pageNumber: n });
            if (!next.items.length) break;
            items.push(...next.items);
        }
        // Objects created or deleted between pages can shift rows; keep each object once.
        const seen = new Set<string>();
        return items.filter((r) => {
            const key = String(r.ObjectId ?? r.URI ?? JSON.stringify(r));
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        });
    }

    private body(spec: ObjectSpec, record: CupiRecord): string {
        for (const key of Object.keys(record)) {
            const f = spec.byCupi.get(key);
            if (!f) throw new CupiError({ kind: "validation", message: `${spec.kind} has no field ${key}` });
            if (f.param) throw new CupiError({ kind: "validation", message: `${spec.kind}.${key} is a create parameter, sent in the query string` });
            if (f.secret) registerSecret(String(record[key]));
        }
        return encodeObject(spec, record, this.settings.format);
    }

    /**
     * POST; returns the new ObjectId from the 201 body (or Location). Never retried blindly.
     * Fields the table declares `param` go to the query string (`?templateAlias=...`).
     */
    async create(spec: ObjectSpec, record: CupiRecord, parentId?: string): Promise<string> {
        const params: Record<string, string> = {};
        const fields: CupiRecord = {};
        for (const [k, v] of Object.entries(record)) {
            if (spec.byCupi.get(k)?.param) params[k] = String(v);
            else fields[k] = v;
        }
        const path = `${this.pathOf(spec, parentId)}${queryString(params)}`;
        this.wrote(spec, parentId);
        const res = await this.request("POST", path, this.body(spec, fields));
        return newId("POST", path.split("?")[0], res);
    }

    /** PUT of only the given fields. */
    async update(spec: ObjectSpec, id: string, record: CupiRecord, parentId?: string): Promise<void> {
        this.wrote(spec, parentId);
        await this.request("PUT", this.pathOf(spec, parentId, id), this.body(spec, record));
    }

    /** DELETE of one object. */
    async delete(spec: ObjectSpec, id: string, parentId?: string): Promise<void> {
        this.wrote(spec, parentId);
        await this.request("DELETE", this.pathOf(spec, parentId, id));
    }

    /**
     * POST of an object of `spec` to another path below `/vmrest` (an operation such as
     * `httpslinks/operation/autojoin`); returns the new ObjectId. `timeoutMs` for slow operations.
     */
    async post(path: string, spec: ObjectSpec, record: CupiRecord, timeoutMs?: number): Promise<string> {
        const res = await this.request("POST", `/${path}`, this.body(spec, record), timeoutMs);
        return newId("POST", `/${path}`, res);
    }

    /** DELETE of another path below `/vmrest` (an operation, or an alternative path of an object). */
    async deleteAt(path: string, timeoutMs?: number): Promise<void> {
        await this.request("DELETE", `/${path}`, undefined, timeoutMs);
    }

    /**
     * Creates without ever making a duplicate: a POST that failed in a way worth another try is
     * sent again, but when it may have been carried out (dropped after sending, answered 5xx)
     * the object is looked up first (`lookup`, usually by its unique name).
     */
    async createVerified(post: () => Promise<string>, lookup: () => Promise<string | undefined>): Promise<{ id: string; recovered: boolean }> {
        let recovered = false;
        // A failed lookup has had its own tries (it is GETs): final, so that budgets never multiply.
        let lookupFailure: unknown;
        const id = await withRetries(
            async () => {
                try {
                    return await post();
                } catch (e) {
                    if (!isCupiError(e) || !e.mayHaveCreated) throw e; // refused or throttled before processing: withRetries posts again
                    const existing = await lookup().catch((x: unknown) => {
                        throw (lookupFailure = x);
                    });
                    if (!existing) throw e; // not there: withRetries posts again after its back-off
                    recovered = true;
                    return existing;
                }
            },
            this.retryOptions,
            (e) => e !== lookupFailure && (e.mayHaveCreated || e.retryable),
        );
        return { id, recovered };
    }
}

/** Reads of a kind in one run before findInRun asks how big its collection is (one count request). */
export const BATCH_AFTER = 20;

/** Whether a kind's list holds what a GET of one of its objects returns. */
const listsInFull = (spec: ObjectSpec) => spec.operations.includes("list") && spec.operations.includes("get") && !spec.shortList && !spec.singleton && !spec.addressedBy;

/** Refuses an ObjectId that is not a GUID before it goes into a path. */
export function checkId(id: string, what: string): void {
    if (!GUID_RE.test(id)) {
        throw new CupiError({ kind: "validation", message: `${what} '${id}' is not a GUID (expected 8-4-4-4-12 hexadecimal digits)` });
    }
}

function newId(method: string, path: string, res: { body: string; headers: Record<string, unknown> }): string {
    // The 201 body is the new object's URI as plain text; Cisco's docs print unreliable prefixes,
    // so take the last path segment (REFERENCE.md §4.1).
    const location = res.headers.location;
    for (const candidate of [res.body, Array.isArray(location) ? location[0] : location]) {
        const last = String(candidate ?? "").trim().split("?")[0].split("/").filter(Boolean).pop() ?? "";
        if (GUID_RE.test(last)) return last.toLowerCase();
    }
    throw new CupiError({ kind: "protocol", method, path: `/vmrest${path}`, message: `201 without the new object's URI (body: ${res.body.slice(0, 100) || "empty"})` });
}
