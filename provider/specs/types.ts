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
    /**
     * Sent in the query string of the create request (`POST /vmrest/users?templateAlias=...`),
     * never in a body: a create parameter, not a field of the object (CUPI never returns it).
     */
    readonly param?: boolean;
    /**
     * The value is the ObjectId of an object of this kind (a key of SPECS): a reference. Checked as
     * a GUID and kept in lower case; cuc-import writes the referenced resource's variable; the
     * simulator refuses to delete an object something still refers to.
     */
    readonly ref?: string;
    /** With `ref`: other kinds the value may name as well (a list's member "user" may be a user template). */
    readonly refAlso?: readonly string[];
    /**
     * With `ref`: deleting the object referred to deletes this record too (a user's list memberships
     * go with the user, EVERYDAY.md §3.5), instead of the delete being refused while it is referred to.
     */
    readonly deletedWithRef?: boolean;
    /** A boolean field of the parent that must be true for this field to be set (a contact joins a list that AllowContacts). */
    readonly onlyIf?: string;
    /**
     * Values are unique across every kind whose field shares `namespace` (extensions: users,
     * alternate extensions, contacts, lists and handlers), within objects that have the same value
     * in `scope` (their partition). A clash is explained by naming the object that holds the value.
     */
    readonly unique?: { readonly namespace: string; readonly scope?: string };
    /** A rule the type, range and pattern cannot say: the reason a value is refused, or undefined. */
    readonly validate?: (v: Scalar) => string | undefined;
    /** Other fields CUPI needs sent with this value (`Locked: false` also resets `HackCount`). */
    readonly sentWith?: (v: Scalar) => Readonly<Record<string, Scalar>>;
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
    /**
     * The natural key: the field whose value is unique among objects of this kind (under the same
     * parent, for a sub-collection), CUPI's own name for one (`DisplayName`, `Alias`, `Name`,
     * `IdIndex`). Finds an object after an interrupted create, names it in messages, looks it up in
     * data sources and the importer, and is the field auto-naming fills in.
     */
    readonly key?: string;
    /**
     * One object per parent, at `path` itself, created and deleted with the parent: read and PUT
     * only (a user's `credential/pin`, `mailboxattributes`).
     */
    readonly singleton?: boolean;
    /**
     * The collection lists a short form of each object (users), these fields only: one is read in
     * full with a GET.
     */
    readonly shortList?: readonly string[];
    /** The field that is true on built-in objects (`Undeletable`): those are never deleted. */
    readonly undeletable?: string;
    /**
     * The objects are a fixed set created with the parent and addressed by this field's value, not
     * by ObjectId (`transferoptions/Off%20Hours`, `menuentries/1`): read and PUT only.
     */
    readonly addressedBy?: string;
    /**
     * Created from a template named in a create parameter (`?templateAlias=`): `param` holds the
     * value of the template's `by` field (an Alias, an ObjectId) of a `kind` object. What the body
     * leaves out comes from the fields both declare.
     */
    readonly createdFrom?: { readonly param: string; readonly kind: string; readonly by: string };
    /**
     * An object CUC makes with this one and deletes with it (a user's primary call handler): its
     * ObjectId is in `field`; it is made from the template named by `template`, a field of this
     * object's own template (createdFrom); `values` are what it takes from this object.
     */
    readonly owns?: {
        readonly field: string;
        readonly kind: string;
        readonly template?: string;
        readonly values?: (owner: Readonly<Record<string, Scalar>>) => Readonly<Record<string, Scalar>>;
    };
    /**
     * The row whose `field` is `value` is the parent's own (an alternate extension with IdIndex 0 is
     * the user's primary extension): it exists with the parent, shows the parent's `fields`, and a
     * PUT on it changes them.
     */
    readonly mirrorsParent?: { readonly field: string; readonly value: Scalar; readonly fields: readonly string[] };
    /** Exactly one of these fields is given on create (a list member is a user, a contact or a list), and a value joins a parent once. */
    readonly oneOf?: readonly string[];
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
    init: Omit<ObjectSpec, "byCupi" | "byCupiLower" | "byName">,
): ObjectSpec {
    // A reference is an ObjectId: checked as one unless the table says more.
    const spec = { ...init, fields: init.fields.map((f) => (f.ref && !f.format ? { ...f, format: "guid" as const } : f)) };
    const byCupi = new Map(spec.fields.map((f) => [f.cupi, f] as const));
    const byCupiLower = new Map(spec.fields.map((f) => [f.cupi.toLowerCase(), f] as const));
    const byName = new Map(spec.fields.map((f) => [f.name, f] as const));
    if (byCupi.size !== spec.fields.length || byName.size !== spec.fields.length) {
        throw new Error(`field table ${spec.kind} declares a field twice`);
    }
    if (spec.path.includes("{parent}") !== !!spec.parent || (spec.parent && !byCupi.has(spec.parent.field))) {
        throw new Error(`${spec.kind}: a path with {parent} needs parent { kind, field } naming one of its fields`);
    }
    if (spec.undeletable && byCupi.get(spec.undeletable)?.type !== "boolean") throw new Error(`${spec.kind}: undeletable names a boolean field`);
    const unknownShort = (spec.shortList ?? []).filter((c) => !byCupi.has(c));
    if (unknownShort.length) throw new Error(`${spec.kind}: its short list form names ${unknownShort.join(", ")}, which are not its fields`);
    if (spec.key && !byCupi.has(spec.key)) throw new Error(`${spec.kind}: its key ${spec.key} is not one of its fields`);
    if (spec.singleton && (!spec.parent || spec.operations.some((op) => op !== "get" && op !== "update"))) {
        throw new Error(`${spec.kind}: a singleton lives under a parent and is only read and PUT (operations get, update)`);
    }
    if (spec.addressedBy && (!byCupi.has(spec.addressedBy) || !spec.parent || spec.operations.some((op) => op !== "list" && op !== "get" && op !== "update"))) {
        throw new Error(`${spec.kind}: objects addressed by ${spec.addressedBy} are a fixed set under a parent (a field of theirs; operations list, get, update)`);
    }
    const missing = [
        spec.createdFrom && !byCupi.get(spec.createdFrom.param)?.param && spec.createdFrom.param,
        spec.owns && !byCupi.has(spec.owns.field) && spec.owns.field,
        ...(spec.mirrorsParent ? [spec.mirrorsParent.field, ...spec.mirrorsParent.fields] : []).filter((c) => !byCupi.has(c) || !spec.parent),
        ...(spec.oneOf ?? []).filter((c) => !byCupi.has(c)),
        ...spec.fields.filter((f) => (f.refAlso || f.deletedWithRef) && !f.ref).map((f) => f.cupi),
    ].filter((c): c is string => typeof c === "string");
    if (missing.length) throw new Error(`${spec.kind}: ${missing.join(", ")} named by createdFrom (a param), owns, mirrorsParent (under a parent), oneOf, refAlso or deletedWithRef (with ref) is not such a field`);
    const badParams = spec.fields.filter((f) => f.param && (f.access !== "wo" || !f.createOnly));
    if (badParams.length) throw new Error(`${spec.kind}: ${badParams.map((f) => f.cupi).join(", ")} is a create parameter, so it is write-only ("wo") and createOnly`);
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

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    guid: { test: (v: string) => GUID_RE.test(v), expected: "an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555; pass the other resource's objectId)", label: "ObjectId" },
    extension: { test: (v: string) => /^[0-9*#]+$/.test(v), expected: "an extension: digits (and * or #), e.g. 1001", label: "digits" },
    email: { test: (v: string) => /^[^\s@]+@[^\s@]+$/.test(v), expected: "an email address like jdoe@example.com", label: "email address" },
} as const;

