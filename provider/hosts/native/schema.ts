/**
 * The Pulumi package schema of the native provider (`pulumi package get-schema`), derived from the
 * same tables as everything else: resources from the definitions, functions from DATA_SOURCES,
 * provider configuration from SETTINGS. Secrets and replace-on-change are marked; outputs that are
 * always there are `required`; CUPI's enumerations, adoptMode, the query operators and sort
 * directions are enum types; config and provider inputs carry their defaults and `CUC_*` variables.
 */
import { configKey, nativeToken, PACKAGE } from "../../client/package";
import { SETTINGS, SETTING_NAMES, type SettingName } from "../../client/settings";
import type { QueryFilter, SortOrder } from "../../client/query";
import { DATA_SOURCES } from "../../engine/datasources";
import { isRequired, onlyToCreate, RESOURCES, requiredInputs, type ChildSet, type ChildShape, type ExtraInput, type MemberList, type ResourceDef, type RowList } from "../../resources";
import { SPECS } from "../../specs";
import { camelName, OBJECT_ID, URI, type Field, type ObjectSpec } from "../../specs/types";

export { PACKAGE };
/** The module of the native classes, as a TypeScript program imports it. */
export const NODEJS_IMPORT = "pulumi-cuc/native";
/** The Go import path of an SDK generated from this schema (Pulumi's Go generator reads it). */
export const GO_IMPORT = "github.com/pulumi-cuc/pulumi-cuc/sdk/go/cuc";
/** Neutral placeholders: the project has no public repository or home page yet (package.json names none). */
export const PUBLISHER = "pulumi-cuc";
export const REPOSITORY = "https://example.com/pulumi-cuc";
export const token = nativeToken;
const ref = (name: string) => `#/types/${token(name)}`;

type Property = {
    type?: string;
    $ref?: string;
    description?: string;
    secret?: boolean;
    replaceOnChanges?: boolean;
    items?: Property;
    oneOf?: Property[];
    default?: string | number | boolean;
    defaultInfo?: { environment: string[] };
};
type EnumValue = { name: string; value: string | number; description: string };
type EnumType = { type: "string" | "integer"; description: string; enum: EnumValue[] };
type ObjectType = { type: "object"; description: string; properties: Record<string, Property>; required?: string[] };

/** `Exchange/BPOS-D` -> `ExchangeBposD`: a name every generator accepts (a letter first). */
function pascal(text: string): string {
    const c = camelName(text);
    const p = c.charAt(0).toUpperCase() + c.slice(1);
    return /^[A-Za-z]/.test(p) ? p : `V${p}`;
}

// ------------------------------------------------------------------ enums

/**
 * The enum type of a field with CUPI values (`enum` in the field table): `<Kind><Field>`, less a
 * trailing `Enum` (`PortGroup.telephonyIntegrationMethodEnum` -> `PortGroupTelephonyIntegrationMethod`).
 * Keyed by the object, so a resource and the `*Info` type of the same object share it.
 */
export const enumTypeName = (spec: ObjectSpec, f: Field) => `${spec.kind}${pascal(f.name).replace(/(?<=.)Enum$/, "")}`;

function enumValues(values: readonly { value: string | number; label: string }[], what: string): EnumValue[] {
    const out = values.map(({ value, label }) => ({ name: pascal(label), value, description: label }));
    const names = new Set(out.map((v) => v.name));
    if (names.size !== out.length) throw new Error(`${what}: two values get the same enum name (${out.map((v) => v.name).join(", ")})`);
    return out;
}

function fieldEnum(spec: ObjectSpec, f: Field): EnumType {
    const values = Object.entries(f.enum!).map(([value, label]) => ({ value: f.type === "integer" ? Number(value) : value, label }));
    if (f.type !== "integer" && f.type !== "string") throw new Error(`${spec.kind}.${f.name}: an enum must be an integer or string field`);
    return { type: f.type, description: `${f.doc} (CUPI \`${spec.element}.${f.cupi}\`)`, enum: enumValues(values, `${spec.kind}.${f.name}`) };
}

/**
 * adoptMode's values (check.ts accepts exactly these, adopt.ts acts on them: the tests hold the
 * check to this list). `satisfies Record<...>` ties the query operators and sort directions to the
 * client's types (query.ts): a value missing or extra fails to compile.
 */
export const ADOPT_MODES = {
    verify: "Compare the program's values with the server's and fail listing every difference (the default).",
    overwrite: "Write the program's values to the server (a PUT) when adopting.",
} as const;
export const QUERY_OPS = {
    is: "The column equals the value (the default).",
    startswith: "The column starts with the value.",
} as const satisfies Record<NonNullable<QueryFilter["op"]>, string>;
export const SORT_DIRECTIONS = {
    asc: "Ascending (the default).",
    desc: "Descending.",
} as const satisfies Record<NonNullable<SortOrder["direction"]>, string>;

const stringEnum = (values: Record<string, string>, description: string, names: Record<string, string> = {}): EnumType => ({
    type: "string",
    description,
    enum: Object.entries(values).map(([value, doc]) => ({ name: names[value] ?? pascal(value), value, description: doc })),
});

// ------------------------------------------------------------------ properties

/** What every object has: the two shared declarations of the field tables (ObjectId, URI). */
const SHARED = new Set([OBJECT_ID.cupi, URI("").cupi]);

/** Whether a list of discriminator values (mandatory, appliesTo) covers every value the discriminator takes. */
function everyKind(spec: ObjectSpec, values: readonly number[] | undefined): boolean {
    if (!values) return true;
    const disc = spec.discriminator ? spec.byCupi.get(spec.discriminator) : undefined;
    return !!disc?.enum && Object.keys(disc.enum).every((v) => values.includes(Number(v)));
}

/**
 * Whether CUPI returns the field on every object of the table, as the table says: the shared
 * ObjectId and URI; a sub-collection's parent field (the object lives under it); a field mandatory
 * on create (for every discriminator value), which the object cannot lack (on a kind with built-ins,
 * only its natural key: built-ins were not created through CUPI); a field with a
 * `default`, which the server stores when none is given, unless it belongs to some discriminator
 * values only (`appliesTo`: an ExternalService's Exchange fields are not on a MeetingPlace
 * service). Write-only fields are never returned. The simulator stores objects the same way
 * (store.ts withDefaults), and tests/unit/schema.test.ts checks the engine's outputs against it.
 */
export function alwaysReturned(spec: ObjectSpec, f: Field): boolean {
    if (f.access === "wo") return false;
    if (SHARED.has(f.cupi) || spec.parent?.field === f.cupi) return true;
    // Built-ins were not made through CUPI: they have their natural key, not always every field a create needs
    // (the undeliverable messages mailbox has no extension).
    const madeByCupi = !spec.undeletable || f.cupi === spec.key;
    if (madeByCupi && (f.mandatory === true || (Array.isArray(f.mandatory) && everyKind(spec, f.mandatory)))) return true;
    return f.default !== undefined && everyKind(spec, f.appliesTo);
}

/** What every result of a function holds: always returned, and in the list's short form where the kind has one (users). */
export const alwaysListed = (spec: ObjectSpec, f: Field) => alwaysReturned(spec, f) && (!spec.shortList || spec.shortList.includes(f.cupi));

const typeOf = (f: Field) => (f.type === "integer" ? "integer" : f.type);

function fieldProperty(def: ResourceDef | undefined, spec: ObjectSpec, f: Field): Property {
    const notes = [`CUPI \`${f.cupi}\``];
    if (f.enum) notes.push(Object.entries(f.enum).map(([n, l]) => `${n} = ${l}`).join(", "));
    const aliases = def?.aliases?.[f.name];
    if (aliases) notes.push(`the TypeScript SDK also takes the names ${Object.keys(aliases).map((a) => JSON.stringify(a)).join(", ")}`);
    const description = `${f.doc} (${notes.join("; ")})`;
    const p: Property = f.enum ? { $ref: ref(enumTypeName(spec, f)), description } : { type: typeOf(f), description };
    if (f.secret) p.secret = true;
    if (def && f.replace) p.replaceOnChanges = true;
    return p;
}

const extraProperty = (x: ExtraInput): Property => ({ type: x.type, description: x.doc, ...(x.replace ? { replaceOnChanges: true } : {}) });

/** Outputs of a resource: the definition's outputs (what engine/provider.ts outputsFrom returns), typed. */
export function outputProperties(def: ResourceDef): Record<string, Property> {
    return Object.fromEntries(def.outputs.map((o) => [o.name,
        o.from === "field" || o.from === "input" ? fieldProperty(def, def.spec, o.field)
        : o.from === "part" ? fieldProperty(def, o.part.spec, o.field)
        : o.from === "members" ? membersProperty(o.members)
        : o.from === "children" ? childrenProperty(o.children)
        : o.from === "rows" ? rowsProperty(o.rows)
        : o.from === "extra" ? extraProperty(o.extra)
        : { type: "string", description: o.from === "carried" ? o.carried.doc : o.doc }]));
}

/** The schema type of a set of children (`TransferRules`): one property per key, each a child of the shape. */
export const childrenTypeName = (set: ChildSet) => pascal(set.name);

const childrenProperty = (set: ChildSet): Property => ({
    $ref: ref(childrenTypeName(set)),
    description: `${set.doc} Only the ones the program sets are managed, and in them only the fields it sets; each changed one is one PUT of it.`,
});
const rowsProperty = (list: RowList): Property => ({
    type: "array", items: { $ref: ref(list.shape.type) },
    description: `${list.doc} (${list.key ? `a row is known by its ${list.key}: a changed one is one PUT` : "a changed row is removed and added again"}; a new one a POST, one left out a DELETE).`,
});

/** A child's type: the shape's fields and codecs, none required (the program sets what it manages). */
function shapeType(shape: ChildShape): ObjectType {
    const properties: Record<string, Property> = Object.fromEntries(shape.fields.map((f) => [f.name, fieldProperty(undefined, shape.spec, f)]));
    for (const c of shape.codecs ?? []) {
        properties[c.name] = c.type === "string[]" ? { type: "array", items: { type: "string" }, description: c.doc } : { type: c.type, description: c.doc };
    }
    return { type: "object", description: shape.doc, properties };
}

/** A member list: ObjectIds, as a set or in order. */
const membersProperty = (m: MemberList): Property => ({
    type: "array", items: { type: "string" },
    description: `${m.doc} (${m.order ? "in order" : "a set: the order does not matter"}; CUPI \`${m.spec.element}.${m.field}\`)`,
});

/**
 * The outputs every state of the resource has, after create, adoption, update, refresh and `pulumi import`
 * alike (engine/provider.ts outputsFrom): `cucServer`, set on every call; the fields CUPI always returns
 * (alwaysReturned, which covers the required inputs that are readable CUPI fields); the parent's
 * ObjectId and the existing object's id, taken from the resource id when not from the inputs.
 * Not required: write-only inputs, even required ones (an import cannot read them: the state has
 * them once a program set them), extra inputs without such an id, and carried outputs (an import
 * has no "before").
 */
export function requiredOutputs(def: ResourceDef): string[] {
    const fromId = new Set([def.parent?.input, def.existing?.input].filter((n): n is string => !!n));
    const readable = new Set(def.outputs.filter((o) => o.from === "field" && alwaysReturned(def.spec, o.field)).map((o) => o.name));
    return Object.keys(outputProperties(def)).filter((n) => n === "cucServer" || readable.has(n) || fromId.has(n));
}

/** The adopt inputs every resource takes. */
const adoptProperties = (def: ResourceDef): Record<string, Property> => ({
    adopt: { type: "string", description: `Take over the existing object with this id instead of creating one (${def.idFormat}).` },
    adoptMode: { $ref: ref("AdoptMode"), description: 'With adopt: "verify" (the default) or "overwrite".' },
});

export function inputProperties(def: ResourceDef): Record<string, Property> {
    const props: Record<string, Property> = {};
    for (const f of def.inputs) {
        const p = fieldProperty(def, def.partOf.get(f.name)?.spec ?? def.spec, f);
        // Not in requiredInputs: the schema says when it is needed.
        if (isRequired(def, f) && onlyToCreate(def, f)) p.description += " Required to create the object; one that already exists (adopted, imported) may leave it out and keeps the value it has.";
        props[f.name] = p;
    }
    for (const m of def.members ?? []) props[m.name] = membersProperty(m);
    for (const c of def.children ?? []) props[c.name] = childrenProperty(c);
    for (const r of def.rows ?? []) props[r.name] = rowsProperty(r);
    for (const x of def.extraInputs ?? []) props[x.name] = extraProperty(x);
    return { ...props, ...adoptProperties(def) };
}

/** The `*Info` type of an object: every field but secrets, the always-returned ones required. */
export function infoType(spec: ObjectSpec): ObjectType {
    const fields = spec.fields.filter((f) => !f.secret);
    return {
        type: "object",
        description: `A CUPI ${spec.element} as the functions return it (\`/vmrest/${spec.path}\`).`,
        properties: Object.fromEntries(fields.map((f) => [f.name, fieldProperty(undefined, spec, f)])),
        required: fields.filter((f) => alwaysListed(spec, f)).map((f) => f.name),
    };
}

/**
 * Config numbers: `integer` when the setting is a whole number, i.e. declared `integer` or with a
 * whole default (every number setting counts something: milliseconds, retries, rows).
 */
export function settingType(name: SettingName): string {
    const s = SETTINGS[name] as { type: string; integer?: boolean; default?: unknown };
    return s.type === "number" && (s.integer || Number.isInteger(s.default)) ? "integer" : s.type;
}

/** The provider's configuration: one property per setting, its default and its `CUC_*` variable. */
export function configProperties(): Record<string, Property> {
    return Object.fromEntries(SETTING_NAMES.map((n) => {
        const s = SETTINGS[n] as { doc: string; env: string; secret?: boolean; default?: string | number | boolean; values?: readonly string[] };
        const notes = [`\`${configKey(n)}\` or \`${s.env}\``];
        if (s.values) notes.push(`one of ${s.values.map((v) => JSON.stringify(v)).join(", ")}`);
        if (s.default !== undefined) notes.push(`default ${JSON.stringify(s.default)}`);
        // A setting's list of values (format: xml|json) is no CUPI enum: it stays in the description, as
        // Pulumi's Go generator (v3.259.0) writes a provider and config module that do not compile for
        // an enum-typed config variable with a default.
        const p: Property = { type: settingType(n), description: `${s.doc} (${notes.join("; ")})` };
        if (s.default !== undefined) p.default = s.default;
        p.defaultInfo = { environment: [s.env] };
        if (s.secret) p.secret = true;
        return [n, p];
    }));
}

// ------------------------------------------------------------------ the schema

/** The named types: enums, the `*Info` objects, Query and Sort. */
export function schemaTypes(): Record<string, EnumType | ObjectType> {
    const types: Record<string, EnumType | ObjectType> = {};
    const add = (name: string, t: EnumType | ObjectType) => {
        if (types[token(name)] || RESOURCES[name]) throw new Error(`schema: the type name ${name} is taken twice`);
        types[token(name)] = t;
    };
    for (const spec of Object.values(SPECS)) {
        for (const f of spec.fields) if (f.enum) add(enumTypeName(spec, f), fieldEnum(spec, f));
        add(`${spec.kind}Info`, infoType(spec));
    }
    // Nested inputs: each shape once (a handler's and a user's transfer rules are one TransferRule), and each set of children by its keys.
    const same = (name: string, t: ObjectType) => JSON.stringify(types[token(name)]) === JSON.stringify(t);
    for (const def of Object.values(RESOURCES)) {
        for (const shape of [...(def.children ?? []).map((c) => c.shape), ...(def.rows ?? []).map((r) => r.shape)]) {
            const t = shapeType(shape);
            if (!same(shape.type, t)) add(shape.type, t);
        }
        for (const set of def.children ?? []) {
            const t: ObjectType = {
                type: "object", description: set.doc,
                properties: Object.fromEntries(Object.entries(set.keys).map(([k, key]) => [k, { $ref: ref(set.shape.type), description: `${key}.` }])),
            };
            if (!same(childrenTypeName(set), t)) add(childrenTypeName(set), t);
        }
    }
    add("AdoptMode", stringEnum(ADOPT_MODES, "How a resource takes over an existing object (adopt)."));
    add("QueryOperator", stringEnum(QUERY_OPS, "How a query compares a column with its value.", { startswith: "StartsWith" }));
    add("SortDirection", stringEnum(SORT_DIRECTIONS, "The order of a sort."));
    add("Query", {
        type: "object",
        description: "CUPI's search, `(column is|startswith value)`, on a searchable column of the object.",
        properties: {
            column: { type: "string", description: "The column, in CUPI's or our spelling: `DisplayName` or `displayName`." },
            op: { $ref: ref("QueryOperator"), description: "`is` (the default) or `startswith`." },
            value: { oneOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }], description: "The value (booleans and numbers for boolean and integer columns)." },
        },
        required: ["column", "value"],
    });
    add("Sort", {
        type: "object",
        description: "The order of the results, `(column asc|desc)`, on a sortable column of the object.",
        properties: {
            column: { type: "string", description: "The column, in CUPI's or our spelling." },
            direction: { $ref: ref("SortDirection"), description: "`asc` (the default) or `desc`." },
        },
        required: ["column"],
    });
    return types;
}

/**
 * The enum types by their short name (`ExternalServiceServerType`), for an SDK that must spell them
 * as the schema does: the code Pulumi's program generator writes for `pulumi import` refers to
 * `cuc.ExternalServiceServerType.Office365`.
 */
export function enumTypes(): Record<string, EnumType> {
    return Object.fromEntries(Object.entries(schemaTypes()).flatMap(([t, v]) => ("enum" in v ? [[t.slice(token("").length), v]] : [])));
}

const columns = (spec: ObjectSpec, flag: "queryable" | "sortable") => spec.fields.filter((f) => f[flag]).map((f) => `\`${f.name}\``).join(", ");

export function buildSchema(version: string): Record<string, unknown> {
    const types = schemaTypes();
    const resources = Object.fromEntries(Object.values(RESOURCES).map((def) => [token(def.kind), {
        description: `${def.summary} The id is ${def.idFormat}.`,
        properties: outputProperties(def),
        required: requiredOutputs(def),
        inputProperties: inputProperties(def),
        requiredInputs: requiredInputs(def),
    }]));
    const functions: Record<string, unknown> = {};
    for (const d of DATA_SOURCES) {
        const inputs: Record<string, Property> = {
            query: { $ref: ref("Query"), description: `CUPI's search on the server, on one of ${columns(d.spec, "queryable")}.` },
            sort: { $ref: ref("Sort"), description: `The order, on one of ${columns(d.spec, "sortable")}.` },
        };
        if (d.parent) inputs[d.parent.arg] = { type: "string", description: d.parent.doc };
        for (const f of d.filters ?? []) inputs[f.arg] = { type: "string", description: f.doc };
        if (d.hidden) inputs[d.hidden.arg] = { type: "boolean", description: d.hidden.doc };
        functions[token(d.list.name)] = {
            description: d.list.doc,
            inputs: { properties: inputs, ...(d.parent ? { required: [d.parent.arg] } : {}) },
            outputs: { properties: { [d.list.result]: { type: "array", items: { $ref: ref(`${d.spec.kind}Info`) } } }, required: [d.list.result] },
        };
        if (d.one) {
            const info = types[token(`${d.spec.kind}Info`)] as ObjectType;
            functions[token(d.one.name)] = {
                description: d.one.doc,
                inputs: { properties: { objectId: { type: "string", description: "The object's ObjectId." }, [d.key.arg]: { type: "string", description: `Its ${d.key.column === "DisplayName" ? "display name" : d.key.arg} (CUPI \`${d.key.column}\`), compared case-insensitively.` } } },
                outputs: { properties: info.properties, required: info.required },
            };
        }
    }
    const config = configProperties();
    return {
        name: PACKAGE,
        displayName: "Cisco Unity Connection",
        version,
        description: "Cisco Unity Connection resources over the CUPI provisioning API (/vmrest).",
        keywords: ["pulumi", "cisco", "unity-connection", "cupi", "voice"],
        license: "Apache-2.0",
        publisher: PUBLISHER,
        repository: REPOSITORY,
        homepage: REPOSITORY,
        // No `defaults` (required keys): every setting may come from its CUC_* variable instead.
        config: { variables: config },
        provider: { description: "A Cisco Unity Connection server and the account that manages it.", inputProperties: config },
        resources,
        functions,
        types,
        language: {
            // The import path of code that `pulumi import` and `pulumi convert` write: the native classes
            // (`cuc:index:*`). The package root holds the dynamic ones, another resource type: code
            // importing them would plan to delete every imported object and create a dynamic twin.
            nodejs: { packageName: NODEJS_IMPORT, dependencies: { "@pulumi/pulumi": "^3.0.0" } },
            // What Pulumi's generators read for the package names of the other languages.
            go: { importBasePath: GO_IMPORT, generateResourceContainerTypes: false, respectSchemaVersion: true },
            python: { packageName: "pulumi_cuc" },
            csharp: { rootNamespace: "PulumiCuc", packageReferences: { Pulumi: "3.*" } },
        },
    };
}
