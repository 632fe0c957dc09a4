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
    /** CUPI fields the user manages. */
    inputs: readonly Field[];
    extraInputs?: readonly ExtraInput[];
    /** Inputs used only to create the object (join credentials): never diffed, never replaced. */
    ignoreChanges?: readonly string[];
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
export type ResourceDefInit = Omit<ResourceDef, "ops" | "idFormat" | "makeId" | "parseId" | "phrase" | "recordName" | "parent" | "outputs"> &
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

/** An auto-named resource's DisplayName: the one mandatory field a program may leave out. */
export const isAutoNamed = (def: Pick<ResourceDef, "autoName">, f: Field) => Boolean(def.autoName) && f.cupi === "DisplayName";

/**
 * Whether a program must give this input: mandatory on create (for this discriminator value,
 * where CUPI makes it so per ServerType), except an auto-named DisplayName.
 */
export const isRequired = (def: Pick<ResourceDef, "autoName">, f: Field, discriminatorValue?: number) => isMandatory(f, discriminatorValue) && !isAutoNamed(def, f);

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

/** The outputs: what the server returns, the write-only inputs, extra inputs, carried outputs and the server. */
function outputsOf(def: Omit<ResourceDef, "outputs">): ResourceOutput[] {
    const outputs = new Map<string, ResourceOutput>();
    for (const f of def.spec.fields) if (f.access !== "wo") outputs.set(f.name, { name: f.name, from: "field", field: f });
    for (const f of def.inputs) if (!outputs.has(f.name)) outputs.set(f.name, { name: f.name, from: "input", field: f });
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

/** Looks a uniquely named object up after an ambiguous POST. */
export const byDisplayName = (c: CupiClient, spec: ObjectSpec, name: Scalar | undefined, parentId?: string) => async () => {
    if (name === undefined) return undefined;
    const found = await c.list(spec, { parentId, query: { column: "DisplayName", value: name } });
    const exact = found.filter((r) => String(r.DisplayName).toLowerCase() === String(name).toLowerCase());
    return exact.length === 1 ? String(exact[0].ObjectId) : undefined;
};

/** Plain CRUD on the spec's collection (under the parent, if it has one). */
export function crud(spec: ObjectSpec): Ops {
    return {
        create: async (c, body, _inputs, parentId) => {
            const { id, recovered } = await c.createVerified(() => c.create(spec, body, parentId), byDisplayName(c, spec, body.DisplayName, parentId));
            return { objectId: id, recovered };
        },
        get: (c, id, parentId) => c.find(spec, id, parentId),
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
    const base = {
        ...(parent ? childId(init.kind, phrase, parent) : plainId),
        ops: crud(spec),
        recordName: (r: CupiRecord) => String(r.DisplayName ?? r.ObjectId),
        ...init,
        phrase,
        ...(parent ? { parent } : {}),
    };
    const def: ResourceDef = { ...base, outputs: outputsOf(base) };
    // The default operations are CUPI's POST, PUT and DELETE: the field table must say they exist.
    const missing = init.ops ? [] : (["create", "update", "delete"] as const).filter((op) => !init.spec.operations.includes(op));
    if (missing.length) throw new Error(`${def.kind}: CUPI serves no ${missing.join(", ")} at /vmrest/${init.spec.path}; give the definition its own ops`);
    const names = new Set([...def.inputs.map((f) => f.name), ...(def.extraInputs ?? []).map((x) => x.name)]);
    for (const n of [...(def.ignoreChanges ?? []), ...(def.carried ?? []).map((c) => c.name), ...Object.keys(def.readBack ?? {})]) {
        if (!names.has(n) && !(def.carried ?? []).some((c) => c.name === n)) throw new Error(`${def.kind}: ${n} is not an input`);
    }
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
