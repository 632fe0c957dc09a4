/**
 * The simulator's object store: CUPI's business rules (validation, uniqueness, cascades, derived
 * fields) over plain records, and crash-safe persistence of every change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { coerce, type CupiRecord } from "../provider/client/codec";
import { SPECS } from "../provider/specs";
import { appliesTo, creatableFields, defineObject, field, isMandatory, OBJECT_ID, updatableFields, URI, type Field, type ObjectSpec, type Scalar } from "../provider/specs/types";
import { kindsNow, type Dataset, type Kind } from "./dataset";

/** A CUPI answer the store wants the server to send: status, ErrorDetails code and message. */
export class SimError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

export const notFound = (spec: ObjectSpec, id: string) =>
    new SimError(404, "NOT_FOUND", `${spec.noun} - ObjectId=${id}`);
export const invalid = (message: string) => new SimError(400, "DATA_EXCEPTION", message);

export interface StoreOptions {
    /** Persist every change to this file (atomic rename) and load it at start when present. */
    statePath?: string;
    /** Refuse to delete a phone system that still has port groups (default: cascade). */
    blockDeleteWithPortGroups?: boolean;
    /** Milliseconds an unjoined HTTPS link stays visible with Deleted=true (default 30 s). */
    unjoinPurgeMs?: number;
}

/**
 * `/vmrest/users`, served minimally so CUPI tools can check credentials with
 * `GET /vmrest/users?rowsPerPage=0`. Not in SPECS: no resource or data source manages users.
 */
export const USER_SPEC = defineObject({
    kind: "User",
    element: "User",
    collection: "Users",
    path: "users",
    noun: "user",
    operations: ["list", "get"],
    fields: [
        URI("/vmrest/users/6b455973-13d1-4b10-871e-1d1d55f160d2"),
        OBJECT_ID,
        field("Alias", "string", "ro", { queryable: true, sortable: true, doc: "The user's alias." }),
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, doc: "The user's display name." }),
    ],
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class Store {
    private data = new Map<Kind, Map<string, CupiRecord>>();
    private purgeTimers = new Set<NodeJS.Timeout>();

    constructor(private initial: Dataset, private readonly opts: StoreOptions = {}) {
        const saved = opts.statePath && fs.existsSync(opts.statePath)
            ? (JSON.parse(fs.readFileSync(opts.statePath, "utf8")) as Dataset)
            : undefined;
        this.load(saved ?? initial);
        if (!saved) this.persist();
        // Links unjoined before a restart are purged on the usual schedule.
        for (const link of this.table("HttpsLink").values()) {
            if (link.Deleted === true) this.schedulePurge(String(link.ObjectId));
        }
    }

    private load(dataset: Dataset): void {
        this.data = new Map(kindsNow().map((k) => [k, new Map((dataset[k] ?? []).map((r) => [String(r.ObjectId), clone(r)]))]));
    }

    /** Restores the initial dataset (or replaces it with a new one). */
    reset(dataset?: Dataset): void {
        if (dataset) this.initial = dataset;
        this.clearTimers();
        this.load(this.initial);
        this.persist();
    }

    snapshot(): Dataset {
        return Object.fromEntries([...this.data].map(([k, table]) => [k, [...table.values()].map(clone)])) as Dataset;
    }

    close(): void {
        this.clearTimers();
    }

    private clearTimers(): void {
        for (const t of this.purgeTimers) clearTimeout(t);
        this.purgeTimers.clear();
    }

    private table(kind: Kind): Map<string, CupiRecord> {
        return this.data.get(kind)!;
    }

    /** Writes the whole state to a temporary file, fsyncs it and renames it over the old one. */
    private persist(): void {
        const file = this.opts.statePath;
        if (!file) return;
        const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
        const fd = fs.openSync(tmp, "w");
        try {
            fs.writeSync(fd, JSON.stringify(this.snapshot()));
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
    }

    // ---------------------------------------------------------------- reading

    has(kind: Kind, id: string): boolean {
        return this.table(kind).has(id);
    }

    /** The object as CUPI returns it: derived fields filled in, passwords empty, nulls omitted. */
    render(kind: Kind, id: string): CupiRecord | undefined {
        const r = this.table(kind).get(id);
        if (!r) return undefined;
        const out: CupiRecord = { URI: this.uriOf(kind, r), ...r };
        switch (kind) {
            case "PhoneSystem":
                out.PortCount = this.portCountOfSystem(id);
                out.AXLServerURI = `/vmrest/phonesystems/${id}/axlservers`;
                out.PhoneSystemAssociationURI = `/vmrest/phonesystems/${id}/phonesystemassociations`;
                break;
            case "AxlServer":
            case "PhoneSystemAssociation":
                out.PhoneSystemURI = `/vmrest/phonesystems/${r.MediaSwitchObjectId}`;
                if (kind === "PhoneSystemAssociation") out.MediaSwitchDisplayName = this.nameOf("PhoneSystem", r.MediaSwitchObjectId);
                break;
            case "PortGroup":
                out.PhoneSystemURI = `/vmrest/phonesystems/${r.MediaSwitchObjectId}`;
                out.MediaSwitchDisplayName = this.nameOf("PhoneSystem", r.MediaSwitchObjectId);
                out.PortCount = this.portsOfGroup(id).length;
                break;
            case "Port": {
                const group = this.table("PortGroup").get(String(r.MediaPortGroupObjectId));
                out.PortGroupURI = `/vmrest/portgroups/${r.MediaPortGroupObjectId}`;
                if (group) {
                    out.MediaPortGroupDisplayName = group.DisplayName;
                    out.MediaPortGroupEnableMWI = group.EnableMWI;
                    out.MediaSwitchObjectId = group.MediaSwitchObjectId;
                    out.MediaSwitchDisplayName = this.nameOf("PhoneSystem", group.MediaSwitchObjectId);
                    out.PhoneSystemURI = `/vmrest/phonesystems/${group.MediaSwitchObjectId}`;
                }
                break;
            }
            case "ExternalService":
                out.ExternalServiceResetURI = `/vmrest/externalservices/${id}/reset`;
                break;
        }
        // Write-only fields: CUPI answers passwords with an empty element (`<ServicePassword/>`);
        // HTTPS links never show their join credentials.
        for (const f of SPECS[kind].fields) {
            if (f.access !== "wo") continue;
            delete out[f.cupi];
            if (f.secret && kind !== "HttpsLink" && (f.cupi in r || !f.appliesTo)) out[f.cupi] = "";
        }
        return out;
    }

    /** Every object of a kind (under a parent for sub-collections), rendered, in insertion order. */
    list(kind: Kind, parentId?: string): CupiRecord[] {
        const out: CupiRecord[] = [];
        for (const [id, r] of this.table(kind)) {
            if (parentId !== undefined && r[SPECS[kind].parent?.field ?? ""] !== parentId) continue;
            out.push(this.render(kind, id)!);
        }
        return out;
    }

    /**
     * The users the simulator knows of: those its phone-system associations name (the store keeps
     * no user objects of its own), with only ObjectId, Alias and DisplayName.
     */
    users(): CupiRecord[] {
        const byId = new Map<string, CupiRecord>();
        for (const a of this.table("PhoneSystemAssociation").values()) {
            const id = String(a.ObjectId);
            if (!byId.has(id)) byId.set(id, { URI: `/vmrest/users/${id}`, ObjectId: id, Alias: a.Alias, DisplayName: a.DisplayName });
        }
        return [...byId.values()];
    }

    private uriOf(kind: Kind, r: CupiRecord): string {
        const spec = SPECS[kind];
        return `/vmrest/${spec.path.replace("{parent}", String(r[spec.parent?.field ?? ""]))}/${r.ObjectId}`;
    }

    private nameOf(kind: Kind, id: Scalar | undefined): string {
        return String(this.table(kind).get(String(id))?.DisplayName ?? "");
    }

    private portsOfGroup(groupId: string): CupiRecord[] {
        return [...this.table("Port").values()].filter((p) => p.MediaPortGroupObjectId === groupId);
    }

    private portCountOfSystem(systemId: string): number {
        let n = 0;
        for (const [gid, g] of this.table("PortGroup")) {
            if (g.MediaSwitchObjectId === systemId) n += this.portsOfGroup(gid).length;
        }
        return n;
    }

    private discriminatorOf(spec: ObjectSpec, r: CupiRecord): number | undefined {
        return spec.discriminator ? (r[spec.discriminator] as number | undefined) : undefined;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Types and checks the fields a client sent; read-only, unknown and (on update) create-only
     * fields are ignored, as CUPI ignores unknown request fields.
     */
    private accept(spec: ObjectSpec, raw: Record<string, unknown>, mode: "create" | "update", allowed?: ReadonlySet<string>): CupiRecord {
        const writable = new Set((mode === "create" ? creatableFields(spec) : updatableFields(spec)).map((f) => f.cupi));
        const out: CupiRecord = {};
        for (const [key, value] of Object.entries(raw)) {
            const f = spec.byCupi.get(key);
            if (!f || !writable.has(f.cupi) || (allowed && !allowed.has(f.cupi))) continue;
            out[f.cupi] = checkValue(f, value);
        }
        return out;
    }

    private requireMandatory(spec: ObjectSpec, r: CupiRecord): void {
        const disc = this.discriminatorOf(spec, r);
        const missing = spec.fields.filter((f) => isMandatory(f, disc) && (r[f.cupi] === undefined || r[f.cupi] === ""));
        if (missing.length) {
            throw invalid(`Missing mandatory field${missing.length > 1 ? "s" : ""}: ${missing.map((f) => f.cupi).join(", ")}`);
        }
    }

    private requireUniqueName(kind: Kind, name: Scalar | undefined, exceptId?: string): void {
        if (SPECS[kind].key !== "DisplayName" || name === undefined) return;
        const lower = String(name).toLowerCase();
        for (const [id, r] of this.table(kind)) {
            if (id !== exceptId && String(r.DisplayName).toLowerCase() === lower) {
                throw invalid(`DisplayName '${name}' is already used by another ${SPECS[kind].noun}`);
            }
        }
    }

    /**
     * The field table's defaults for what the client left out, read-only fields included: the
     * server sets those itself (an AXL server's SkinnyStateMachineEnum is 10 on the seed).
     */
    private withDefaults(spec: ObjectSpec, r: CupiRecord): CupiRecord {
        const disc = this.discriminatorOf(spec, r);
        const out: CupiRecord = {};
        for (const f of spec.fields) {
            if (f.default !== undefined && appliesTo(f, disc)) out[f.cupi] = f.default;
        }
        return { ...out, ...r };
    }

    // ---------------------------------------------------------------- writing

    create(kind: Kind, raw: Record<string, unknown>, parentId?: string): string {
        const spec = SPECS[kind];
        const given = this.accept(spec, raw, "create");
        if (spec.parent) {
            const { kind: parentKind, field } = spec.parent;
            if (!parentId || !this.has(parentKind, parentId)) throw notFound(SPECS[parentKind], parentId ?? "");
            if (given[field] !== undefined && given[field] !== parentId) {
                throw invalid(`${field} ${String(given[field])} does not match the ${SPECS[parentKind].noun} in the path (${parentId})`);
            }
            given[field] = parentId;
        }
        if (kind === "ExternalService" && given.TenantObjectId !== undefined && !this.has("Tenant", String(given.TenantObjectId))) {
            throw invalid(`TenantObjectId ${given.TenantObjectId} does not name a tenant`);
        }
        this.requireMandatory(spec, given);
        this.requireUniqueName(kind, given.DisplayName);
        const id = randomUUID();
        const record = this.withDefaults(spec, { ObjectId: id, ...given });
        // A phone system created by CUPI is never the TRaP default unless asked.
        if (kind === "PhoneSystem" && raw.DefaultTRaPSwitch === undefined) record.DefaultTRaPSwitch = false;
        this.table(kind).set(id, record);
        this.persist();
        return this.uriOf(kind, record);
    }

    /** `POST /vmrest/httpslinks/operation/autojoin`. */
    autojoin(raw: Record<string, unknown>): string {
        const spec = SPECS.HttpsLink;
        const given = this.accept(spec, raw, "create");
        this.requireMandatory(spec, given);
        if (given.UseSSL === false) throw invalid("UseSSL must be true to join a Connection site (HTTPS networking requires SSL)");
        const remote = String(given.RemoteServer).trim();
        for (const link of this.table("HttpsLink").values()) {
            if (link.Deleted !== true && String(link.RemoteServer).toLowerCase() === remote.toLowerCase()) {
                throw invalid(`This server is already joined to ${remote}`);
            }
        }
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
        const id = randomUUID();
        const record: CupiRecord = {
            ObjectId: id,
            DisplayName: given.DisplayName ?? remote.split(".")[0],
            RemoteServer: remote,
            RemoteUsername: given.RemoteUsername,
            RemotePassword: given.RemotePassword,
            UseSSL: true,
            AcceptSelfSignedCertificates: given.AcceptSelfSignedCertificates ?? false,
            AcceptCertificateErrors: given.AcceptCertificateErrors ?? false,
            SyncDistributionLists: given.SyncDistributionLists ?? false,
            BaseFeedURL: `https://${remote}/feeder`,
            LastUsn: 0,
            MaxUsn: 0,
            ObjectCount: 0,
            Status: given.EnableDirectorySync === true ? 1 : 0,
            VoiceNameSyncStatus: given.EnableVoicenameSync === true ? 1 : 0,
            TimeOfLastSync: now,
            Deleted: false,
            DirectorySynchronizationRole: 0,
            WarningMode: false,
        };
        this.table("HttpsLink").set(id, record);
        this.persist();
        return `/vmrest/httpslinks/${id}`;
    }

    update(kind: Kind, id: string, raw: Record<string, unknown>): void {
        const spec = SPECS[kind];
        const current = this.table(kind).get(id);
        // CUPI answers a PUT to an unknown id with 400 DATA_EXCEPTION, not 404.
        if (!current) throw invalid(`${spec.element} not found`);
        // Port groups: only the two MWI codes are writable in scope; other fields are ignored.
        const allowed = kind === "PortGroup" ? new Set(["MwiOnCode", "MwiOffCode"]) : undefined;
        const given = this.accept(spec, raw, "update", allowed);
        if (kind === "HttpsLink") {
            if (current.Deleted === true) throw invalid("The HTTPS link has been unjoined and is awaiting clean-up");
            if (current.SyncDistributionLists === true && given.SyncDistributionLists === false) {
                throw invalid("SyncDistributionLists cannot be disabled once it has been enabled");
            }
            if (typeof given.RemoteServer === "string") {
                given.BaseFeedURL = `https://${given.RemoteServer.trim()}/feeder`;
            }
        }
        if (given.DisplayName !== undefined) {
            if (spec.fields.some((f) => f.cupi === "DisplayName" && isMandatory(f)) && given.DisplayName === "") {
                throw invalid("DisplayName cannot be empty");
            }
            this.requireUniqueName(kind, given.DisplayName, id);
        }
        this.table(kind).set(id, { ...current, ...given });
        this.persist();
    }

    delete(kind: Kind, id: string): void {
        const spec = SPECS[kind];
        if (!this.has(kind, id)) throw notFound(spec, id);
        if (kind === "PhoneSystem") {
            const users = [...this.table("PhoneSystemAssociation").values()].filter((a) => a.MediaSwitchObjectId === id);
            if (users.length) {
                throw invalid(`Cannot delete the phone system: ${users.length} user(s) are associated with it; move them to another phone system first`);
            }
            const groups = [...this.table("PortGroup")].filter(([, g]) => g.MediaSwitchObjectId === id);
            if (groups.length && this.opts.blockDeleteWithPortGroups) {
                throw invalid(`Cannot delete the phone system: it has ${groups.length} port group(s); delete them first`);
            }
            for (const [gid] of groups) {
                for (const p of this.portsOfGroup(gid)) this.table("Port").delete(String(p.ObjectId));
                this.table("PortGroup").delete(gid);
            }
            for (const [aid, a] of this.table("AxlServer")) if (a.MediaSwitchObjectId === id) this.table("AxlServer").delete(aid);
        }
        this.table(kind).delete(id);
        this.persist();
    }

    /** Marks a link deleted; the clean-up task removes it later. */
    unjoin(id: string): void {
        const link = this.table("HttpsLink").get(id);
        if (!link) throw notFound(SPECS.HttpsLink, id);
        link.Deleted = true;
        this.persist();
        this.schedulePurge(id);
    }

    unjoinSelf(): number {
        let n = 0;
        for (const [id, link] of this.table("HttpsLink")) {
            if (link.Deleted !== true) {
                link.Deleted = true;
                this.schedulePurge(id);
                n++;
            }
        }
        this.persist();
        return n;
    }

    /** Runs the "Remove Objects Associated With Deleted Network Location" task now. */
    purgeUnjoined(): number {
        let n = 0;
        for (const [id, link] of this.table("HttpsLink")) {
            if (link.Deleted === true) {
                this.table("HttpsLink").delete(id);
                n++;
            }
        }
        if (n) this.persist();
        return n;
    }

    private schedulePurge(id: string): void {
        const timer = setTimeout(() => {
            this.purgeTimers.delete(timer);
            if (this.table("HttpsLink").get(id)?.Deleted === true) {
                this.table("HttpsLink").delete(id);
                this.persist();
            }
        }, this.opts.unjoinPurgeMs ?? 30_000);
        timer.unref();
        this.purgeTimers.add(timer);
    }
}

/** Checks one request value against its field: type, enum, range, length, pattern. */
function checkValue(f: Field, value: unknown): Scalar {
    const typed = coerce(f, typeof value === "string" && f.type !== "string" ? value.trim() : value);
    const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
    if (typed === undefined) throw invalid(`Invalid value ${shown} for ${f.cupi}: expected ${f.type === "integer" ? "an integer" : f.type === "boolean" ? "true or false" : "a string"}`);
    if (f.enum && !(String(typed) in f.enum)) {
        throw invalid(`Invalid value ${shown} for ${f.cupi}: allowed values are ${Object.keys(f.enum).join(", ")}`);
    }
    if (typeof typed === "number" && ((f.min !== undefined && typed < f.min) || (f.max !== undefined && typed > f.max))) {
        throw invalid(`Invalid value ${shown} for ${f.cupi}: must be between ${f.min} and ${f.max}`);
    }
    if (typeof typed === "string") {
        if (f.maxLength !== undefined && typed.length > f.maxLength) throw invalid(`${f.cupi} is longer than ${f.maxLength} characters`);
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(typed)) throw invalid(`${f.cupi} contains control characters`);
        if (f.pattern && !f.pattern.test(typed)) throw invalid(`Invalid value ${shown} for ${f.cupi}`);
    }
    return typed;
}
