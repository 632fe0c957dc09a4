/**
 * The Pulumi package schema of the native provider (`pulumi package get-schema`), derived from the
 * same tables as everything else: resources from the definitions, functions from DATA_SOURCES,
 * provider configuration from SETTINGS. Secrets and replace-on-change are marked.
 */
import { SETTINGS, SETTING_NAMES } from "../client/settings";
import { DATA_SOURCES } from "../datasources";
import { RESOURCES, type ResourceDef } from "../resources";
import { SPECS } from "../specs";
import type { Field } from "../specs/types";

export const PACKAGE = "cuc";
/** The module of the native classes, as a TypeScript program imports it. */
export const NODEJS_IMPORT = "pulumi-cuc/native";
export const token = (name: string) => `${PACKAGE}:index:${name}`;

type Property = { type: string; description: string; secret?: boolean; replaceOnChanges?: boolean; items?: unknown; $ref?: string; enum?: unknown };

const typeOf = (f: Field) => (f.type === "integer" ? "integer" : f.type);

function fieldProperty(def: ResourceDef | undefined, f: Field): Property {
    const notes = [`CUPI \`${f.cupi}\``];
    if (f.enum) notes.push(Object.entries(f.enum).map(([n, l]) => `${n} = ${l}`).join(", "));
    const p: Property = { type: typeOf(f), description: `${f.doc} (${notes.join("; ")})` };
    if (f.secret) p.secret = true;
    if (def && f.replace) p.replaceOnChanges = true;
    return p;
}

/** Outputs of a resource: what the engine returns (engine.ts outputsFrom), typed. */
export function outputProperties(def: ResourceDef): Record<string, Property> {
    const props: Record<string, Property> = {};
    for (const f of def.spec.fields) if (f.access !== "wo") props[f.name] = fieldProperty(def, f);
    for (const f of def.inputs) props[f.name] ??= fieldProperty(def, f);
    for (const x of def.extraInputs ?? []) props[x.name] = { type: x.type, description: x.doc, ...(x.replace ? { replaceOnChanges: true } : {}) };
    for (const c of def.carried ?? []) props[c.name] = { type: "string", description: c.doc };
    props.cucServer = { type: "string", description: "The Connection server the object lives on (its origin URL)." };
    return props;
}

export function inputProperties(def: ResourceDef): Record<string, Property> {
    const props: Record<string, Property> = {};
    for (const f of def.inputs) props[f.name] = fieldProperty(def, f);
    for (const x of def.extraInputs ?? []) props[x.name] = { type: x.type, description: x.doc, ...(x.replace ? { replaceOnChanges: true } : {}) };
    props.adopt = { type: "string", description: `Take over the existing object with this id instead of creating one (${def.idFormat}).` };
    props.adoptMode = { type: "string", description: 'With adopt: "verify" (default) or "overwrite".' };
    return props;
}

export function requiredInputs(def: ResourceDef): string[] {
    return [
        ...def.inputs.filter((f) => f.mandatory === true && !(def.autoName && f.cupi === "DisplayName")).map((f) => f.name),
        ...(def.extraInputs ?? []).filter((x) => x.mandatory).map((x) => x.name),
    ];
}

function configProperties(): Record<string, Property> {
    return Object.fromEntries(SETTING_NAMES.map((n) => {
        const s = SETTINGS[n] as { type: string; doc: string; env: string; secret?: boolean };
        const p: Property = { type: s.type, description: `${s.doc} (\`${s.env}\`)` };
        if (s.secret) p.secret = true;
        return [n, p];
    }));
}

export function buildSchema(version: string): Record<string, unknown> {
    const types: Record<string, unknown> = {};
    for (const spec of Object.values(SPECS)) {
        types[token(`${spec.kind}Info`)] = {
            type: "object",
            description: `A CUPI ${spec.element} as the functions return it (\`/vmrest/${spec.path}\`).`,
            properties: Object.fromEntries(spec.fields.filter((f) => !f.secret).map((f) => [f.name, fieldProperty(undefined, f)])),
        };
    }
    const resources = Object.fromEntries(Object.values(RESOURCES).map((def) => [token(def.kind), {
        description: `${def.summary} The id is ${def.idFormat}.`,
        properties: outputProperties(def),
        inputProperties: inputProperties(def),
        requiredInputs: requiredInputs(def),
    }]));
    const functions: Record<string, unknown> = {};
    for (const d of DATA_SOURCES) {
        const listing = {
            query: { type: "object", description: "CUPI's search: { column, op: is|startswith, value }, on a searchable column." },
            sort: { type: "object", description: "Order: { column, direction: asc|desc }, on a sortable column." },
        };
        const inputs: Record<string, Property> = { ...listing } as Record<string, Property>;
        if (d.parent) inputs[d.parent.arg] = { type: "string", description: d.parent.doc };
        for (const f of d.filters ?? []) inputs[f.arg] = { type: "string", description: f.doc };
        if (d.hidden) inputs[d.hidden.arg] = { type: "boolean", description: d.hidden.doc };
        functions[token(d.list.name)] = {
            description: d.list.doc,
            inputs: { properties: inputs, ...(d.parent ? { required: [d.parent.arg] } : {}) },
            outputs: { properties: { [d.list.result]: { type: "array", items: { $ref: `#/types/${token(`${d.spec.kind}Info`)}` } } }, required: [d.list.result] },
        };
        if (d.one) {
            functions[token(d.one.name)] = {
                description: d.one.doc,
                inputs: { properties: { objectId: { type: "string", description: "The object's ObjectId." }, displayName: { type: "string", description: "Its display name." } } },
                outputs: { properties: (types[token(`${d.spec.kind}Info`)] as { properties: unknown }).properties, required: ["objectId"] },
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
        config: { variables: config, defaults: SETTING_NAMES.filter((n) => (SETTINGS[n] as { required?: boolean }).required) },
        provider: { description: "A Cisco Unity Connection server and the account that manages it.", inputProperties: config },
        resources,
        functions,
        types,
        // The import path of code that `pulumi import` and `pulumi convert` write: the native classes
        // (`cuc:index:*`). The package root holds the dynamic ones, another resource type: code
        // importing them would plan to delete every imported object and create a dynamic twin.
        language: { nodejs: { packageName: NODEJS_IMPORT, dependencies: { "@pulumi/pulumi": "^3.0.0" } } },
    };
}
