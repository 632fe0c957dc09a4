/**
 * What a resource definition declares: which fields of a CUPI object the resource manages, how
 * its id is formed, and the few things that differ from plain CRUD (as named hooks and fields,
 * never as special cases in the engine). `defineResource` fills in the defaults and checks the
 * flags are consistent, so a mistake fails at load time rather than in a user's `pulumi up`.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { isCupiError } from "../client/cupi-error";
import { SPECS } from "../specs";
import { GUID_RE, isMandatory, phraseOf, type Field, type ObjectSpec, type Scalar } from "../specs/types";

type Props = Record<string, unknown>;

/** An input that is not a CUPI field (e.g. PortGroupMwi's restoreOnDelete). */
export interface ExtraInput {
    name: string;
    type: "string" | "boolean";
    doc: string;
    replace?: boolean;
    guid?: boolean;
    mandatory?: boolean;
}

/**
 * Fields of a sub-object that exists with the resource's object, managed as the resource's own
 * inputs: a singleton (`credential/pin`, `mailboxattributes`) or one of a fixed set addressed by
 * `key` (`transferoptions/Off Hours`). Written with one PUT of that sub-object after the object
 * itself; read back only when the program manages a field CUPI returns.
 */
export interface Part {
    spec: ObjectSpec;
    /** Which one of a fixed set (a value of the spec's `addressedBy` field); none for a singleton. */
    key?: string;
    inputs: readonly Field[];
}

/**
 * An input that is a list of ObjectIds, kept as rows of a membership sub-collection under the
 * object (distribution list members, search space partitions): POST adds a row, DELETE of the
 * row's own ObjectId removes it, there is no PUT. A set unless `order` names the row field that
 * holds the 1-based position (unique per parent): then an ordered list.
 */
export interface MemberList {
    /** The input's name (`users`, `partitions`). */
    name: string;
    /** The membership sub-collection: its parent is the resource's object. */
    spec: ObjectSpec;
    /** The row field holding the member's ObjectId, which a POST sends. */
    field: string;
    /** The row field holding the position: an ordered list. */
    order?: string;
    /** Values every row of this list has and its POST sends (a schedule set's holidays: Exclude true). */
    fixed?: CupiRecord;
    doc: string;
}

/**
 * An input in the program's words that CUPI keeps in fields of its own: a time "08:30" as minutes
 * after midnight, days as seven flags, "enabled" as TimeExpires. Encoded and decoded in one place.
 */
export interface Codec {
    name: string;
    /** Its type in the program. */
    type: "string" | "boolean" | "integer" | "string[]";
    doc: string;
    example?: unknown;
    /** The CUPI fields it is kept in. */
    from: readonly string[];
    /** Why a value is refused (said before any request), or undefined. */
    check?(v: unknown): string | undefined;
    /** The one spelling of a value (as decode gives it back), so that another spelling is no change. */
    normalize?(v: unknown): unknown;
    /** Its CUPI fields, from its value and the rest of the child it is in (enabled and its end time make one TimeExpires). */
    encode(v: unknown, child: Record<string, unknown>): CupiRecord;
    /** Its value as the server holds it; undefined when the fields say nothing. */
    decode(r: CupiRecord): unknown;
}

/** One kind of child as the program writes it: some fields of a CUPI object, and codecs. */
export interface ChildShape {
    /** Its type's name in the schema and the SDKs (`TransferRule`). */
    type: string;
    spec: ObjectSpec;
    fields: readonly Field[];
    codecs?: readonly Codec[];
    /** What CUPI refuses of a child as a whole: the reasons, each naming the input and the fix. */
    rules?: (child: Record<string, unknown>, key: string, isUnknown: (v: unknown) => boolean) => string[];
    doc: string;
}

/**
 * Fixed children of the object (created with it, addressed by key: `transferoptions/Off Hours`),
 * managed as one nested input keyed by the program's names: `{ offHours: { action: 1, ... } }`.
 * Only the children the program sets are managed, and in them only the fields it sets; each
 * changed child is one PUT of that child.
 */
export interface ChildSet {
    name: string;
    shape: ChildShape;
    /** The program's key of each child -> its CUPI key. */
    keys: Readonly<Record<string, string>>;
    /** They live under the object a field of the resource's own object names (a user's primary call handler): its CUPI name. */
    under?: string;
    /**
     * The object stays when the program lets go (a user's primary handler): a child it stops
     * managing, or all of them when the object is forgotten, is put back as it was before.
     */
    restore?: boolean;
    doc: string;
}

/**
 * Rows of a sub-collection the program gives as a list of objects (a schedule's time blocks, a
 * holiday schedule's holidays): a row is matched by `key` (an input of the shape, e.g. the
 * holiday's name) when the program gives it, else by its whole content; a matched row that
 * differs is one PUT, a new one a POST, one no longer listed a DELETE.
 */
export interface RowList {
    name: string;
    shape: ChildShape;
    key?: string;
    doc: string;
}

/** An output taken from the object as it was before the resource first changed it, then kept. */
export interface CarriedOutput {
    name: string;
    /** The CUPI field it is taken from. */
    from: string;
    doc: string;
}

export interface Ops {
    /** Creates the object; returns its ObjectId, and the object as it was before if it existed. */
    create(c: CupiClient, fields: CupiRecord, inputs: Props, parentId?: string): Promise<{
        objectId: string;
        recovered: boolean;
        /** The existing object before it was changed (resources that patch an existing object). */
        before?: CupiRecord;
        /** Fields the create request cannot carry, PUT right after (the engine does it safely). */
        followUp?: CupiRecord;
    }>;
    /** The object, or undefined when it is gone. */
    get(c: CupiClient, objectId: string, parentId?: string): Promise<CupiRecord | undefined>;
    /**
     * The same, for a refresh, which reads every object of the stack: from a listing of the kind when
     * that is cheaper (CupiClient.findInRun). Absent: get. A definition with its own get gives its own read too.
     */
    read?(c: CupiClient, objectId: string, parentId?: string): Promise<CupiRecord | undefined>;
    update(c: CupiClient, objectId: string, fields: CupiRecord, parentId?: string): Promise<void>;
    /** Deletes the object; an object already gone is not an error. */
    remove(c: CupiClient, objectId: string, props: Props, parentId?: string): Promise<void>;
}

/** How cuc-import writes this kind (see provider/import/importer.ts). */
export interface ImportSpec {
    /** The `--kinds` word, e.g. `phonesystems`. */
    word: string;
    /** How the summary counts them (default: phrase + "(s)"). */
    plural?: string;
    /** Optional write-only inputs the program should still ask for, and their stack configuration keys after the resource's variable (mandatory ones use the input name). */
    configKeys?: Record<string, string>;
    /** The text a resource's name and variable are made from (default: DisplayName). */
    label?: (record: CupiRecord, parentLabel?: string) => string;
    /** Skip objects that are not really there (e.g. unjoined links). */
    keep?: (record: CupiRecord) => boolean;
    /** A comment above the resource. */
    comment?: (record: CupiRecord) => string;
}

/**
 * One output of a resource and where its value comes from: the one list of output names that
 * the engine (outputsFrom), the schema, the SDK classes and their registered properties read.
 */
export type ResourceOutput =
    /** A CUPI field the server returns (read-only or read-write). */
    | { name: string; from: "field"; field: Field }
    /** A write-only input: CUPI never returns it, the output is the value the program set. */
    | { name: string; from: "input"; field: Field }
    | { name: string; from: "extra"; extra: ExtraInput }
    /** A field of a sub-object (Part): what the server returns when it is read, else the value set. */
    | { name: string; from: "part"; field: Field; part: Part }
    /** A member list: the ObjectIds of its rows. */
    | { name: string; from: "members"; members: MemberList }
    /** Fixed children: what the program manages of each, as the server holds it. */
    | { name: string; from: "children"; children: ChildSet }
    /** A list of rows (a schedule's blocks). */
    | { name: string; from: "rows"; rows: RowList }
    | { name: string; from: "carried"; carried: CarriedOutput }
    /** The server the object lives on (read, update and delete refuse another). */
    | { name: "cucServer"; from: "server"; doc: string };

export interface ResourceDef {
    /** Type token `cuc:<kind>`. */
    kind: string;
    /** One sentence for the docs. */
    summary: string;
    /** What its own messages call one: "phone system" (default: the spec's words, phraseOf). */
    phrase: string;
    spec: ObjectSpec;
    /** CUPI fields the user manages: the object's own, then its parts' (partOf tells which). */
    inputs: readonly Field[];
    /** Sub-objects whose fields are inputs too (their fields are in `inputs`). */
    parts?: readonly Part[];
    /** The part an input belongs to (none: the object itself). */
    partOf: ReadonlyMap<string, Part>;
    /** Inputs that are lists of ObjectIds kept as membership rows. */
    members?: readonly MemberList[];
    /** Nested inputs of fixed children addressed by key. */
    children?: readonly ChildSet[];
    /** Inputs that are lists of rows of a sub-collection. */
    rows?: readonly RowList[];
    extraInputs?: readonly ExtraInput[];
    /** Inputs used only to create the object (join credentials, the template): never diffed, never replaced. */
    ignoreChanges?: readonly string[];
    /**
     * Inputs written only together with another input (a PIN's "must change at first sign-in"
     * flag goes with the PIN): never diffed or read back on their own, so a user who changes
     * their PIN does not get the flag set again by the next update.
     */
    appliesWith?: Readonly<Record<string, string>>;
    /**
     * What deleting the object destroys (a user's mailbox and messages): a replace would destroy it
     * too, so no input replaces such an object (defineResource refuses one) and moving it to
     * another server is refused by check.
     */
    holdsData?: string;
    /**
     * The read-only CUPI fields the resource returns besides its inputs (default: every field of the
     * object). A user has about a hundred: the state, which the engine rewrites after every step,
     * keeps what programs use.
     */
    exposes?: readonly string[];
    /** What still refers to an object whose delete CUPI refused (a user's dependencies), for the message. */
    dependents?: (c: CupiClient, objectId: string) => Promise<string[]>;
    /** DisplayName may be omitted: the resource name plus a suffix derived from the stack and the name. */
    autoName?: boolean;
    /**
     * Derived from the spec's parent, never declared here: the kind of the object this one lives
     * under (a resource or not), the input holding its ObjectId (the parent field's name), and what
     * messages call the parent (its spec's words, phraseOf: the same under every definition).
     */
    parent?: { kind: string; input: string; phrase: string };
    /** The resource manages an existing object named by this input: it never creates or deletes it. */
    existing?: { input: string };
    /** Fixed CUPI values sent on create. */
    createDefaults?: CupiRecord;
    /** Readable aliases for integer enum inputs, e.g. serverType "Office 365" -> 5. */
    aliases?: Record<string, Record<string, number>>;
    /** Cross-field rules: failures that name the input and the fix. */
    rules?: (news: Props, olds: Props, isUnknown: (v: unknown) => boolean) => { property: string; reason: string }[];
    /** Write-only inputs the object still reveals another way, by input name (for adoption). */
    readBack?: Record<string, (record: CupiRecord) => Scalar | undefined>;
    /** Outputs remembered from the object as it was before the resource changed it. */
    carried?: readonly CarriedOutput[];
    /** How messages name one existing object (default: its DisplayName, else its ObjectId). */
    recordName(record: CupiRecord): string;
    /** Every output, in order: derived from the spec, the inputs and the carried outputs. */
    outputs: readonly ResourceOutput[];
    /** How the resource id is formed from the ObjectId (and parent) and parsed back. */
    idFormat: string;
    makeId(objectId: string, parentId?: string): string;
    parseId(id: string): { objectId: string; parentId?: string } | undefined;
    ops: Ops;
    import: ImportSpec;
}

/** A definition as written: plain CRUD on the spec's path and an ObjectId id unless it says otherwise. */
export type ResourceDefInit = Omit<ResourceDef, "ops" | "idFormat" | "makeId" | "parseId" | "phrase" | "recordName" | "parent" | "outputs" | "partOf"> &
    Partial<Pick<ResourceDef, "ops" | "idFormat" | "makeId" | "parseId" | "phrase" | "recordName">>;

export const plainId = {
    idFormat: "the object's ObjectId (a GUID)",
    makeId: (objectId: string) => objectId,
    parseId: (id: string) => (GUID_RE.test(id) ? { objectId: id.toLowerCase() } : undefined),
};

/** A sub-collection's id: `<parentId>/<objectId>`, both GUIDs (its object is addressed under its parent). */
function childId(kind: string, phrase: string, parent: NonNullable<ResourceDef["parent"]>): Pick<ResourceDef, "idFormat" | "makeId" | "parseId"> {
    const article = /^[aeiou]/i.test(phrase) ? "an" : "a";
    return {
        idFormat: `\`<${parent.input}>/<${kind[0].toLowerCase()}${kind.slice(1)}ObjectId>\` (${article} ${phrase} is addressed under its ${parent.phrase})`,
        makeId: (objectId, parentId) => `${parentId}/${objectId}`,
        parseId: (id) => {
            const [parentId, objectId, extra] = id.split("/");
            return extra === undefined && GUID_RE.test(parentId ?? "") && GUID_RE.test(objectId ?? "")
                ? { objectId: objectId.toLowerCase(), parentId: parentId.toLowerCase() }
                : undefined;
        },
    };
}

/** The fields of a spec, by CUPI name. */
export const fields = (spec: ObjectSpec, names: string[]) => names.map((n) => {
    const f = spec.byCupi.get(n);
    if (!f) throw new Error(`${spec.kind} has no field ${n}`);
    return f;
});

/** The field auto-naming fills in: the object's natural key, else its DisplayName. */
export const autoNameField = (spec: ObjectSpec) => spec.key ?? "DisplayName";

/** An auto-named resource's name field: the one mandatory field a program may leave out. */
export const isAutoNamed = (def: Pick<ResourceDef, "autoName" | "spec">, f: Field) => Boolean(def.autoName) && f.cupi === autoNameField(def.spec) && def.spec.byCupi.get(f.cupi) === f;

/**
 * Whether a program must give this input: mandatory on create (for this discriminator value,
 * where CUPI makes it so per ServerType), except an auto-named DisplayName.
 */
export const isRequired = (def: Pick<ResourceDef, "autoName" | "spec">, f: Field, discriminatorValue?: number) => isMandatory(f, discriminatorValue) && !isAutoNamed(def, f);

/**
 * Whether the server never gives this input back (write-only, and not revealed another way): only
 * a create needs it, so an object that already exists (adopted, imported) may leave it out and
 * keeps the value it has. The secrets (passwords) are such inputs.
 */
export const onlyToCreate = (def: Pick<ResourceDef, "readBack">, f: Field) => f.access === "wo" && !def.readBack?.[f.name];

/**
 * The inputs every program must give, whatever the discriminator: required fields, then mandatory
 * extra inputs. Not those only a create needs (onlyToCreate): check asks for them when it creates.
 */
export const requiredInputs = (def: ResourceDef): string[] => [
    ...def.inputs.filter((f) => isRequired(def, f) && !onlyToCreate(def, f)).map((f) => f.name),
    ...(def.extraInputs ?? []).filter((x) => x.mandatory).map((x) => x.name),
];

/** Fields every object returns and every resource outputs: its ObjectId and URI. */
const SHARED_OUTPUTS = new Set(["ObjectId", "URI"]);

/**
 * The outputs: what the server returns (the readable inputs and what the definition exposes),
 * the write-only inputs, the parts' fields, member lists, extra inputs, carried outputs and the server.
 */
function outputsOf(def: Omit<ResourceDef, "outputs">): ResourceOutput[] {
    const outputs = new Map<string, ResourceOutput>();
    const exposed = (f: Field) => !def.exposes || SHARED_OUTPUTS.has(f.cupi) || def.exposes.includes(f.cupi) || f.cupi === def.spec.undeletable ||
        (def.inputs.includes(f) && !def.partOf.has(f.name));
    for (const f of def.spec.fields) if (f.access !== "wo" && exposed(f)) outputs.set(f.name, { name: f.name, from: "field", field: f });
    for (const f of def.inputs) {
        const part = def.partOf.get(f.name);
        if (part) outputs.set(f.name, { name: f.name, from: "part", field: f, part });
        else if (!outputs.has(f.name)) outputs.set(f.name, { name: f.name, from: "input", field: f });
    }
    for (const m of def.members ?? []) outputs.set(m.name, { name: m.name, from: "members", members: m });
    for (const c of def.children ?? []) outputs.set(c.name, { name: c.name, from: "children", children: c });
    for (const r of def.rows ?? []) outputs.set(r.name, { name: r.name, from: "rows", rows: r });
    for (const x of def.extraInputs ?? []) outputs.set(x.name, { name: x.name, from: "extra", extra: x });
    for (const c of def.carried ?? []) outputs.set(c.name, { name: c.name, from: "carried", carried: c });
    outputs.set("cucServer", { name: "cucServer", from: "server", doc: "The Connection server the object lives on (its origin URL)." });
    return [...outputs.values()];
}

/** Deletes, treating "already gone" as done. */
export async function removeIfThere(fn: () => Promise<unknown>): Promise<void> {
    try {
        await fn();
    } catch (e) {
        if (!isCupiError(e, "not-found")) throw e;
    }
}

/**
 * Looks an object up by its natural key (the spec's `key`; DisplayName if it declares none) after
 * an ambiguous POST, or when a create meets the object an interrupted run made.
 */
export const byKey = (c: CupiClient, spec: ObjectSpec, body: CupiRecord, parentId?: string) => async () => {
    const column = spec.key ?? "DisplayName";
    const value = body[column];
    if (value === undefined) return undefined;
    const found = await c.list(spec, { parentId, query: { column, value } });
    const exact = found.filter((r) => String(r[column]).toLowerCase() === String(value).toLowerCase());
    return exact.length === 1 ? String(exact[0].ObjectId) : undefined;
};

/** The names a shape takes: its fields' and its codecs'. */
export const shapeNames = (shape: ChildShape) => [...shape.fields.map((f) => f.name), ...(shape.codecs ?? []).map((c) => c.name)];

/** A child (or a row) as the server holds it, in the program's names: the given names only. */
export function decodeChild(shape: ChildShape, record: CupiRecord, names: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of shape.fields) if (names.includes(f.name) && record[f.cupi] !== undefined) out[f.name] = record[f.cupi];
    for (const c of shape.codecs ?? []) {
        if (!names.includes(c.name)) continue;
        const v = c.decode(record);
        if (v !== undefined) out[c.name] = v;
    }
    return out;
}

/**
 * A lookup a create needs (the system template's id, this server's location), made once per server
 * and run: a site's hundreds of handlers cost one request for it. A failed lookup is not kept.
 */
export function oncePerClient<T>(lookup: (c: CupiClient) => Promise<T>): (c: CupiClient) => Promise<T> {
    const found = new WeakMap<CupiClient, Promise<T>>();
    return (c) => {
        let p = found.get(c);
        if (!p) {
            p = lookup(c);
            p.catch(() => found.delete(c));
            found.set(c, p);
        }
        return p;
    };
}

/** Plain CRUD on the spec's collection (under the parent, if it has one). */
export function crud(spec: ObjectSpec): Ops {
    return {
        create: async (c, body, _inputs, parentId) => {
            const { id, recovered } = await c.createVerified(() => c.create(spec, body, parentId), byKey(c, spec, body, parentId));
            return { objectId: id, recovered };
        },
        get: (c, id, parentId) => c.find(spec, id, parentId),
        read: (c, id, parentId) => c.findInRun(spec, id, parentId),
        update: (c, id, body, parentId) => c.update(spec, id, body, parentId),
        remove: (c, id, _props, parentId) => removeIfThere(() => c.delete(spec, id, parentId)),
    };
}

/** Fills in the defaults and checks the flags: one meaning per flag, every input decided. */
export function defineResource(init: ResourceDefInit): ResourceDef {
    const { spec } = init;
    const parentField = spec.parent ? spec.byCupi.get(spec.parent.field)! : undefined;
    const parent = spec.parent && parentField ? { kind: spec.parent.kind, input: parentField.name, phrase: phraseOf(SPECS[spec.parent.kind]) } : undefined;
    const phrase = init.phrase ?? phraseOf(spec);
    const partOf = new Map((init.parts ?? []).flatMap((p) => p.inputs.map((f) => [f.name, p] as const)));
    const base = {
        ...(parent ? childId(init.kind, phrase, parent) : plainId),
        ops: crud(spec),
        // An object is named by its natural key where it has one (Alias, Name), else its display name.
        recordName: (r: CupiRecord) => String((spec.key ? r[spec.key] : undefined) ?? r.DisplayName ?? r.ObjectId),
        ...init,
        inputs: [...init.inputs, ...(init.parts ?? []).flatMap((p) => p.inputs)],
        partOf,
        phrase,
        ...(parent ? { parent } : {}),
    };
    const def: ResourceDef = { ...base, outputs: outputsOf(base) };
    // The default operations are CUPI's POST, PUT and DELETE: the field table must say they exist.
    const missing = init.ops ? [] : (["create", "update", "delete"] as const).filter((op) => !init.spec.operations.includes(op));
    if (missing.length) throw new Error(`${def.kind}: CUPI serves no ${missing.join(", ")} at /vmrest/${init.spec.path}; give the definition its own ops`);
    const nested = [...(def.members ?? []), ...(def.children ?? []), ...(def.rows ?? [])].map((x) => x.name);
    const names = new Set([...def.inputs.map((f) => f.name), ...(def.extraInputs ?? []).map((x) => x.name), ...nested]);
    if (names.size !== def.inputs.length + (def.extraInputs ?? []).length + nested.length) throw new Error(`${def.kind}: two inputs have the same name`);
    for (const c of def.children ?? []) {
        const { spec: cs } = c.shape;
        const allowed = cs.byCupi.get(cs.addressedBy ?? "")?.enum;
        const wrongKeys = Object.values(c.keys).filter((k) => !allowed || !(k in allowed));
        // Under the object a field names: its reference, or the object made with this one (a user's primary handler).
        const underKind = c.under ? spec.byCupi.get(c.under)?.ref ?? (spec.owns?.field === c.under ? spec.owns.kind : undefined) : spec.kind;
        if (!cs.addressedBy || cs.parent?.kind !== underKind || wrongKeys.length) {
            throw new Error(`${def.kind}.${c.name}: children are a fixed set of ${c.under ? `the object ${c.under} names` : spec.kind}, addressed by their ${cs.addressedBy ?? "key"} (${wrongKeys.join(", ")})`);
        }
        if (c.under && !(def.exposes ?? spec.fields.map((f) => f.cupi)).includes(c.under)) throw new Error(`${def.kind}.${c.name}: ${c.under} names where they live, so the resource must expose it`);
    }
    for (const r of def.rows ?? []) {
        if (r.shape.spec.parent?.kind !== spec.kind || !["list", "create", "delete"].every((op) => r.shape.spec.operations.includes(op as "list"))) {
            throw new Error(`${def.kind}.${r.name}: rows are a sub-collection of ${spec.kind} that CUPI lists, POSTs and DELETEs`);
        }
        if (r.key && ![...r.shape.fields.map((f) => f.name), ...(r.shape.codecs ?? []).map((x) => x.name)].includes(r.key)) throw new Error(`${def.kind}.${r.name}: its key ${r.key} is none of its fields`);
    }
    const withs = Object.entries(def.appliesWith ?? {});
    for (const n of [...(def.ignoreChanges ?? []), ...(def.carried ?? []).map((c) => c.name), ...Object.keys(def.readBack ?? {}), ...withs.flat()]) {
        if (!names.has(n) && !(def.carried ?? []).some((c) => c.name === n)) throw new Error(`${def.kind}: ${n} is not an input`);
    }
    for (const p of def.parts ?? []) {
        if (p.spec.parent?.kind !== spec.kind || (!p.spec.singleton && !p.spec.addressedBy) || Boolean(p.key) !== Boolean(p.spec.addressedBy)) {
            throw new Error(`${def.kind}: a part is a singleton of ${spec.kind}, or one of its fixed set named by key (${p.spec.kind})`);
        }
        const foreign = p.inputs.filter((f) => p.spec.byCupi.get(f.cupi) !== f);
        if (foreign.length) throw new Error(`${def.kind}: ${foreign.map((f) => f.name).join(", ")} is not a field of its part ${p.spec.kind}`);
    }
    for (const m of def.members ?? []) {
        if (m.spec.parent?.kind !== spec.kind || !m.spec.byCupi.has(m.field) || (m.order && !m.spec.byCupi.has(m.order))) {
            throw new Error(`${def.kind}.${m.name}: members are rows of a sub-collection of ${spec.kind}, by a field of theirs`);
        }
        if (!m.spec.operations.includes("create") || !m.spec.operations.includes("delete") || !m.spec.operations.includes("list")) {
            throw new Error(`${def.kind}.${m.name}: CUPI must list, POST and DELETE ${m.spec.kind}`);
        }
    }
    if (def.holdsData) {
        // A replace deletes the object: what it holds would go with it.
        const replacing = [...def.inputs.filter((f) => f.replace).map((f) => f.name), ...(def.extraInputs ?? []).filter((x) => x.replace).map((x) => x.name)];
        if (replacing.length) throw new Error(`${def.kind} holds ${def.holdsData}: no input may replace it, but ${replacing.join(", ")} would`);
    }
    for (const c of def.exposes ?? []) if (!spec.byCupi.has(c)) throw new Error(`${def.kind}: it exposes ${c}, which ${spec.kind} has not`);
    for (const f of def.inputs) {
        // PUT ignores a create-only field: a change must replace the object, or be ignored on purpose.
        if (f.createOnly && !f.replace && !def.ignoreChanges?.includes(f.name)) {
            throw new Error(`${def.kind}.${f.name} is create-only: mark it replace (in the spec) or list it in ignoreChanges`);
        }
        if (f.replace && def.ignoreChanges?.includes(f.name)) throw new Error(`${def.kind}.${f.name} cannot both replace and be ignored`);
    }
    if (def.parent && !def.inputs.some((f) => f.name === def.parent!.input)) {
        throw new Error(`${def.kind}: ${spec.kind} lives under ${def.parent.kind}, so its field ${parentField!.cupi} (${def.parent.input}) must be an input`);
    }
    if (def.existing && !names.has(def.existing.input)) throw new Error(`${def.kind}: existing input ${def.existing.input} is not an input`);
    return def;
}
