/**
 * `npm run gen`: writes what is derived from the field tables and definitions, so every field is
 * declared once: sdk/generated/{resources,types,functions,native}.ts (both modes' classes, their
 * argument and result types, the data functions), schema.json, and the Markdown of gen-docs.ts:
 * docs/ (one page per resource and data source) and the README's generated sections.
 * tests/sdk/sdk.test.ts and tests/sdk/docs.test.ts fail when a committed file is out of date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isAutoNamed, isRequired, onlyToCreate, requiredInputs, RESOURCES, type MemberList, type ResourceDef } from "../provider/resources";
import { SPECS } from "../provider/specs";
import { FORMATS, type Field } from "../provider/specs/types";
import { configKey, nativeToken } from "../provider/client/package";
import { SETTINGS, SETTING_NAMES } from "../provider/client/settings";
import { DATA_SOURCES, type DataSourceDef } from "../provider/engine/datasources";
import { buildSchema, childrenTypeName, enumTypes } from "../provider/hosts/native/schema";
import { memberRules, README, renderReadme, writeDocs } from "./gen-docs";

export { README, renderReadme };


function tsType(def: ResourceDef, f: Field, input: boolean): string {
    if (f.type === "string") return "string";
    if (f.type === "boolean") return "boolean";
    const aliases = def.aliases?.[f.name];
    if (input && aliases && f.enum) return ["number", ...Object.values(f.enum).map((l) => JSON.stringify(l))].join(" | ");
    return "number";
}

const AUTO_NAME_DOC = "default: the resource name plus a 7-digit suffix derived from the stack and the name (the same in preview and up); " +
    "a replacement gets another, so it can be created before the old object is deleted";

function fieldDoc(def: ResourceDef, f: Field, input: boolean): string {
    const notes = [`CUPI \`${f.cupi}\``];
    if (f.enum) notes.push(`values: ${Object.entries(f.enum).map(([n, l]) => `${n} = ${l}`).join(", ")}`);
    if (def.aliases?.[f.name] && input) notes.push("readable names are accepted");
    if (f.secret) notes.push("secret; write-only: CUPI never returns it, the value in state is the one you set");
    if (input && isRequired(def, f) && onlyToCreate(def, f)) notes.push("required to create the object; one that already exists (adopt, import) may leave it out and keeps the value it has");
    if (f.replace) notes.push("changing it replaces the resource");
    if (def.ignoreChanges?.includes(f.name)) notes.push("used only when the object is created; later changes are ignored");
    if (f.maxLength) notes.push(`at most ${f.maxLength} characters`);
    if (input && f.format) notes.push(`a ${FORMATS[f.format].label}, checked before any request`);
    if (input && isAutoNamed(def, f)) notes.push(AUTO_NAME_DOC);
    if (!input && f.access === "ro") notes.push("read-only");
    return `${f.doc} (${notes.join("; ")}.)`;
}

/** A member list's doc: what it holds, set or order, and how changes are made. */
const membersDoc = (m: MemberList) => `${m.doc} (${memberRules(m)}.)`;

const comment = (indent: string, text: string) => `${indent}/** ${text.replace(/\*\//g, "*\\/")} */\n`;

function generate(def: ResourceDef): string {
    const k = def.kind;
    const required = new Set(requiredInputs(def));
    let out = comment("", `Inputs of {@link ${k}}.`);
    out += `export interface ${k}Args {\n`;
    for (const f of def.inputs) {
        out += comment("    ", fieldDoc(def, f, true));
        out += `    ${f.name}${required.has(f.name) ? "" : "?"}: pulumi.Input<${tsType(def, f, true)}>;\n`;
    }
    for (const m of def.members ?? []) {
        out += comment("    ", membersDoc(m));
        out += `    ${m.name}?: pulumi.Input<pulumi.Input<string>[]>;\n`;
    }
    for (const c of def.children ?? []) {
        out += comment("    ", `${c.doc} Only the ones the program sets are managed, and in them only the fields it sets; each changed one is one PUT of it.${c.restore ? " One the program stops setting is put back as it was." : ""}`);
        out += `    ${c.name}?: pulumi.Input<${childrenTypeName(c)}Args>;\n`;
    }
    for (const r of def.rows ?? []) {
        out += comment("    ", `${r.doc} (${r.key ? `a row is known by its ${r.key}: a changed one is one PUT` : "a changed row is removed and added again"}; a new one is a POST, one left out a DELETE.)`);
        out += `    ${r.name}?: pulumi.Input<pulumi.Input<${r.shape.type}Args>[]>;\n`;
    }
    for (const x of def.extraInputs ?? []) {
        out += comment("    ", `${x.doc}${x.replace ? " (Changing it replaces the resource.)" : ""}`);
        out += `    ${x.name}${x.mandatory ? "" : "?"}: pulumi.Input<${x.type}>;\n`;
    }
    out += comment("    ", `Take over the existing object with this id instead of creating one (${def.idFormat}). The program's values are compared with the server's first; see adoptMode. Once adopted, changing or removing it changes nothing.`);
    out += "    adopt?: pulumi.Input<string>;\n";
    out += comment("    ", "With adopt: \"verify\" (default) fails listing every field where the program and the server differ; \"overwrite\" writes the program's values with one PUT.");
    out += "    adoptMode?: pulumi.Input<\"verify\" | \"overwrite\">;\n";
    out += comment("    ", `Connection for this resource when it is not the stack's \`${configKey("*")}\` configuration (e.g. the second cluster of an HTTPS link). Stored as a secret; a different server replaces the resource.`);
    out += "    connection?: pulumi.Input<ConnectionArgs>;\n}\n\n";

    const argsParam = required.size ? `args: ${k}Args` : `args: ${k}Args = {}`;
    out += comment("", `${def.summary} The resource id is ${def.idFormat}.`);
    out += `export class ${k} extends CucResource {\n`;
    out += comment("    ", `Reads an existing ${k} without managing it. \`id\`: ${def.idFormat}.`);
    out += `    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: { connection?: pulumi.Input<ConnectionArgs> }, opts?: pulumi.CustomResourceOptions): ${k} {\n`;
    out += `        return new ${k}(name, (state ?? {}) as ${k}Args, { ...opts, id });\n    }\n\n`;
    out += `    constructor(name: string, ${argsParam}, opts?: pulumi.CustomResourceOptions) {\n        super("${k}", name, args, opts);\n    }\n}\n`;
    out += mergeOutputs(k);
    return out + "\n";
}

/**
 * The outputs of a resource class, declared once for both modes (types.ts): an interface the
 * dynamic and the native class merge with. Outputs the base classes declare (cucServer) are theirs.
 */
function outputsInterface(def: ResourceDef): string {
    let out = comment("", `The outputs of the ${def.kind} resource, in both modes (\`pulumi-cuc\` and \`pulumi-cuc/native\`).`);
    out += `export interface ${def.kind}Outputs {\n`;
    for (const o of def.outputs) {
        if (o.from === "server") continue;
        const [doc, type] = o.from === "field" ? [fieldDoc(def, o.field, false), tsType(def, o.field, false)]
            : o.from === "input" || o.from === "part" ? [fieldDoc(def, o.field, false), `${tsType(def, o.field, false)} | undefined`]
            : o.from === "members" ? [membersDoc(o.members), "string[] | undefined"]
            : o.from === "children" ? [o.children.doc, `${childrenTypeName(o.children)} | undefined`]
            : o.from === "rows" ? [o.rows.doc, `${o.rows.shape.type}[] | undefined`]
            : o.from === "extra" ? [o.extra.doc, `${o.extra.type} | undefined`]
            : [o.carried.doc, "string"];
        out += `${comment("    ", doc)}    readonly ${o.name}: pulumi.Output<${type}>;\n`;
    }
    return out + "}\n\n";
}

/** The class takes its outputs from the interface of the same name (no comment: the class's is the one users see). */
const mergeOutputs = (kind: string, from = "") => `export interface ${kind} extends ${from}${kind}Outputs {}\n`;

export function render(): string {
    let out = "// Generated by scripts/gen-sdk.ts from provider/specs and provider/resources.ts: do not edit; run `npm run gen`.\n";
    out += 'import * as pulumi from "@pulumi/pulumi";\nimport { CucResource } from "../runtime/base";\n';
    const nestedArgs = [...new Set(Object.values(RESOURCES).flatMap((d) => [...(d.children ?? []).map((c) => `${childrenTypeName(c)}Args`), ...(d.rows ?? []).map((r) => `${r.shape.type}Args`)]))];
    out += `import type { ConnectionArgs, ${[...nestedArgs, ...Object.keys(RESOURCES).map((k) => `${k}Outputs`)].join(", ")} } from "./types";\n\n`;
    for (const def of Object.values(RESOURCES)) out += generate(def);
    return out.trimEnd() + "\n";
}

/** Result types of the data sources: every field of each object, typed from the tables. */
/** The connection settings as SDK types: plain values (data sources) and Inputs (resources). */
function renderConnectionTypes(): string {
    const fields = (input: boolean) => SETTING_NAMES.map((n) => {
        const s = SETTINGS[n] as { type: string; doc: string; default?: unknown; env: string; secret?: boolean };
        const notes = [`\`${configKey(n)}\` / \`${s.env}\``, s.default !== undefined ? `default ${JSON.stringify(s.default)}` : "", s.secret ? "stored as a secret" : ""].filter(Boolean);
        const type = n === "format" ? '"xml" | "json"' : s.type;
        return comment("    ", `${s.doc} (${notes.join("; ")})`) + `    ${n}?: ${input ? `pulumi.Input<${type}>` : type};\n`;
    }).join("");
    return comment("", `Where a data source connects, when not the stack's \`${configKey("*")}\` configuration (each key falls back to it, then to \`CUC_*\`).`) +
        `export interface DataConnection {\n${fields(false)}}\n\n` +
        comment("", `Where a resource lives, when not the stack's \`${configKey("*")}\` configuration (each key falls back to it, then to \`CUC_*\`). Stored as a secret; a different server replaces the resource.`) +
        `export interface ConnectionArgs {\n${fields(true)}}\n\n`;
}

/**
 * The types of nested inputs, once each: a child's fields (`TransferRule`, and `TransferRuleArgs`
 * with each an Input), and a set of children by key (`TransferRules`, `TransferRulesArgs`).
 */
function renderNestedTypes(): string {
    let out = "";
    const done = new Set<string>();
    const once = (name: string, text: () => string) => {
        if (!done.has(name)) out += text();
        done.add(name);
    };
    for (const def of Object.values(RESOURCES)) {
        for (const shape of [...(def.children ?? []).map((c) => c.shape), ...(def.rows ?? []).map((r) => r.shape)]) {
            const members = [
                ...shape.fields.map((f) => ({ doc: fieldDoc(def, f, true), name: f.name, type: tsType(def, f, false) })),
                ...(shape.codecs ?? []).map((c) => ({ doc: c.doc, name: c.name, type: c.type === "integer" ? "number" : c.type })),
            ];
            once(shape.type, () => comment("", shape.doc) + `export interface ${shape.type} {\n${members.map((m) => comment("    ", m.doc) + `    ${m.name}?: ${m.type};\n`).join("")}}\n\n` +
                comment("", `{@link ${shape.type}} as a program gives it: each field an Input.`) + `export type ${shape.type}Args = { [K in keyof ${shape.type}]?: pulumi.Input<NonNullable<${shape.type}[K]>> };\n\n`);
        }
        for (const set of def.children ?? []) {
            const name = childrenTypeName(set);
            const keys = Object.entries(set.keys);
            once(name, () => comment("", set.doc) + `export interface ${name} {\n${keys.map(([k, key]) => comment("    ", `${key}.`) + `    ${k}?: ${set.shape.type};\n`).join("")}}\n\n` +
                comment("", `{@link ${name}} as a program gives it.`) + `export interface ${name}Args {\n${keys.map(([k]) => `    ${k}?: pulumi.Input<${set.shape.type}Args>;\n`).join("")}}\n\n`);
        }
    }
    return out;
}

export function renderTypes(): string {
    let out = "// Generated by scripts/gen-sdk.ts from provider/specs and provider/resources: do not edit; run `npm run gen`.\n\n";
    out += 'import type * as pulumi from "@pulumi/pulumi";\n\n';
    out += renderConnectionTypes();
    out += renderNestedTypes();
    for (const def of Object.values(RESOURCES)) out += outputsInterface(def);
    for (const spec of Object.values(SPECS)) {
        out += comment("", `A CUPI ${spec.element} as the data sources return it (\`/vmrest/${spec.path}\`). Fields the server omits are absent; fields newer releases add are present too (camelCase), though not declared here.`);
        out += `export interface ${spec.kind}Info {\n`;
        for (const f of spec.fields) {
            if (f.secret) continue;
            const type = f.type === "integer" ? "number" : f.type;
            out += comment("    ", `${f.doc} (CUPI \`${f.cupi}\`${f.enum ? `; ${Object.entries(f.enum).map(([n, l]) => `${n} = ${l}`).join(", ")}` : ""})`);
            out += `    ${f.name}${f.cupi === "ObjectId" || f.cupi === "URI" ? "" : "?"}: ${type};\n`;
        }
        out += "}\n\n";
    }
    return out.trimEnd() + "\n";
}

const upper = (name: string) => name[0].toUpperCase() + name.slice(1);

/** One data source's typed functions: arguments, result, list, single lookup, `...Output` variants. */
function generateDataSource(d: DataSourceDef): string {
    const fn = d.list.name, T = upper(fn), info = `types.${d.spec.kind}Info`;
    const lines = [comment("", `Arguments of {@link ${fn}}.`).trimEnd(), `export interface ${T}Args extends Listing {`];
    if (d.parent) lines.push(comment("    ", d.parent.doc).trimEnd(), `    ${d.parent.arg}: string;`);
    for (const f of d.filters ?? []) lines.push(comment("    ", `${f.doc} (CUPI \`${f.column}\`)`).trimEnd(), `    ${f.arg}?: string;`);
    if (d.hidden) lines.push(comment("    ", d.hidden.doc).trimEnd(), `    ${d.hidden.arg}?: boolean;`);
    lines.push("}", "", `export interface ${T}Result {`, `    ${d.list.result}: ${info}[];`, "}", "");
    lines.push(comment("", d.list.doc).trimEnd(), `export const ${fn}: (args${d.parent ? "" : "?"}: ${T}Args) => Promise<${T}Result> = listFunction("${fn}");`);
    lines.push(`export const ${fn}Output = output(${fn});`, "");
    if (d.one) {
        const O = upper(d.one.name);
        lines.push(comment("", `Arguments of {@link ${d.one.name}}: exactly one of objectId or ${d.key.arg}.`).trimEnd(), `export interface ${O}Args extends GetOneArgs {`);
        lines.push(comment("    ", `Its ${d.key.column === "DisplayName" ? "display name" : d.key.arg} (CUPI \`${d.key.column}\`), compared case-insensitively.`).trimEnd(), `    ${d.key.arg}?: string;`, "}", "");
        lines.push(comment("", d.one.doc).trimEnd(), `export const ${d.one.name}: (args: ${O}Args) => Promise<${info}> = oneFunction("${d.one.name}");`);
        lines.push(`export const ${d.one.name}Output = output(${d.one.name});`, "");
    }
    return lines.join("\n") + "\n";
}

export function renderFunctions(): string {
    const head = [
        "// Generated by scripts/gen-sdk.ts from provider/engine/datasources.ts: do not edit; run `npm run gen`.",
        'import { listFunction, oneFunction, output, type GetOneArgs, type Listing } from "../runtime/data";',
        'import type * as types from "./types";',
        "",
    ];
    return (head.join("\n") + "\n" + DATA_SOURCES.map(generateDataSource).join("")).trimEnd() + "\n";
}

/** The native mode (sdk/native/index.ts): the same classes on NativeResource, functions as invokes. */
export function renderNative(): string {
    const lines = [
        "// Generated by scripts/gen-sdk.ts from provider/resources and provider/engine/datasources.ts: do not edit; run `npm run gen`.",
        'import type * as pulumi from "@pulumi/pulumi";',
        'import type * as dyn from "./resources";',
        'import type * as fn from "./functions";',
        'import type { GetOneArgs } from "../runtime/data";',
        'import type * as types from "./types";',
        'import { invoke, invokeOutput, NativeResource } from "../runtime/native";',
        "",
        'export { Provider, type ProviderArgs } from "../runtime/native";',
        "",
    ];
    // The schema's enum types, under the names Pulumi's generators use in code they write (`pulumi import`).
    for (const [name, t] of Object.entries(enumTypes())) {
        lines.push(comment("", t.description).trimEnd(), `export const ${name} = {`);
        for (const v of t.enum) lines.push(comment("    ", v.description).trimEnd(), `    ${v.name}: ${JSON.stringify(v.value)},`);
        lines.push("} as const;", `export type ${name} = (typeof ${name})[keyof typeof ${name}];`, "");
    }
    for (const def of Object.values(RESOURCES)) {
        const k = def.kind;
        const required = requiredInputs(def).length > 0;
        lines.push(`/** Inputs of {@link ${k}}: those of the dynamic class, without \`connection\` (use a {@link Provider}). */`);
        lines.push(`export type ${k}Args = Omit<dyn.${k}Args, "connection">;`, "");
        lines.push(comment("", `${def.summary} The resource id is ${def.idFormat}. Type \`${nativeToken(k)}\`.`).trimEnd());
        lines.push(`export class ${k} extends NativeResource {`);
        lines.push(`    /** Reads an existing ${k} without managing it. */`);
        lines.push(`    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): ${k} {`);
        lines.push(`        return new ${k}(name, {} as ${k}Args, { ...opts, id });`, "    }", "");
        lines.push(`    constructor(name: string, args: ${k}Args${required ? "" : " = {}"}, opts?: pulumi.CustomResourceOptions) {`);
        lines.push(`        super("${k}", name, args, opts);`, "    }", "}", mergeOutputs(k, "types."));
    }
    for (const d of DATA_SOURCES) {
        const T = upper(d.list.name);
        lines.push(comment("", `${d.list.doc} A provider function (\`${nativeToken(d.list.name)}\`).`).trimEnd());
        lines.push(`export const ${d.list.name} = (args${d.parent ? "" : "?"}: Omit<fn.${T}Args, "connection">, opts?: pulumi.InvokeOptions) => invoke<fn.${T}Result>("${d.list.name}", args, opts);`);
        lines.push(`export const ${d.list.name}Output = (args${d.parent ? "" : "?"}: { [K in keyof Omit<fn.${T}Args, "connection">]: pulumi.Input<fn.${T}Args[K]> }, opts?: pulumi.InvokeOptions) => invokeOutput<fn.${T}Result>("${d.list.name}", args, opts);`, "");
        if (d.one) {
            const info = `types.${d.spec.kind}Info`;
            const O = upper(d.one.name);
            lines.push(comment("", `${d.one.doc} A provider function (\`${nativeToken(d.one.name)}\`).`).trimEnd());
            lines.push(`export const ${d.one.name} = (args: Omit<fn.${O}Args, "connection">, opts?: pulumi.InvokeOptions) => invoke<${info}>("${d.one.name}", args, opts);`);
            lines.push(`export const ${d.one.name}Output = (args: { objectId?: pulumi.Input<string>; ${d.key.arg}?: pulumi.Input<string> }, opts?: pulumi.InvokeOptions) => invokeOutput<${info}>("${d.one.name}", args, opts);`, "");
        }
    }
    return lines.join("\n").trimEnd() + "\n";
}

export const TARGET = path.resolve(__dirname, "..", "..", "sdk", "generated", "resources.ts");
export const TYPES_TARGET = path.resolve(__dirname, "..", "..", "sdk", "generated", "types.ts");
export const SCHEMA_TARGET = path.resolve(__dirname, "..", "..", "schema.json");
/** The package schema as shipped (what `pulumi package get-schema` prints for this version). */
export const renderSchema = () => JSON.stringify(buildSchema((JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version), null, 2) + "\n";
export const NATIVE_TARGET = path.resolve(__dirname, "..", "..", "sdk", "generated", "native.ts");
export const FUNCTIONS_TARGET = path.resolve(__dirname, "..", "..", "sdk", "generated", "functions.ts");

if (require.main === module) {
    fs.writeFileSync(TARGET, render());
    fs.writeFileSync(TYPES_TARGET, renderTypes());
    fs.writeFileSync(FUNCTIONS_TARGET, renderFunctions());
    fs.writeFileSync(NATIVE_TARGET, renderNative());
    fs.writeFileSync(SCHEMA_TARGET, renderSchema());
    fs.writeFileSync(README, renderReadme(fs.readFileSync(README, "utf8")));
    writeDocs();
    console.log(`wrote ${TARGET}, ${TYPES_TARGET}, ${FUNCTIONS_TARGET}, ${NATIVE_TARGET}, ${SCHEMA_TARGET}, ${README} and docs/`);
}
