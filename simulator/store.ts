/**
 * The simulator's object store: CUPI's business rules over plain records, read from the field
 * tables — templates that fill what a create leaves out, the objects CUC makes with another (a
 * user's primary call handler, credentials, mailbox, primary extension; a handler's transfer
 * options, greetings and menu entries), built-ins that stay, unique keys and extensions,
 * references (a bogus one is refused, a delete is refused while something refers to the object),
 * memberships — with indexes for lookups and `is` queries, and crash-safe persistence.
 *
 * Memory: a fixed-set member or a singleton is stored only once a PUT changed it (else it is
 * rendered from the defaults), and what can be derived is derived on read (the all-users list's
 * members, phone-system associations, a user's IdIndex-0 alternate extension, URIs, member rows'
 * names), so 20,000 users cost a user and a call handler record each.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { coerce, type CupiRecord } from "../provider/client/codec";
import { FRESH_CHILDREN, SPECS } from "../provider/specs";
import { appliesTo, creatableFields, FORMATS, isMandatory, updatableFields, type Field, type ObjectSpec, type Scalar } from "../provider/specs/types";
import { ALL_USERS_LIST_ALIAS, derivedId, kindsNow, seededGuid, seedUsers, type Dataset, type Kind } from "./dataset";
import { invalid, notFound } from "./errors";
import { indexedFields, indexValue, parseQuery, select, Table } from "./table";

export interface StoreOptions {
    /** Persist every change to this file (atomic rename) and load it at start when present. */
    statePath?: string;
    /** Refuse to delete a phone system that still has port groups (default: cascade). */
    blockDeleteWithPortGroups?: boolean;
    /** Milliseconds an unjoined HTTPS link stays visible with Deleted=true (default 30 s). */
    unjoinPurgeMs?: number;
    /** Users to add to the initial dataset (`cuc-sim --users N`), the same ones every time. */
    users?: number;
}

/** Where a record lives: its kind, and its key in that kind's table (an ObjectId; a singleton's parent's; a fixed-set member's `parent/key`). */
interface Place {
    kind: Kind;
    key: string;
}

/** A record that refers to an object through one of its fields. */
interface Referrer extends Place {
    field: string;
}

/** A record found for a request: stored, a sparse one (singleton or fixed set), the parent's mirror row, or computed. */
interface Found {
    row: CupiRecord;
    place: Place;
    via: "stored" | "sparse" | "mirror" | "computed";
}

/** The kinds CUC computes on read from other tables (Store.derived): never stored. */
const DERIVED = ["PhoneSystemAssociation", "DefaultUserTemplate", "UserDependency"] as const;
const isDerived = (kind: Kind) => (DERIVED as readonly string[]).includes(kind);

/** What the store looks up in the field tables again and again. */
interface Facts {
    /** The kinds whose parent is each kind: sub-collections, singletons, fixed sets. */
    children: Map<Kind, ObjectSpec[]>;
    /** Every stored field that may hold an ObjectId of each kind. */
    refsTo: Map<Kind, { kind: Kind; field: Field }[]>;
    /** The stored fields of each `unique` namespace (extensions: users', contacts', lists', handlers', alternate extensions'). */
    namespaces: Map<string, { kind: Kind; field: Field }[]>;
}

let known: { specs: ObjectSpec[]; facts: Facts } | undefined;
/** Whether SPECS holds exactly these tables (checked without allocating: the store asks on every write). */
function unchanged(specs: readonly ObjectSpec[]): boolean {
    let i = 0;
    for (const kind in SPECS) if (specs[i++] !== SPECS[kind]) return false;
    return i === specs.length;
}
/** The facts of the tables in SPECS now, derived again only when SPECS changed (a test adds a throwaway object). */
function facts(): Facts {
    if (known && unchanged(known.specs)) return known.facts;
    const specs = Object.values(SPECS);
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => m.set(k, [...(m.get(k) ?? []), v]);
    const f: Facts = { children: new Map(), refsTo: new Map(), namespaces: new Map() };
    for (const spec of specs) {
        if (spec.parent) push(f.children, spec.parent.kind, spec);
        if (isDerived(spec.kind)) continue;
        for (const field of spec.fields) {
            for (const kind of field.ref ? [field.ref, ...(field.refAlso ?? [])] : []) push(f.refsTo, kind, { kind: spec.kind, field });
            if (field.unique && !sparse(spec)) push(f.namespaces, field.unique.namespace, { kind: spec.kind, field });
        }
    }
    known = { specs, facts: f };
    return f;
}

/** The all-users list's members: a row per user, derived from the users, never stored. */
const ALL_USERS = { list: "DistributionList", member: "DistributionListMember", users: "User" } as const;

/**
 * What the simulator's credential policies ask of a new PIN and web password (CUC's are
 * configurable; ours: a PIN of 4 digits or more, a web password of 8 characters or more), keyed
 * by the credential's path (`credential/pin`, `credential/password`).
 */
const CREDENTIAL_POLICY: Readonly<Record<string, { min: number; what: string }>> = { pin: { min: 4, what: "digits" }, password: { min: 8, what: "characters" } };

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
/** Credentials carry CUPI's other date form (EVERYDAY.md §1.3): `2013-03-05 11:24:33.344`. */
const credentialTime = () => new Date().toISOString().replace("T", " ").replace("Z", "");

/**
 * The time a `TimeExpires` names, in ms: CUPI's two date forms or a bare date, GMT; Infinity for
 * empty (enabled forever, EVERYDAY.md §13 item 7); undefined for what is not a time.
 */
function expiry(v: Scalar | undefined): number | undefined {
    if (v === undefined || v === "") return Infinity;
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?Z?$/.exec(String(v).trim());
    const t = m ? Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}Z`) : NaN;
    return Number.isNaN(t) ? undefined : t;
}

const specOf = (kind: Kind): ObjectSpec => SPECS[kind];
const sparse = (spec: ObjectSpec) => Boolean(spec.singleton || spec.addressedBy);
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);
/** What messages call a kind: `CallHandler` is a call handler, `ClassOfService` a class of service. */
const phrase = (kind: Kind) => kind.replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase();
/** The word of a path a credential policy is keyed by. */
const lastSegment = (spec: ObjectSpec) => spec.path.split("/").pop() ?? "";

/** The members of a fixed set: its `addressedBy` field's values (`Standard`, `Off Hours`, `Alternate`). */
function fixedKeys(spec: ObjectSpec): string[] {
    return Object.keys(spec.byCupi.get(spec.addressedBy ?? "")?.enum ?? {});
}

export class Store {
    private tables = new Map<Kind, Table>();
    /** Objects made with another and deleted with it (`owns`), by `kind/ObjectId`: their owner. */
    private owners = new Map<string, Place>();
    /** The dataset `reset` restores, as JSON (one compact copy, even of 20,000 users). */
    private initial: string;
    private purgeTimers = new Set<NodeJS.Timeout>();
    /** What CUC computes on read from other tables: never stored. */
    private readonly derived: Readonly<Record<(typeof DERIVED)[number], (parentId: string | undefined) => CupiRecord[]>> = {
        PhoneSystemAssociation: (systemId) => {
            const users = this.table("User");
            return systemId === undefined ? [] : users.find("MediaSwitchObjectId", systemId).map((k) => {
                const u = users.get(k)!;
                // Every user has CUC's four default notification devices and one MWI device.
                return { ObjectId: u.ObjectId, Alias: u.Alias, DisplayName: u.DisplayName, MediaSwitchObjectId: systemId, numNotificationDevice: 4, numNotificationMWI: 1, numPrimaryCallHandler: u.CallHandlerObjectId ? 1 : 0 };
            });
        },
        DefaultUserTemplate: () => [...this.table("UserTemplate").rows.values()]
            .filter((t) => t.Undeletable === true)
            .map((t) => ({ ObjectId: t.ObjectId, Alias: t.Alias, DisplayName: t.DisplayName })),
        // The rows' shape is [OPEN] beyond two fields (EVERYDAY.md §3.5): they are what blocks the
        // user's deletion (memberships, which go with the user, are none of it).
        UserDependency: (userId) => (userId !== undefined && this.has("User", userId)
            ? this.consequences({ kind: "User", key: userId }).blockers.map((b) => this.dependency(userId, b))
            : []),
    };

    constructor(initial: Dataset, private readonly opts: StoreOptions = {}) {
        this.initial = JSON.stringify(initial);
        this.load(this.initial);
        if (opts.users) {
            this.seed(opts.users);
            this.initial = JSON.stringify(this.stored());
        }
        const saved = opts.statePath && fs.existsSync(opts.statePath) ? fs.readFileSync(opts.statePath, "utf8") : undefined;
        if (saved) this.load(saved);
        else this.persist();
        // Links unjoined before a restart are purged on the usual schedule.
        for (const link of this.table("HttpsLink").rows.values()) {
            if (link.Deleted === true) this.schedulePurge(String(link.ObjectId));
        }
    }

    private load(text: string): void {
        const dataset = JSON.parse(text) as Dataset;
        this.tables = new Map();
        this.owners = new Map();
        for (const kind of kindsNow()) {
            if (isDerived(kind)) continue;
            const t = this.table(kind);
            for (const r of dataset[kind] ?? []) t.set(this.keyOf(specOf(kind), r), r);
        }
        for (const spec of Object.values(SPECS)) {
            if (!spec.owns) continue;
            for (const [key, r] of this.table(spec.kind).rows) {
                const child = r[spec.owns.field];
                if (child) this.owners.set(`${spec.owns.kind}/${child}`, { kind: spec.kind, key });
            }
        }
    }

    /** `--users N`: each one created as a client would create it, from its template. */
    private seed(n: number): void {
        const spec = specOf("User");
        for (const { id, body, params } of seedUsers(n)) this.insert(spec.kind, this.accept(spec, body, "create"), this.params(spec, new URLSearchParams(params)), undefined, { id });
    }

    /** Restores the initial dataset (or replaces it with a new one). */
    reset(dataset?: Dataset): void {
        if (dataset) this.initial = JSON.stringify(dataset);
        this.clearTimers();
        this.load(this.initial);
        this.persist();
    }

    /** Every stored record, by kind (derived ones are not stored). */
    private stored(): Dataset {
        return Object.fromEntries([...this.tables].map(([k, t]) => [k, [...t.rows.values()]])) as Dataset;
    }

    snapshot(): Dataset {
        return JSON.parse(JSON.stringify(this.stored())) as Dataset;
    }

    close(): void {
        this.clearTimers();
    }

    private clearTimers(): void {
        for (const t of this.purgeTimers) clearTimeout(t);
        this.purgeTimers.clear();
    }

    private table(kind: Kind): Table {
        let t = this.tables.get(kind);
        if (!t) {
            t = new Table(indexedFields(specOf(kind)));
            this.tables.set(kind, t);
        }
        return t;
    }

    private keyOf(spec: ObjectSpec, r: CupiRecord): string {
        const parentId = String(r[spec.parent?.field ?? ""]);
        if (spec.singleton) return parentId;
        if (spec.addressedBy) return `${parentId}/${String(r[spec.addressedBy])}`;
        return String(r.ObjectId);
    }

    /** Writes the whole state to a temporary file, fsyncs it and renames it over the old one. */
    private persist(): void {
        const file = this.opts.statePath;
        if (!file) return;
        const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
        const fd = fs.openSync(tmp, "w");
        try {
            fs.writeSync(fd, JSON.stringify(this.stored()));
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        fs.renameSync(tmp, file);
    }

    // ---------------------------------------------------------------- reading

    has(kind: Kind, id: string): boolean {
        return !isDerived(kind) && this.table(kind).rows.has(id);
    }

    /**
     * The object as CUPI returns it (derived fields filled in, passwords empty, nulls omitted): by
     * ObjectId, by key for a fixed set (`Off Hours`), none for a singleton; under `parentId` only
     * when given.
     */
    render(kind: Kind, key: string | undefined, parentId?: string): CupiRecord | undefined {
        const found = this.locate(kind, key ?? "", parentId);
        return found && this.present(kind, found.row);
    }

    /** Every object of a kind (under a parent for sub-collections), rendered, in table order. */
    list(kind: Kind, parentId?: string): CupiRecord[] {
        return this.listing(kind, parentId, new URLSearchParams()).items;
    }

    /**
     * A page of a collection (`query`, `sort`, `rowsPerPage`, `pageNumber`) and its total: an `is`
     * query on an indexed column of a top-level kind is an index lookup; only the page is rendered.
     */
    listing(kind: Kind, parentId: string | undefined, q: URLSearchParams): { items: CupiRecord[]; total: number } {
        const spec = specOf(kind);
        const query = parseQuery(spec, q);
        const t = spec.parent || sparse(spec) || isDerived(kind) ? undefined : this.table(kind);
        const column = query?.field.cupi ?? "";
        // A column no row holds may be one CUC computes on read (a port's phone system): then scan.
        const indexed = Boolean(t && query?.op === "is" && query.value !== "" && t.indexes(column) && (t.holds(column) || !this.computesOnRead(kind, t, column)));
        const rows = indexed ? t!.find(query!.field.cupi, query!.value).map((k) => t!.get(k)!) : this.rowsOf(kind, parentId);
        const shown = new Map<CupiRecord, CupiRecord>();
        const present = (r: CupiRecord) => shown.get(r) ?? shown.set(r, this.present(kind, r)).get(r)!;
        // A column the row does not hold is one CUC computes on read (a member's Alias): render it.
        const valueOf = (r: CupiRecord, f: Field) => (f.cupi in r ? r[f.cupi] : present(r)[f.cupi]);
        const { items, total } = select(spec, rows, q, valueOf, indexed);
        return { items: items.map(present), total };
    }

    private computesOnRead(kind: Kind, t: Table, column: string): boolean {
        const first = t.rows.values().next();
        return !first.done && this.present(kind, first.value)[column] !== undefined;
    }

    /** The rows of a kind (under a parent), not yet rendered: stored, sparse, mirrored and derived ones. */
    private rowsOf(kind: Kind, parentId: string | undefined): CupiRecord[] {
        const spec = specOf(kind);
        if (isDerived(kind)) return this.derived[kind as (typeof DERIVED)[number]](parentId);
        if (spec.parent && parentId !== undefined && !this.has(spec.parent.kind, parentId)) return [];
        if (spec.addressedBy) return parentId === undefined ? [] : fixedKeys(spec).map((k) => this.fixedRow(spec, parentId, k));
        if (spec.singleton) return parentId === undefined ? [] : [this.singletonRow(spec, parentId)];
        const t = this.table(kind);
        if (parentId === undefined) return [...t.rows.values()];
        const stored = t.find(spec.parent!.field, parentId).map((k) => t.get(k)!);
        return [...this.mirrorRows(spec, parentId), ...this.allUsersRows(spec, parentId), ...stored];
    }

    private singletonRow(spec: ObjectSpec, parentId: string): CupiRecord {
        return withDefaults(spec, { ObjectId: derivedId(parentId, spec.kind), [spec.parent!.field]: parentId, ...this.table(spec.kind).get(parentId) });
    }

    private fixedRow(spec: ObjectSpec, parentId: string, key: string): CupiRecord {
        return withDefaults(spec, {
            ObjectId: derivedId(parentId, `${spec.kind}:${key}`), [spec.parent!.field]: parentId, [spec.addressedBy!]: key,
            ...FRESH_CHILDREN[spec.kind]?.[key], ...this.table(spec.kind).get(`${parentId}/${key}`),
        });
    }

    /** The parent's own row (`mirrorsParent`: a user's IdIndex-0 alternate extension), when the parent has the value it mirrors. */
    private mirrorRows(spec: ObjectSpec, parentId: string): CupiRecord[] {
        const m = spec.mirrorsParent;
        const parent = m && this.table(spec.parent!.kind).get(parentId);
        if (!m || !parent || parent[m.fields[0]] === undefined) return [];
        const row: CupiRecord = { ObjectId: derivedId(parentId, `${spec.kind}:${String(m.value)}`), [spec.parent!.field]: parentId, [m.field]: m.value };
        for (const f of m.fields) if (parent[f] !== undefined) row[f] = parent[f];
        return [row];
    }

    private allUsersList(): string | undefined {
        const lists = specOf(ALL_USERS.list);
        return this.table(lists.kind).find(lists.key!, ALL_USERS_LIST_ALIAS)[0];
    }

    /** A row per user under the all-users list; its ObjectId is the user's, derived (and back). */
    private allUsersRows(spec: ObjectSpec, listId: string): CupiRecord[] {
        if (spec.kind !== ALL_USERS.member || listId !== this.allUsersList()) return [];
        return [...this.table(ALL_USERS.users).rows.keys()].map((userId) => this.allUsersRow(spec, listId, userId));
    }

    private allUsersRow(spec: ObjectSpec, listId: string, userId: string): CupiRecord {
        return { ObjectId: derivedId(userId, `${spec.kind}:${listId}`), [spec.parent!.field]: listId, MemberUserObjectId: userId };
    }

    /** The record a request names (an ObjectId, a fixed-set key, nothing for a singleton), under its own parent only. */
    private locate(kind: Kind, key: string, parentId: string | undefined): Found | undefined {
        const spec = specOf(kind);
        if (spec.parent && parentId !== undefined && !this.has(spec.parent.kind, parentId)) return undefined;
        if (spec.singleton) return parentId === undefined ? undefined : { row: this.singletonRow(spec, parentId), place: { kind, key: parentId }, via: "sparse" };
        if (spec.addressedBy) {
            const k = fixedKeys(spec).find((x) => x.toLowerCase() === key.toLowerCase());
            return parentId === undefined || k === undefined ? undefined : { row: this.fixedRow(spec, parentId, k), place: { kind, key: `${parentId}/${k}` }, via: "sparse" };
        }
        if (isDerived(kind)) {
            const row = this.derived[kind as (typeof DERIVED)[number]](parentId).find((r) => r.ObjectId === key);
            return row && { row, place: { kind, key }, via: "computed" };
        }
        const row = this.table(kind).get(key);
        if (row) return parentId === undefined || row[spec.parent!.field] === parentId ? { row, place: { kind, key }, via: "stored" } : undefined;
        if (parentId === undefined) return undefined;
        const mirror = this.mirrorRows(spec, parentId).find((r) => r.ObjectId === key);
        if (mirror) return { row: mirror, place: { kind, key }, via: "mirror" };
        const userId = derivedId(key, `${kind}:${parentId}`);
        if (spec.kind === ALL_USERS.member && parentId === this.allUsersList() && this.has(ALL_USERS.users, userId)) {
            return { row: this.allUsersRow(spec, parentId, userId), place: { kind, key }, via: "computed" };
        }
        return undefined;
    }

    /** A row as CUPI returns it: its URI and what CUC computes on read, write-only fields empty or absent. */
    private present(kind: Kind, r: CupiRecord): CupiRecord {
        const spec = specOf(kind);
        const out: CupiRecord = { URI: this.uriOf(spec, r), ...r };
        switch (kind) {
            case "PhoneSystem":
                out.PortCount = this.portCountOfSystem(String(r.ObjectId));
                out.AXLServerURI = `${out.URI}/axlservers`;
                out.PhoneSystemAssociationURI = `${out.URI}/phonesystemassociations`;
                break;
            case "AxlServer":
            case "PhoneSystemAssociation":
                out.PhoneSystemURI = `/vmrest/phonesystems/${r.MediaSwitchObjectId}`;
                if (kind === "PhoneSystemAssociation") out.MediaSwitchDisplayName = this.nameOf("PhoneSystem", r.MediaSwitchObjectId);
                break;
            case "PortGroup":
                out.PhoneSystemURI = `/vmrest/phonesystems/${r.MediaSwitchObjectId}`;
                out.MediaSwitchDisplayName = this.nameOf("PhoneSystem", r.MediaSwitchObjectId);
                out.PortCount = this.table("Port").count("MediaPortGroupObjectId", String(r.ObjectId));
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
                out.ExternalServiceResetURI = `${out.URI}/reset`;
                break;
            case "User":
                out.AlternateExtensionsURI = `${out.URI}/alternateextensions`;
                if (r.MailboxStoreObjectId !== undefined) out.MailboxStoreName = this.nameOf("MailboxStore", r.MailboxStoreObjectId);
                break;
            case "DistributionList":
                out.DistributionListMembersURI = `${out.URI}/distributionlistmembers`;
                break;
            case "DistributionListMember": {
                const member = this.memberOf(spec, r);
                if (member) {
                    out.Alias = member.row.Alias;
                    out.DisplayName = member.row.DisplayName;
                    out.IsUserTemplate = member.kind === "UserTemplate";
                    out.MemberLocationObjectId = member.row.LocationObjectId;
                    if (r.MemberUserObjectId !== undefined) out.MemberGlobalUserObjectId = r.MemberUserObjectId;
                }
                break;
            }
        }
        // Transfer options and greetings: on until TimeExpires (EVERYDAY.md §7.2, §12 item 9).
        if (spec.byCupi.has("Enabled") && spec.byCupi.has("TimeExpires")) out.Enabled = (expiry(r.TimeExpires) ?? 0) > Date.now();
        // Write-only fields: CUPI answers passwords (and credentials) with an empty element
        // (`<ServicePassword/>`, `<Credentials/>`); HTTPS links never show their join credentials.
        for (const f of spec.fields) {
            if (f.access !== "wo") continue;
            delete out[f.cupi];
            if (f.secret && kind !== "HttpsLink" && (f.cupi in r || !f.appliesTo)) out[f.cupi] = "";
        }
        return out;
    }

    private uriOf(spec: ObjectSpec, r: CupiRecord): string {
        const base = `/vmrest/${spec.path.replace("{parent}", String(r[spec.parent?.field ?? ""]))}`;
        if (spec.singleton) return base;
        if (spec.addressedBy) return `${base}/${encodeURIComponent(String(r[spec.addressedBy]))}`;
        return `${base}/${r.ObjectId}`;
    }

    private nameOf(kind: Kind, id: Scalar | undefined): string {
        return String(this.table(kind).get(String(id))?.DisplayName ?? "");
    }

    private portCountOfSystem(systemId: string): number {
        const ports = this.table("Port");
        return this.table("PortGroup").find("MediaSwitchObjectId", systemId).reduce((n, g) => n + ports.count("MediaPortGroupObjectId", g), 0);
    }

    /** The member a membership row names (`oneOf`), with the kind that holds it. */
    private memberOf(spec: ObjectSpec, r: CupiRecord): { kind: Kind; row: CupiRecord } | undefined {
        for (const c of spec.oneOf ?? []) {
            const f = spec.byCupi.get(c)!;
            if (r[c] === undefined || r[c] === "") continue;
            for (const kind of [f.ref!, ...(f.refAlso ?? [])]) {
                const row = this.table(kind).get(String(r[c]));
                if (row) return { kind, row };
            }
        }
        return undefined;
    }

    /**
     * How messages name a record: `user 'jdoe'`, `the call handler of user 'jdoe'`, `the Standard
     * greeting of call handler 'Main Menu'`, `a distribution list member of distribution list 'sales'`.
     */
    private describe(p: Place): string {
        const spec = specOf(p.kind);
        const row = this.table(p.kind).get(p.key) ?? {};
        const owner = this.owners.get(`${p.kind}/${p.key}`);
        if (owner) return `the ${phrase(spec.kind)} of ${this.describe(owner)}`;
        const name = row[spec.key ?? "DisplayName"] ?? row.DisplayName;
        if (!spec.parent) return `${phrase(spec.kind)} '${String(name ?? p.key)}'`;
        const parent = this.describe({ kind: spec.parent.kind, key: String(row[spec.parent.field]) });
        if (spec.addressedBy) return `the ${String(row[spec.addressedBy])} ${phrase(spec.kind)} of ${parent}`;
        return spec.key ? `${phrase(spec.kind)} '${String(name)}' of ${parent}` : `a ${phrase(spec.kind)} of ${parent}`;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Types and checks the fields a client sent; read-only, unknown, create-parameter and (on
     * update) create-only fields are ignored, as CUPI ignores unknown request fields.
     */
    private accept(spec: ObjectSpec, raw: Record<string, unknown>, mode: "create" | "update", allowed?: ReadonlySet<string>): CupiRecord {
        const writable = new Set((mode === "create" ? creatableFields(spec) : updatableFields(spec)).filter((f) => !f.param).map((f) => f.cupi));
        const out: CupiRecord = {};
        for (const [key, value] of Object.entries(raw)) {
            const f = spec.byCupi.get(key);
            if (!f || !writable.has(f.cupi) || (allowed && !allowed.has(f.cupi))) continue;
            out[f.cupi] = checkValue(f, value);
        }
        return out;
    }

    /** The create parameters of a POST's query string (`?templateAlias=`), checked like fields. */
    private params(spec: ObjectSpec, query: URLSearchParams): CupiRecord {
        const out: CupiRecord = {};
        for (const [key, value] of query) {
            const f = spec.byCupiLower.get(key.toLowerCase());
            if (f?.param) out[f.cupi] = checkValue(f, value);
        }
        return out;
    }

    private requireMandatory(spec: ObjectSpec, r: CupiRecord): void {
        const disc = discriminatorOf(spec, r);
        const missing = spec.fields.filter((f) => isMandatory(f, disc) && (r[f.cupi] === undefined || r[f.cupi] === ""));
        if (missing.length) {
            throw invalid(`Missing mandatory field${missing.length > 1 ? "s" : ""}: ${missing.map((f) => f.cupi).join(", ")}`);
        }
    }

    /** A new credential against the credential policy: never empty, long enough (never echoed). */
    private requirePolicy(spec: ObjectSpec, raw: Record<string, unknown>): void {
        const policy = CREDENTIAL_POLICY[lastSegment(spec)];
        const f = spec.fields.find((x) => x.secret);
        if (!policy || !f || !(f.cupi in raw)) return;
        const value = raw[f.cupi];
        const text = typeof value === "string" || typeof value === "number" ? String(value) : "";
        if (text.trim() === "") throw invalid(`${f.cupi} cannot be empty: send the new ${phrase(spec.kind)}`);
        if (text.length < policy.min) throw invalid(`${f.cupi} is too short: the credential policy asks for at least ${policy.min} ${policy.what}`);
    }

    /**
     * What a create or update must satisfy beyond each field's own rules: references that name
     * existing objects (and the parent flags they need), the natural key unique per kind (per
     * parent), values unique across kinds within their scope (an extension in its partition),
     * and for memberships: one member once, no list inside itself.
     */
    private check(spec: ObjectSpec, id: string, record: CupiRecord, changed: CupiRecord, parentId: string | undefined, made: boolean, creating: boolean): void {
        const parent = spec.parent && parentId !== undefined ? this.table(spec.parent.kind).get(parentId) : undefined;
        for (const [cupi, v] of Object.entries(changed)) {
            const f = spec.byCupi.get(cupi);
            if (!f || v === "") continue;
            const kinds = f.ref ? [f.ref, ...(f.refAlso ?? [])] : [];
            if (kinds.length && !kinds.some((k) => this.has(k, String(v)))) {
                throw invalid(`${cupi} ${String(v)} does not name ${kinds.map((k) => `a ${phrase(k)}`).join(" or ")}`);
            }
            if (f.onlyIf && parent?.[f.onlyIf] !== true) {
                throw invalid(`${cupi}: ${this.describe({ kind: spec.parent!.kind, key: parentId! })} does not take it (its ${f.onlyIf} is false); set ${f.onlyIf} true first`);
            }
        }
        const key = spec.key;
        if (key && key in changed && !made && record[key] !== undefined && record[key] !== "") {
            const t = this.table(spec.kind);
            const clash = t.find(key, record[key]).find((k) => k !== id && sameParent(spec, t.get(k)!, record) && !this.owners.has(`${spec.kind}/${k}`));
            if (clash) throw invalid(`${key} '${String(record[key])}' is already used by another ${phrase(spec.kind)}${parent ? ` of ${this.describe({ kind: spec.parent!.kind, key: parentId! })}` : ""}`);
        }
        for (const f of spec.fields) {
            const scope = f.unique?.scope;
            const v = record[f.cupi];
            if (!f.unique || v === undefined || v === "" || (!(f.cupi in changed) && !(scope && scope in changed))) continue;
            const holder = this.holderOf(f, v, scope ? record[scope] : undefined, { kind: spec.kind, key: id });
            // What CUPI says on a clash is undocumented (EVERYDAY.md §13 item 19): ours names the
            // scope (the partition) and the holder, as the admin pages do.
            if (holder) {
                const scopeField = scope ? spec.byCupi.get(scope) : undefined;
                const scopeKind = scopeField?.ref ?? (scope === spec.parent?.field ? spec.parent?.kind : undefined);
                const where = scopeKind && scope ? ` in ${this.describe({ kind: scopeKind, key: String(record[scope]) })}` : "";
                throw invalid(`${f.cupi} ${String(v)} is already in use${where} by ${this.describe(holder)}`);
            }
        }
        const member = creating && parentId !== undefined ? spec.oneOf?.find((c) => record[c] !== undefined && record[c] !== "") : undefined;
        if (member) this.checkMembership(spec, member, String(record[member]), parentId!);
    }

    /** Who else holds a value unique across kinds (`Field.unique`) in the same scope. */
    private holderOf(f: Field, v: Scalar, scopeValue: Scalar | undefined, self: Place): Place | undefined {
        for (const { kind, field: g } of facts().namespaces.get(f.unique!.namespace) ?? []) {
            const t = this.table(kind);
            for (const k of t.find(g.cupi, v)) {
                if (kind === self.kind && k === self.key) continue;
                const otherScope = g.unique!.scope ? t.get(k)![g.unique!.scope] : undefined;
                if (indexValue(otherScope ?? "") === indexValue(scopeValue ?? "")) return { kind, key: k };
            }
        }
        return undefined;
    }

    /** A member joins a parent once; a parent of its own kind (a nested list) never contains itself. */
    private checkMembership(spec: ObjectSpec, field: string, memberId: string, parentId: string): void {
        const memberKind = this.memberOf(spec, { [field]: memberId })?.kind;
        const member = memberKind ? this.describe({ kind: memberKind, key: memberId }) : memberId;
        const parentKind = spec.parent!.kind;
        const parent = this.describe({ kind: parentKind, key: parentId });
        // EVERYDAY.md §6.2 leaves a duplicate add open: refused, so that a membership is one row and one DELETE removes it.
        if (this.rowsOf(spec.kind, parentId).some((r) => indexValue(r[field] ?? "") === indexValue(memberId))) {
            throw invalid(`${capital(member)} is already a member of ${parent}`);
        }
        if (spec.byCupi.get(field)!.ref !== parentKind) return;
        if (indexValue(memberId) === indexValue(parentId)) throw invalid(`A ${phrase(parentKind)} cannot be a member of itself`);
        const t = this.table(spec.kind);
        const seen = new Set([indexValue(memberId)]);
        const todo = [memberId];
        while (todo.length) {
            for (const k of t.find(spec.parent!.field, todo.pop()!)) {
                const inner = t.get(k)![field];
                if (inner === undefined || inner === "") continue;
                if (indexValue(inner) === indexValue(parentId)) throw invalid(`${capital(member)} contains ${parent} (through its members): adding it would make a cycle`);
                if (!seen.has(indexValue(inner))) {
                    seen.add(indexValue(inner));
                    todo.push(String(inner));
                }
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /** `POST`: the body's fields and the query string's create parameters (`?templateAlias=`). */
    create(kind: Kind, raw: Record<string, unknown>, parentId?: string, query: URLSearchParams = new URLSearchParams()): string {
        const spec = specOf(kind);
        const id = this.insert(kind, this.accept(spec, raw, "create"), this.params(spec, query), parentId);
        this.persist();
        return this.uriOf(spec, this.table(kind).get(id)!);
    }

    /**
     * Makes an object: the table's defaults, then its template's values, then what was sent; then
     * what CUC makes with it. `made`: an object made with another (its owner), or with a given id.
     */
    private insert(kind: Kind, given: CupiRecord, params: CupiRecord, parentId?: string, made: { id?: string; owner?: Place } = {}): string {
        const spec = specOf(kind);
        const parent = spec.parent && parentId !== undefined ? this.table(spec.parent.kind).get(parentId) : undefined;
        if (spec.parent) {
            const { kind: parentKind, field } = spec.parent;
            if (!parent) throw notFound(specOf(parentKind), parentId ?? "");
            if (given[field] !== undefined && given[field] !== parentId) {
                throw invalid(`${field} ${String(given[field])} does not match the ${specOf(parentKind).noun} in the path (${parentId})`);
            }
            given[field] = parentId!;
        }
        if (spec.oneOf && spec.oneOf.filter((c) => given[c] !== undefined && given[c] !== "").length !== 1) {
            throw invalid(`Give exactly one of ${spec.oneOf.join(", ")}`);
        }
        if (kind === "ExternalService" && given.TenantObjectId !== undefined && !this.has("Tenant", String(given.TenantObjectId))) {
            throw invalid(`TenantObjectId ${given.TenantObjectId} does not name a tenant`);
        }
        const template = this.templateOf(spec, params, made.owner !== undefined);
        const id = made.id ?? randomUUID();
        // The template's name is no field of the object (CUPI never returns it); other parameters are.
        const kept: CupiRecord = {};
        for (const [k, v] of Object.entries(params)) if (k !== spec.createdFrom?.param) kept[k] = v;
        const record = withDefaults(spec, Object.assign({ ObjectId: id }, this.inherited(spec, template?.record), kept, given));
        // What it owns gets an ObjectId derived from its own, so that seeded data is the same every time.
        if (spec.owns) record[spec.owns.field] = derivedId(id, spec.owns.kind);
        if (spec.byCupi.has("CreationTime") && record.CreationTime === undefined) record.CreationTime = now();
        if (spec.byCupi.get("LocationObjectId")?.access === "ro" && record.LocationObjectId === undefined) {
            const here = [...this.table("Location").rows.values()].find((l) => l.IsPrimary === true);
            if (here) record.LocationObjectId = here.ObjectId;
        }
        this.fillScopes(spec, record, parent);
        this.requireMandatory(spec, record);
        this.check(spec, id, record, { ...params, ...given }, parentId, made.owner !== undefined, true);
        this.table(kind).set(id, record);
        this.madeWith(spec, id, record, template);
        return id;
    }

    /** The template a create names in its `createdFrom` parameter: unknown is CUPI's 400, and so (strictly) is none. */
    private templateOf(spec: ObjectSpec, params: CupiRecord, made: boolean): (Place & { record: CupiRecord }) | undefined {
        if (!spec.createdFrom) return undefined;
        const { param, kind, by } = spec.createdFrom;
        const value = params[param];
        const what = phrase(kind);
        if (value === undefined || value === "") {
            if (made) return undefined; // an object made with another may have no template of its own
            // EVERYDAY.md §13 item 2 and §12 item 2: CUPI's answer without a template is undocumented;
            // we are strict, as Cisco's SDK and cupi-cli always send one.
            throw invalid(`${param} is required: create the ${phrase(spec.kind)} from a ${what} (?${param}=<its ${by}>)`);
        }
        const t = this.table(kind);
        const key = by === "ObjectId" ? (t.get(String(value)) ? String(value) : undefined) : t.find(by, value)[0];
        if (key === undefined) throw invalid(`No ${what} has ${by} '${String(value)}' (${param})`);
        return { kind, key, record: t.get(key)! };
    }

    /**
     * What a new object takes from its template: the fields both declare that a client may write
     * on the new one (a user's COS, partition, search spaces, phone system, time zone, city...),
     * and the references the template holds (a user template's call handler template); never what
     * names either of them (their keys, DisplayName).
     */
    private inherited(spec: ObjectSpec, template: CupiRecord | undefined): CupiRecord {
        const out: CupiRecord = {};
        if (!template) return out;
        const from = specOf(spec.createdFrom!.kind);
        const naming = new Set([spec.key, from.key, "DisplayName", "ObjectId", "URI"]);
        for (const f of spec.fields) {
            const v = template[f.cupi];
            if (v === undefined || naming.has(f.cupi) || !from.byCupi.has(f.cupi)) continue;
            if (f.access === "rw" || f.param || (f.access === "ro" && f.ref)) out[f.cupi] = v;
        }
        return out;
    }

    /**
     * A scope left empty (an extension's partition) is the parent's (an alternate extension's is
     * its user's), else the built-in object of that kind (the server's default partition).
     */
    private fillScopes(spec: ObjectSpec, record: CupiRecord, parent: CupiRecord | undefined): void {
        for (const f of spec.fields) {
            const scope = f.unique?.scope;
            if (!scope || (record[scope] !== undefined && record[scope] !== "")) continue;
            const ref = spec.byCupi.get(scope)?.ref;
            const value = parent?.[scope] ?? (ref ? this.builtIn(ref) : undefined);
            if (value !== undefined) record[scope] = value;
        }
    }

    private builtIn(kind: Kind): Scalar | undefined {
        const flag = specOf(kind).undeletable;
        return flag ? [...this.table(kind).rows.values()].find((r) => r[flag] === true)?.ObjectId : undefined;
    }

    /**
     * What CUC makes with an object: its singletons take the template's (a user's PIN and web
     * password start as its template's, flags included), and the object it owns is created (a
     * user's primary call handler, from the template's call handler template). Fixed sets need
     * nothing: they are rendered from their defaults until a PUT changes them.
     */
    private madeWith(spec: ObjectSpec, id: string, record: CupiRecord, template: Place | undefined): void {
        const suffix = (s: ObjectSpec) => s.path.split("{parent}")[1];
        const children = facts().children;
        for (const s of template ? children.get(spec.kind) ?? [] : []) {
            if (!s.singleton) continue;
            const from = children.get(template!.kind)?.find((x) => x.singleton && suffix(x) === suffix(s));
            const values = from && this.table(from.kind).get(template!.key);
            if (!values) continue;
            const copy: CupiRecord = { ...values, [s.parent!.field]: id };
            if (s.byCupi.has("TimeChanged") && s.fields.some((f) => f.secret && copy[f.cupi])) copy.TimeChanged = credentialTime();
            this.table(s.kind).set(id, copy);
        }
        if (!spec.owns) return;
        const { field, kind, template: via, values } = spec.owns;
        const child = specOf(kind);
        const childTemplate = via && template ? this.table(template.kind).get(template.key)?.[via] : undefined;
        const owner = { kind: spec.kind, key: id };
        const childId = this.insert(kind, { ...values?.(record) }, childTemplate !== undefined && child.createdFrom ? { [child.createdFrom.param]: childTemplate } : {}, undefined, { id: String(record[field]), owner });
        this.owners.set(`${kind}/${childId}`, owner);
    }

    /** `POST /vmrest/httpslinks/operation/autojoin`. */
    autojoin(raw: Record<string, unknown>): string {
        const spec = SPECS.HttpsLink;
        const given = this.accept(spec, raw, "create");
        this.requireMandatory(spec, given);
        if (given.UseSSL === false) throw invalid("UseSSL must be true to join a Connection site (HTTPS networking requires SSL)");
        const remote = String(given.RemoteServer).trim();
        for (const link of this.table("HttpsLink").rows.values()) {
            if (link.Deleted !== true && String(link.RemoteServer).toLowerCase() === remote.toLowerCase()) {
                throw invalid(`This server is already joined to ${remote}`);
            }
        }
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
            TimeOfLastSync: now(),
            Deleted: false,
            DirectorySynchronizationRole: 0,
            WarningMode: false,
        };
        this.table("HttpsLink").set(id, record);
        this.persist();
        return `/vmrest/httpslinks/${id}`;
    }

    /** `PUT`: of an object by ObjectId, of a fixed-set member by key, of a singleton (no key). */
    update(kind: Kind, key: string | undefined, raw: Record<string, unknown>, parentId?: string): void {
        const spec = specOf(kind);
        const found = this.locate(kind, key ?? "", parentId);
        // CUPI answers a PUT to an unknown id with 400 DATA_EXCEPTION, not 404.
        if (!found || found.via === "computed") throw invalid(`${spec.element} not found`);
        if (found.via === "sparse") this.requirePolicy(spec, raw);
        // Port groups: only the two MWI codes are writable in scope; other fields are ignored.
        const allowed = kind === "PortGroup" ? new Set(["MwiOnCode", "MwiOffCode"]) : undefined;
        const given = this.accept(spec, raw, "update", allowed);
        if (found.via === "mirror") {
            // The parent's own row: a PUT changes the parent (a user's primary extension).
            const parentKind = spec.parent!.kind;
            const mirrored = Object.fromEntries(Object.entries(given).filter(([c]) => spec.mirrorsParent!.fields.includes(c)));
            this.updateStored(specOf(parentKind), parentId!, this.table(parentKind).get(parentId!)!, mirrored);
        } else if (found.via === "sparse") this.updateSparse(spec, found, given);
        else this.updateStored(spec, found.place.key, found.row, given);
        this.persist();
    }

    private updateStored(spec: ObjectSpec, id: string, current: CupiRecord, given: CupiRecord): void {
        if (spec.kind === "HttpsLink") {
            if (current.Deleted === true) throw invalid("The HTTPS link has been unjoined and is awaiting clean-up");
            if (current.SyncDistributionLists === true && given.SyncDistributionLists === false) {
                throw invalid("SyncDistributionLists cannot be disabled once it has been enabled");
            }
            if (typeof given.RemoteServer === "string") given.BaseFeedURL = `https://${given.RemoteServer.trim()}/feeder`;
        }
        for (const [cupi, v] of Object.entries(given)) {
            if (v === "" && isMandatory(spec.byCupi.get(cupi)!)) throw invalid(`${cupi} cannot be empty`);
        }
        const record = { ...current, ...given };
        const parentId = spec.parent ? String(current[spec.parent.field]) : undefined;
        this.check(spec, id, record, given, parentId, this.owners.has(`${spec.kind}/${id}`), false);
        this.table(spec.kind).set(id, record);
    }

    /** A singleton or fixed-set member: only what a PUT set is stored, over the defaults it is rendered from. */
    private updateSparse(spec: ObjectSpec, found: Found, given: CupiRecord): void {
        const parentId = String(found.row[spec.parent!.field]);
        this.check(spec, found.place.key, { ...found.row, ...given }, given, parentId, false, false);
        if ("TimeExpires" in given) {
            const t = expiry(given.TimeExpires);
            if (t === undefined) throw invalid(`Invalid value '${String(given.TimeExpires)}' for TimeExpires: expected a GMT time like 2030-12-31 23:59:00.0, or empty for enabled forever`);
            // EVERYDAY.md §7.2, §7.4: the Standard transfer rule and greeting are always on.
            if (spec.addressedBy && found.row[spec.addressedBy] === "Standard" && t <= Date.now()) throw invalid(`The Standard ${phrase(spec.kind)} cannot be disabled`);
        }
        const t = this.table(spec.kind);
        const identity: CupiRecord = { [spec.parent!.field]: parentId, ...(spec.addressedBy ? { [spec.addressedBy]: found.row[spec.addressedBy] } : {}) };
        const values: CupiRecord = { ...(t.get(found.place.key) ?? identity), ...given };
        if (spec.byCupi.has("TimeChanged") && spec.fields.some((f) => f.secret && f.cupi in given)) values.TimeChanged = credentialTime();
        t.set(found.place.key, values);
    }

    /**
     * `DELETE`: refused for a built-in, for an object made with another (delete that one), and
     * while anything outside what goes with it refers to it (the message names each referrer).
     * What goes with it: the objects it owns, its sub-collections and sparse children, and the
     * records deleted with what they refer to (a user's list memberships). Deleting a partition or
     * class of service in use is undocumented (EVERYDAY.md §8, §10 [OPEN]): refused like any object
     * referred to, since users, lists and extensions would be left pointing at nothing.
     */
    delete(kind: Kind, key: string, parentId?: string): void {
        const spec = specOf(kind);
        const found = this.locate(kind, key, parentId);
        if (!found) throw notFound(spec, key);
        if (found.via === "mirror") {
            const m = spec.mirrorsParent!;
            throw invalid(`The ${phrase(spec.kind)} with ${m.field} ${String(m.value)} is the ${phrase(spec.parent!.kind)}'s own ${m.fields.join(" and ")}: change those on the ${phrase(spec.parent!.kind)} instead`);
        }
        if (found.via !== "stored") throw invalid(`The members of ${ALL_USERS_LIST_ALIAS} are every user with a mailbox: they cannot be removed`);
        const place = found.place;
        if (spec.undeletable && found.row[spec.undeletable] === true) throw invalid(`${capital(this.describe(place))} is built in (${spec.undeletable}): it cannot be deleted`);
        const owner = this.owners.get(`${kind}/${key}`);
        if (owner) {
            const what = phrase(owner.kind);
            throw invalid(`${capital(this.describe(place))} goes with its ${what}: delete the ${what} instead`);
        }
        const { doomed, blockers } = this.consequences(place);
        if (blockers.length) throw invalid(this.referred(place, blockers));
        if (kind === "PhoneSystem") {
            const groups = this.table("PortGroup").find("MediaSwitchObjectId", key);
            if (groups.length && this.opts.blockDeleteWithPortGroups) {
                throw invalid(`Cannot delete the phone system: it has ${groups.length} port group(s); delete them first`);
            }
            for (const g of groups) {
                for (const p of this.table("Port").find("MediaPortGroupObjectId", g)) this.table("Port").delete(p);
                this.table("PortGroup").delete(g);
            }
        }
        for (const d of doomed) {
            this.table(d.kind).delete(d.key);
            this.owners.delete(`${d.kind}/${d.key}`);
        }
        this.persist();
    }

    /** What a delete takes with it, and the references from elsewhere that stand in its way. */
    private consequences(target: Place): { doomed: Place[]; blockers: Referrer[] } {
        const doomed: Place[] = [];
        const seen = new Set<string>();
        const visit = (p: Place) => {
            if (seen.has(`${p.kind}/${p.key}`)) return;
            seen.add(`${p.kind}/${p.key}`);
            doomed.push(p);
            const spec = specOf(p.kind);
            const owned = spec.owns && this.table(p.kind).get(p.key)?.[spec.owns.field];
            if (owned && this.has(spec.owns!.kind, String(owned))) visit({ kind: spec.owns!.kind, key: String(owned) });
            for (const child of facts().children.get(p.kind) ?? []) {
                if (isDerived(child.kind)) continue;
                for (const key of this.table(child.kind).find(child.parent!.field, p.key)) visit({ kind: child.kind, key });
            }
        };
        visit(target);
        const blockers: Referrer[] = [];
        // doomed grows while this runs (records deleted with what they refer to); seen bounds it.
        for (let i = 0; i < doomed.length; i++) {
            for (const { kind, field } of facts().refsTo.get(doomed[i].kind) ?? []) {
                for (const key of this.table(kind).find(field.cupi, doomed[i].key)) {
                    if (seen.has(`${kind}/${key}`)) continue;
                    if (field.deletedWithRef) visit({ kind, key });
                    else blockers.push({ kind, key, field: field.cupi });
                }
            }
        }
        return { doomed, blockers };
    }

    /** The 400 of a delete refused while referred to: the referrers by kind, each named with the field. */
    private referred(target: Place, blockers: Referrer[]): string {
        const byKind = new Map<string, Referrer[]>();
        for (const b of blockers) {
            const list = byKind.get(b.kind) ?? [];
            if (!list.length) byKind.set(b.kind, list);
            list.push(b);
        }
        const SHOWN = 5;
        const parts = [...byKind].map(([kind, list]) => {
            const named = list.slice(0, SHOWN).map((b) => `${this.describe(b)} (${b.field})`);
            if (list.length > SHOWN) named.push(`${list.length - SHOWN} more`);
            return `${list.length} ${phrase(kind)}(s) are associated with it (${named.join(", ")})`;
        });
        return `Cannot delete ${this.describe(target)}: ${parts.join("; ")}. Re-point or remove those references first`;
    }

    /** A `subscriberdependencies` row: the object that refers to the user (climbing to the top-level one that holds the reference) and how. */
    private dependency(userId: string, b: Referrer): CupiRecord {
        let entity: Place = b;
        for (let depth = 0; depth < 8; depth++) {
            const spec = specOf(entity.kind);
            const owner = this.owners.get(`${entity.kind}/${entity.key}`);
            if (owner) entity = owner;
            else if (spec.parent) entity = { kind: spec.parent.kind, key: String(this.table(entity.kind).get(entity.key)?.[spec.parent.field]) };
            else break;
        }
        const spec = specOf(b.kind);
        const row = this.table(b.kind).get(b.key)!;
        const entitySpec = specOf(entity.kind);
        const entityRow = this.table(entity.kind).get(entity.key) ?? {};
        // `Standard Greeting` (a fixed-set member), `Owner` (a membership row), `Recipient` (a field).
        const how = spec.addressedBy ? `${String(row[spec.addressedBy])} ${spec.element}`
            : spec.parent && !spec.key ? spec.element.replace(/^.*(?=[A-Z][a-z]+$)/, "")
            : b.field.replace(/(Subscriber|User|Handler|DistributionList)?ObjectId$/, "").replace(/(?<=[a-z])(?=[A-Z])/g, " ");
        return {
            ObjectId: seededGuid(`${b.kind}/${b.key}/${b.field}`, 0),
            SubscriberObjectId: userId,
            DependentEntityOwnerType: entitySpec.element,
            DependentEntityOwnerObjectId: entity.key,
            DependentEntityOwnerName: String(entityRow[entitySpec.key ?? "DisplayName"] ?? entityRow.DisplayName ?? entity.key),
            DependencyType: how,
        };
    }

    /** Marks a link deleted; the clean-up task removes it later. */
    unjoin(id: string): void {
        const link = this.table("HttpsLink").get(id);
        if (!link) throw notFound(SPECS.HttpsLink, id);
        this.table("HttpsLink").set(id, { ...link, Deleted: true });
        this.persist();
        this.schedulePurge(id);
    }

    unjoinSelf(): number {
        let n = 0;
        const links = this.table("HttpsLink");
        for (const [id, link] of links.rows) {
            if (link.Deleted !== true) {
                links.set(id, { ...link, Deleted: true });
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
        const links = this.table("HttpsLink");
        for (const [id, link] of links.rows) {
            if (link.Deleted === true) {
                links.delete(id);
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

function discriminatorOf(spec: ObjectSpec, r: CupiRecord): number | undefined {
    return spec.discriminator ? (r[spec.discriminator] as number | undefined) : undefined;
}

/**
 * The field table's defaults for what the record leaves out, read-only fields included: the
 * server sets those itself (an AXL server's SkinnyStateMachineEnum is 10 on the seed).
 */
function withDefaults(spec: ObjectSpec, r: CupiRecord): CupiRecord {
    const disc = discriminatorOf(spec, r);
    let out = disc === undefined ? defaults.get(spec) : undefined;
    if (!out) {
        out = {};
        for (const f of spec.fields) {
            if (f.default !== undefined && !f.param && appliesTo(f, disc)) out[f.cupi] = f.default;
        }
        if (disc === undefined) defaults.set(spec, out);
    }
    return Object.assign({}, out, r);
}
const defaults = new WeakMap<ObjectSpec, CupiRecord>();

/** Two rows of a sub-collection are under the same parent (top-level rows always are). */
function sameParent(spec: ObjectSpec, a: CupiRecord, b: CupiRecord): boolean {
    return !spec.parent || a[spec.parent.field] === b[spec.parent.field];
}

/** Checks one request value against its field: type, enum, range, length, pattern, format, rule. Never echoes a secret. */
function checkValue(f: Field, value: unknown): Scalar {
    const typed = coerce(f, typeof value === "string" && f.type !== "string" ? value.trim() : value);
    const shown = f.secret ? "(not shown)" : typeof value === "string" ? `'${value}'` : JSON.stringify(value);
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
        if (f.pattern && !f.pattern.test(typed)) throw invalid(`Invalid value ${shown} for ${f.cupi}${f.expected ? `: expected ${f.expected}` : ""}`);
        const format = f.format && FORMATS[f.format];
        if (format && typed !== "" && !format.test(typed)) throw invalid(`Invalid value ${shown} for ${f.cupi}: expected ${format.expected}`);
    }
    const why = f.validate?.(typed);
    if (why) throw invalid(`Invalid value ${shown} for ${f.cupi}: ${why}`);
    return typed;
}
