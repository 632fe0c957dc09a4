import { isIP } from "node:net";

/**
 * Field tables: every in-scope CUPI object is declared once, here, and the codec, the
 * simulator, the resources, the data sources and the docs all read the same declaration.
 */

export type FieldType = "string" | "boolean" | "integer";

/**
 * ro: computed by the server; rw: read and write; wo: write-only (accepted, returned empty or
 * not at all, e.g. passwords). When a value is accepted only on create, the field says
 * `createOnly`; whether a change then replaces the object is `replace` (or the resource
 * definition ignores changes to it).
 */
export type Access = "ro" | "rw" | "wo";

export type Scalar = string | number | boolean;

export interface Field {
    /** CUPI element name, e.g. `DisplayName`. */
    readonly cupi: string;
    /** TypeScript (camelCase) name, e.g. `displayName`. */
    readonly name: string;
    readonly type: FieldType;
    readonly access: Access;
    /** Allowed CUPI values and what they mean (for integer enums the keys are the numbers). */
    readonly enum?: Readonly<Record<string, string>>;
    /** Never readable and never to be shown: a password. */
    readonly secret?: boolean;
    /** A change replaces the object (a new one is created). */
    readonly replace?: boolean;
    /** Sent only when the object is created: PUT ignores it. */
    readonly createOnly?: boolean;
    /** Mandatory on create; a list restricts it to those discriminator values (ServerType). */
    readonly mandatory?: true | readonly number[];
    /** Which discriminator values (ServerType) the field belongs to; absent: all. */
    readonly appliesTo?: readonly number[];
    /** What the server stores when the field is not given on create. */
    readonly default?: Scalar;
    readonly maxLength?: number;
    readonly min?: number;
    readonly max?: number;
    /** Regular expression a string value must match (CUPI refuses others). */
    readonly pattern?: RegExp;
    /** What a value `pattern` accepts looks like, for the message when one does not: "one DTMF digit: ...". Every pattern has one. */
    readonly expected?: string;
    /** A kind of value checked before any request (FORMATS); the empty string always passes. */
    readonly format?: keyof typeof FORMATS;
    /** Usable in `query=(<column> is|startswith <value>)`. */
    readonly queryable?: boolean;
    /** Usable in `sort=(<column> asc|desc)`. */
    readonly sortable?: boolean;
    /** A representative value (docs, generated tests). */
    readonly example?: Scalar;
    readonly doc: string;
}

export type Operation = "list" | "get" | "create" | "update" | "delete";

export interface ObjectSpec {
    /** Our name for the object, e.g. `PhoneSystem`. */
    readonly kind: string;
    /** XML element of one object, and the JSON item key in a collection. */
    readonly element: string;
    /** XML element of a collection. */
    readonly collection: string;
    /** Path of the collection below `/vmrest`; `{parent}` stands for the parent's ObjectId. */
    readonly path: string;
    /** The lower-case word CUPI uses in NOT_FOUND messages. */
    readonly noun: string;
    /** What CUPI serves at `path` (list, POST) and at `path/{ObjectId}` (get, PUT, DELETE). */
    readonly operations: readonly Operation[];
    /**
     * For a sub-collection: the parent's kind (any object in SPECS, a resource or not) and the field
     * holding its ObjectId (`{parent}` in `path`). The one declaration of the parent: a resource's
     * parent input and a data source's parent argument are this field's name.
     */
    readonly parent?: { readonly kind: string; readonly field: string };
    readonly fields: readonly Field[];
    /** Discriminator field whose value selects `appliesTo` / `mandatory` lists. */
    readonly discriminator?: string;
    /** DisplayName must be unique among objects of this kind. */
    readonly uniqueDisplayName?: boolean;
    readonly byCupi: ReadonlyMap<string, Field>;
    readonly byCupiLower: ReadonlyMap<string, Field>;
    readonly byName: ReadonlyMap<string, Field>;
}

/** Field options besides the CUPI name, type and access. */
export type FieldOptions = Partial<Omit<Field, "cupi" | "type" | "access">> & { doc: string };

const NAME_OVERRIDES: Record<string, string> = {
    DefaultTRaPSwitch: "defaultTrapSwitch",
    numNotificationDevice: "numNotificationDevice",
    numNotificationMWI: "numNotificationMwi",
    numPrimaryCallHandler: "numPrimaryCallHandler",
};

/** The words of a CUPI name: `CcmAXLPassword` -> `Ccm`, `AXL`, `Password`. */
const wordsOf = (cupi: string) => cupi.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [cupi];

/** `CcmAXLPassword` -> `ccmAxlPassword`, `UseSSL` -> `useSsl`, `URI` -> `uri`. */
export function camelName(cupi: string): string {
    const override = NAME_OVERRIDES[cupi];
    if (override) return override;
    return wordsOf(cupi)
        .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
        .join("");
}

export function field(cupi: string, type: FieldType, access: Access, opts: FieldOptions): Field {
    // A value the pattern refuses is named with what it should look like, not with the field's doc.
    if (opts.pattern && !opts.expected) throw new Error(`${cupi}: a pattern needs its expected text (what a valid value looks like)`);
    return { cupi, name: opts.name ?? camelName(cupi), type, access, ...opts };
}

export function defineObject(
    spec: Omit<ObjectSpec, "byCupi" | "byCupiLower" | "byName">,
): ObjectSpec {
    const byCupi = new Map(spec.fields.map((f) => [f.cupi, f] as const));
    const byCupiLower = new Map(spec.fields.map((f) => [f.cupi.toLowerCase(), f] as const));
    const byName = new Map(spec.fields.map((f) => [f.name, f] as const));
    if (byCupi.size !== spec.fields.length || byName.size !== spec.fields.length) {
        throw new Error(`field table ${spec.kind} declares a field twice`);
    }
    if (spec.path.includes("{parent}") !== !!spec.parent || (spec.parent && !byCupi.has(spec.parent.field))) {
        throw new Error(`${spec.kind}: a path with {parent} needs parent { kind, field } naming one of its fields`);
    }
    // A secret is never readable: a readable one would be shown in outputs, data sources and diffs.
    const readableSecrets = spec.fields.filter((f) => f.secret && f.access !== "wo");
    if (readableSecrets.length) {
        throw new Error(`${spec.kind}: ${readableSecrets.map((f) => f.cupi).join(", ")} is secret, so it must be write-only ("wo")`);
    }
    return { ...spec, byCupi, byCupiLower, byName };
}

/**
 * What users call an object, from its CUPI element: `AXLServer` -> `AXL server`, `PortGroup` ->
 * `port group` (acronyms keep their capitals). A resource definition may say it otherwise.
 */
export function phraseOf(spec: ObjectSpec): string {
    return wordsOf(spec.element).map((w) => (/^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase())).join(" ");
}

/**
 * Adds an entry to a table kept by kind (SPECS, RESOURCES), once; returns what takes it out again
 * (for a test that adds a throwaway entry).
 */
export function addByKind<T extends { kind: string }>(table: Record<string, T>, name: string, entry: T): () => void {
    if (table[entry.kind]) throw new Error(`${name} has ${entry.kind} already`);
    table[entry.kind] = entry;
    return () => {
        if (table[entry.kind] === entry) delete table[entry.kind];
    };
}

/** Fields a client may send on create (and a resource may manage). */
export function creatableFields(spec: ObjectSpec): Field[] {
    return spec.fields.filter((f) => f.access !== "ro");
}

/** Fields a client may send on update. */
export function updatableFields(spec: ObjectSpec): Field[] {
    return spec.fields.filter((f) => (f.access === "rw" || f.access === "wo") && !f.createOnly);
}

/** Whether a field is mandatory on create, given the discriminator value (if any). */
export function isMandatory(f: Field, discriminatorValue?: number): boolean {
    if (!f.mandatory) return false;
    if (f.mandatory === true) return true;
    return discriminatorValue !== undefined && f.mandatory.includes(discriminatorValue);
}

/** Whether a field belongs to objects with this discriminator value. */
export function appliesTo(f: Field, discriminatorValue?: number): boolean {
    return !f.appliesTo || discriminatorValue === undefined || f.appliesTo.includes(discriminatorValue);
}

// Shared declarations: every object has these two.
export const URI = (example: string) =>
    field("URI", "string", "ro", { doc: "The object's path on the server.", example });
export const OBJECT_ID = field("ObjectId", "string", "ro", {
    doc: "The object's GUID.",
    queryable: true,
    sortable: true,
    example: "aa6d3f45-ccdf-4fa2-8170-e5c94b51813a",
});

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens (RFC 1123). */
const DNS_NAME = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
/** RFC 1123 §2.1: the top-level label is never all-numeric, so `10.1.1.256` or `cucm.10` is a mistyped address, not a name. */
const NUMERIC_TOP_LABEL = /(^|\.)[0-9]+\.?$/;

/** Value formats that fields declare with `format`: what passes, and how to say what is expected. */
export const FORMATS = {
    host: {
        test: (v: string) => isIP(v) !== 0 || (DNS_NAME.test(v) && !NUMERIC_TOP_LABEL.test(v)),
        expected: "a DNS host name (e.g. cucm-pub.example.com), an IPv4 address (10.1.1.10) or an IPv6 address (2001:db8::10)",
        label: "DNS name, IPv4 or IPv6 address",
    },
    ipv6: { test: (v: string) => isIP(v) === 6, expected: "an IPv6 address (e.g. 2001:db8::10)", label: "IPv6 address" },
} as const;

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
