/**
 * What a resource definition declares: which fields of a CUPI object the resource manages, how
 * its id is formed, and the few things that differ from plain CRUD (as named hooks and fields,
 * never as special cases in the engine). `defineResource` fills in the defaults and checks the
 * flags are consistent, so a mistake fails at load time rather than in a user's `pulumi up`.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { isCupiError } from "../client/cupi-error";
import { GUID_RE, type Field, type ObjectSpec, type Scalar } from "../specs/types";

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
    /** How the summary counts them (default: noun + "(s)"). */
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

export interface ResourceDef {
    /** Type token `cuc:<kind>`. */
    kind: string;
    /** One sentence for the docs. */
    summary: string;
    /** What users call one, in messages: "phone system". */
    noun: string;
    spec: ObjectSpec;
    /** CUPI fields the user manages. */
    inputs: readonly Field[];
    extraInputs?: readonly ExtraInput[];
    /** Inputs used only to create the object (join credentials): never diffed, never replaced. */
    ignoreChanges?: readonly string[];
    /** DisplayName may be omitted: the resource name plus a suffix derived from the stack and the name. */
    autoName?: boolean;
    /** The input holding the ObjectId of the object this one lives under, and which resource kind that is. */
    parent?: { input: string; noun: string; kind: string };
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
    /** How the resource id is formed from the ObjectId (and parent) and parsed back. */
    idFormat: string;
    makeId(objectId: string, parentId?: string): string;
    parseId(id: string): { objectId: string; parentId?: string } | undefined;
    ops: Ops;
    import: ImportSpec;
}

/** A definition as written: plain CRUD on the spec's path and an ObjectId id unless it says otherwise. */
export type ResourceDefInit = Omit<ResourceDef, "ops" | "idFormat" | "makeId" | "parseId"> &
    Partial<Pick<ResourceDef, "ops" | "idFormat" | "makeId" | "parseId">>;

export const plainId = {
    idFormat: "the object's ObjectId (a GUID)",
    makeId: (objectId: string) => objectId,
    parseId: (id: string) => (GUID_RE.test(id) ? { objectId: id.toLowerCase() } : undefined),
};

/** The fields of a spec, by CUPI name. */
export const fields = (spec: ObjectSpec, names: string[]) => names.map((n) => {
    const f = spec.byCupi.get(n);
    if (!f) throw new Error(`${spec.kind} has no field ${n}`);
    return f;
});

/** Every field a client may send. */
export const writable = (spec: ObjectSpec, except: string[] = []) => spec.fields.filter((f) => f.access !== "ro" && !except.includes(f.cupi));

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
    const def: ResourceDef = { ...plainId, ops: crud(init.spec), ...init };
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
    if (def.parent && !names.has(def.parent.input)) throw new Error(`${def.kind}: parent input ${def.parent.input} is not an input`);
    if (def.existing && !names.has(def.existing.input)) throw new Error(`${def.kind}: existing input ${def.existing.input} is not an input`);
    return def;
}
