/**
 * The package schema tells what the TypeScript SDK and the engine know (issue 19, part 1), checked
 * against the definitions: every loop runs over RESOURCES, SPECS, SETTINGS and DATA_SOURCES, so a
 * new field, setting or function is covered without editing this file. That schema.json on disk is
 * buildSchema's output is tests/sdk/sdk.test.ts ("generated ... up to date").
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { makeCheck } from "../../provider/engine/check";
import { getClient } from "../../provider/client/pool";
import { buildQuery, buildSort } from "../../provider/client/query";
import { SETTINGS, SETTING_NAMES } from "../../provider/client/settings";
import { DATA_SOURCES, runList, runOne } from "../../provider/engine/datasources";
import { makeProvider } from "../../provider/engine/provider";
import { alwaysReturned, buildSchema, enumTypeName, GO_IMPORT, NODEJS_IMPORT, PACKAGE, requiredOutputs, token } from "../../provider/hosts/native/schema";
import { RESOURCES, requiredInputs } from "../../provider/resources";
import { SPECS } from "../../provider/specs";
import type { Field, ObjectSpec } from "../../provider/specs/types";
import type { Simulator } from "../../simulator";
import { contextOf, exampleInputs, oneChange, type Props } from "../provider/examples";
import { ROOT, sim } from "../helpers";

type Prop = { type?: string; $ref?: string; oneOf?: Prop[]; items?: Prop; secret?: boolean; default?: unknown; defaultInfo?: { environment?: string[] } };
type Obj = { properties: Record<string, Prop>; required?: string[] };
type EnumT = { type: string; enum: { name?: string; value: unknown; description?: string }[] };
type Schema = {
    [key: string]: unknown;
    resources: Record<string, Obj & { inputProperties: Record<string, Prop>; requiredInputs: string[] }>;
    functions: Record<string, { inputs: Obj; outputs: Obj }>;
    types: Record<string, (Obj & { type: "object" }) | EnumT>;
    config: { variables: Record<string, Prop>; defaults?: string[] };
    provider: { inputProperties: Record<string, Prop>; requiredInputs?: string[] };
    language: Record<string, Record<string, unknown>>;
};

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const schema = buildSchema(VERSION) as unknown as Schema;
const typeOf = (p: Prop) => (p.$ref ? schema.types[p.$ref.replace("#/types/", "")] : undefined);
const enumOf = (p: Prop) => typeOf(p) as EnumT | undefined;
const info = (spec: ObjectSpec) => schema.types[token(`${spec.kind}Info`)] as Obj;
/** Every property of the schema with where it is, for checks that must hold everywhere. */
function* everyProperty(): Generator<[string, Prop]> {
    const walk = function* (where: string, props: Record<string, Prop> | undefined): Generator<[string, Prop]> {
        for (const [k, p] of Object.entries(props ?? {})) {
            yield [`${where}.${k}`, p];
            for (const [i, o] of (p.oneOf ?? []).entries()) yield [`${where}.${k}.oneOf[${i}]`, o];
            if (p.items) yield [`${where}.${k}.items`, p.items];
        }
    };
    for (const [t, r] of Object.entries(schema.resources)) {
        yield* walk(`${t}.properties`, r.properties);
        yield* walk(`${t}.inputProperties`, r.inputProperties);
    }
    for (const [t, f] of Object.entries(schema.functions)) {
        yield* walk(`${t}.inputs`, f.inputs.properties);
        yield* walk(`${t}.outputs`, f.outputs.properties);
    }
    for (const [t, o] of Object.entries(schema.types)) if ("properties" in o) yield* walk(t, o.properties);
    yield* walk("config", schema.config.variables);
    yield* walk("provider", schema.provider.inputProperties);
}
/** The schema property of a CUPI field, on every resource that has it and on its object's `*Info` type. */
function* fieldProperties(): Generator<[string, ObjectSpec, Field, Prop]> {
    for (const def of Object.values(RESOURCES)) {
        const r = schema.resources[token(def.kind)];
        for (const f of def.spec.fields) {
            if (r.properties[f.name] && f.access !== "wo") yield [`${def.kind}.${f.name} (output)`, def.spec, f, r.properties[f.name]];
            if (def.inputs.includes(f)) yield [`${def.kind}.${f.name} (input)`, def.spec, f, r.inputProperties[f.name]];
        }
    }
    for (const spec of Object.values(SPECS)) for (const f of spec.fields.filter((x) => !x.secret)) yield [`${spec.kind}Info.${f.name}`, spec, f, info(spec).properties[f.name]];
}

describe("package schema (what the SDK and the engine know)", () => {
    describe("required outputs", () => {
        it("mark what the tables say is always there: cucServer, ObjectId, URI, readable required inputs, mandatory and defaulted fields, ids from the resource id", () => {
            for (const def of Object.values(RESOURCES)) {
                const r = schema.resources[token(def.kind)];
                const required = new Set(r.required);
                expect(r.required, def.kind).to.deep.equal(requiredOutputs(def));
                for (const n of r.required ?? []) expect(r.properties, `${def.kind}.${n}`).to.have.property(n);
                expect([...required], def.kind).to.include.members(["cucServer", "objectId", "uri"]);
                // Required inputs CUPI returns are required outputs; write-only ones (an import cannot read them) are not.
                for (const n of requiredInputs(def)) {
                    const f = def.inputs.find((x) => x.name === n);
                    // (On a kind with built-ins, only the natural key: a built-in may lack the rest.)
                    if (f) expect(required.has(n), `${def.kind}.${n}`).to.equal(f.access !== "wo" && (!def.spec.undeletable || f.cupi === def.spec.key));
                }
                for (const n of [def.parent?.input, def.existing?.input]) if (n) expect(required.has(n), `${def.kind}.${n}`).to.equal(true);
                for (const f of def.spec.fields) {
                    if (!r.properties[f.name] || f.access === "wo") continue;
                    // Mandatory on create: always there, but on a kind with built-ins (not made through CUPI) only its natural key.
                    const mandatory = f.mandatory === true && (!def.spec.undeletable || f.cupi === def.spec.key);
                    const always = f.cupi === "ObjectId" || f.cupi === "URI" || mandatory || (f.default !== undefined && !f.appliesTo) || f.cupi === def.spec.parent?.field;
                    if (always) expect(required.has(f.name), `${def.kind}.${f.name}`).to.equal(true);
                    // A field of some server types only is never required.
                    const kinds = Object.keys(def.spec.byCupi.get(def.spec.discriminator ?? "")?.enum ?? {}).map(Number);
                    if (f.appliesTo && kinds.some((k) => !f.appliesTo!.includes(k))) expect(required.has(f.name), `${def.kind}.${f.name}`).to.equal(false);
                }
                for (const c of def.carried ?? []) expect(required.has(c.name), `${def.kind}.${c.name}`).to.equal(false);
            }
            for (const spec of Object.values(SPECS)) {
                const t = info(spec);
                // A short-form list (users) holds fewer fields than a GET: the results promise what both have.
                const listed = (f: Field) => alwaysReturned(spec, f) && (!spec.shortList || spec.shortList.includes(f.cupi));
                expect(t.required, spec.kind).to.deep.equal(spec.fields.filter((f) => !f.secret && listed(f)).map((f) => f.name));
                expect(t.required, spec.kind).to.include.members(["objectId", "uri"]);
                for (const n of t.required ?? []) expect(t.properties, `${spec.kind}Info.${n}`).to.have.property(n);
            }
            for (const d of DATA_SOURCES) {
                if (d.one) expect(schema.functions[token(d.one.name)].outputs.required, d.one.name).to.deep.equal(info(d.spec).required);
                expect(schema.functions[token(d.list.name)].outputs.required, d.list.name).to.deep.equal([d.list.result]);
            }
        });

        describe("against the engine and the simulator", function () {
            this.timeout(60_000);
            let s: Simulator;
            const missing = (outs: Props, required: string[] | undefined) => (required ?? []).filter((n) => outs[n] === undefined || outs[n] === null);
            before(async () => {
                s = await sim();
            });
            after(async () => s?.close());

            it("every required output is there after create, update, refresh and import, and in every function result", async () => {
                const config = { "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password } as Record<string, string>;
                const ctx = await contextOf(s);
                const created: { p: ReturnType<typeof makeProvider>; id: string; outs: Props }[] = [];
                for (const def of Object.values(RESOURCES)) {
                    const p = makeProvider(def);
                    await p.configure!({ config: { get: (k: string) => config[k] } } as never);
                    const required = schema.resources[token(def.kind)].required;
                    const disc = def.spec.discriminator ? def.spec.byCupi.get(def.spec.discriminator) : undefined;
                    for (const kind of disc?.enum ? Object.keys(disc.enum).map(Number) : [undefined]) {
                        const what = `${def.kind}${kind === undefined ? "" : ` (${disc!.name} ${kind})`}`;
                        const checked = await p.check({}, exampleInputs(def, "minimal", ctx, `-schema${kind ?? ""}`, kind));
                        expect(checked.failures ?? [], what).to.deep.equal([]);
                        const { id, outs } = await p.create(checked.inputs);
                        expect(missing(outs, required), `${what} create`).to.deep.equal([]);
                        const change = oneChange(def, checked.inputs);
                        const updated = (await p.update!(id, outs, { ...checked.inputs, [change.key]: change.value })).outs as Props;
                        expect(missing(updated, required), `${what} update`).to.deep.equal([]);
                        const refreshed = (await p.read!(id, updated)).props as Props;
                        expect(missing(refreshed, required), `${what} refresh`).to.deep.equal([]);
                        // `pulumi import` (hosts/native/server.ts read): no state, every input managed.
                        const imported = (await p.read!(id, { __managed: [...def.inputs.map((f) => f.name), ...(def.members ?? []).map((m) => m.name), ...(def.extraInputs ?? []).map((x) => x.name)] })).props as Props;
                        expect(missing(imported, required), `${what} import`).to.deep.equal([]);
                        created.push({ p, id, outs: updated });
                    }
                }
                const client = getClient({ server: s.url, username: s.user, password: s.password });
                for (const d of DATA_SOURCES) {
                    const required = info(d.spec).required;
                    // A sub-collection of an object no resource hangs off (a list's members): one on the dataset.
                    const parentOf = (kind: string) => ctx[kind] ?? String(s.store.list(kind)[0].ObjectId);
                    const result = await runList(client, d, d.parent ? { [d.parent.arg]: parentOf(d.spec.parent!.kind) } : {});
                    const items = result[d.list.result] as Props[];
                    expect(items.length, `${d.list.name} finds something to check`).to.be.greaterThan(0);
                    for (const item of items) expect(missing(item, required), `${d.list.name} ${String(item.objectId)}`).to.deep.equal([]);
                    if (d.one) expect(missing(await runOne(client, d, { objectId: String(items[0].objectId) }), required), d.one.name).to.deep.equal([]);
                }
                for (const { p, id, outs } of created.reverse()) await p.delete!(id, outs);
            });
        });
    });

    describe("enumerations", () => {
        it("every CUPI field with values refers to an enum type of exactly those values, on resources and *Info types", () => {
            let n = 0;
            for (const [where, spec, f, p] of fieldProperties()) {
                if (!f.enum) {
                    expect(p.$ref === undefined || !("enum" in (typeOf(p) ?? {})), where).to.equal(true);
                    continue;
                }
                n++;
                expect(p.$ref, where).to.equal(`#/types/${token(enumTypeName(spec, f))}`);
                expect(p.type, `${where}: a $ref, not a bare ${p.type}`).to.equal(undefined);
                const e = enumOf(p)!;
                expect(e.type, where).to.equal(f.type);
                expect(e.enum.map((v) => v.value), where).to.deep.equal(Object.keys(f.enum).map((k) => (f.type === "integer" ? Number(k) : k)));
                expect(e.enum.map((v) => v.description), where).to.deep.equal(Object.values(f.enum));
                for (const v of e.enum) expect(v.name, where).to.match(/^[A-Za-z][A-Za-z0-9]*$/);
                expect(new Set(e.enum.map((v) => v.name)).size, where).to.equal(e.enum.length);
            }
            expect(n, "fields with values").to.be.greaterThan(0);
            // serverType also takes readable names in the TypeScript SDK: the schema names them in the description.
            for (const def of Object.values(RESOURCES)) {
                for (const [input, aliases] of Object.entries(def.aliases ?? {})) {
                    const p = schema.resources[token(def.kind)].inputProperties[input] as Prop & { description: string };
                    expect(enumOf(p), `${def.kind}.${input}`).to.not.equal(undefined);
                    for (const a of Object.keys(aliases)) expect(p.description, `${def.kind}.${input}`).to.contain(JSON.stringify(a));
                }
            }
        });

        it("adoptMode is a string enum of the modes the check accepts (it refuses others)", () => {
            for (const def of Object.values(RESOURCES)) {
                const p = schema.resources[token(def.kind)].inputProperties.adoptMode;
                const e = enumOf(p)!;
                expect(e, def.kind).to.not.equal(undefined);
                expect(e.type).to.equal("string");
                const check = makeCheck(def);
                const failures = (mode: unknown) => check({}, { __cucName: "x", adopt: def.makeId("aa6d3f45-ccdf-4fa2-8170-e5c94b51813a", "24f1171f-27b3-4ad3-a94c-66d1fb2e448b"), adoptMode: mode }).failures.filter((f) => f.property === "adoptMode");
                for (const v of e.enum) expect(failures(v.value), `${def.kind} adoptMode ${String(v.value)}`).to.deep.equal([]);
                expect(failures("replace"), `${def.kind} refuses another mode`).to.have.length(1);
            }
        });
    });

    describe("function inputs query and sort", () => {
        it("are typed objects (cuc:index:Query, cuc:index:Sort) whose enums the client's builders accept, on every list function", () => {
            const query = schema.types[token("Query")] as Obj & { type: string };
            const sort = schema.types[token("Sort")] as Obj & { type: string };
            expect(query.type).to.equal("object");
            expect(Object.keys(query.properties)).to.have.members(["column", "op", "value"]);
            expect(query.required).to.have.members(["column", "value"]);
            expect(query.properties.value.oneOf?.map((o) => o.type)).to.have.members(["string", "integer", "boolean"]);
            expect(Object.keys(sort.properties)).to.have.members(["column", "direction"]);
            expect(sort.required).to.deep.equal(["column"]);
            const ops = enumOf(query.properties.op)!.enum.map((v) => v.value as "is");
            const directions = enumOf(sort.properties.direction)!.enum.map((v) => v.value as "asc");
            expect(ops).to.have.length.greaterThan(0);
            expect(directions).to.have.length.greaterThan(0);
            for (const d of DATA_SOURCES) {
                const inputs = schema.functions[token(d.list.name)].inputs.properties;
                expect(inputs.query.$ref, d.list.name).to.equal(`#/types/${token("Query")}`);
                expect(inputs.sort.$ref, d.list.name).to.equal(`#/types/${token("Sort")}`);
                for (const [k, p] of Object.entries(inputs)) expect(p.type, `${d.list.name}.${k}: "object" is a string map to Pulumi`).to.not.equal("object");
                // Every value the schema offers is one the client builds a CUPI search or order from.
                for (const f of d.spec.fields.filter((x) => x.queryable)) {
                    const value = f.type === "boolean" ? true : f.type === "integer" ? 1 : "x";
                    for (const op of ops) expect(buildQuery(d.spec, { column: f.name, op, value }), `${d.list.name} ${f.name} ${op}`).to.contain(` ${op} `);
                }
                for (const f of d.spec.fields.filter((x) => x.sortable)) {
                    for (const direction of directions) expect(buildSort(d.spec, { column: f.name, direction })).to.equal(`(${f.cupi} ${direction})`);
                }
            }
            expect(() => buildQuery(SPECS.PhoneSystem, { column: "displayName", op: "contains" as "is", value: "x" })).to.throw(/is' or 'startswith/);
        });
    });

    describe("configuration", () => {
        it("lists no required keys and declares each setting's default and CUC_* variable, for config and provider alike", () => {
            expect(schema.config).to.not.have.property("defaults");
            expect(schema.provider).to.not.have.property("requiredInputs");
            expect(Object.keys(schema.config.variables)).to.have.members(SETTING_NAMES);
            for (const n of SETTING_NAMES) {
                const s = SETTINGS[n] as { env: string; default?: unknown; secret?: boolean };
                const v = schema.config.variables[n];
                expect(v.defaultInfo, n).to.deep.equal({ environment: [s.env] });
                if (s.default === undefined) expect(v, n).to.not.have.property("default");
                else expect(v.default, n).to.equal(s.default);
                expect(Boolean(v.secret), n).to.equal(Boolean(s.secret));
                expect(schema.provider.inputProperties[n], n).to.deep.equal(v);
            }
        });

        it("types whole-number settings integer, as resource numbers are (no bare `number` anywhere)", () => {
            for (const n of SETTING_NAMES) {
                const s = SETTINGS[n] as { type: string; integer?: boolean; default?: unknown };
                const expected = s.type !== "number" ? s.type : s.integer || Number.isInteger(s.default) ? "integer" : "number";
                expect(schema.config.variables[n].type, n).to.equal(expected);
                if (s.type === "number" && s.default !== undefined) expect(Number.isInteger(s.default), `${n}: a whole default`).to.equal(expected === "integer");
            }
            for (const [where, , f, p] of fieldProperties()) if (f.type === "integer") expect(p.type ?? enumOf(p)?.type, where).to.equal("integer");
            for (const [where, p] of everyProperty()) expect(p.type, where).to.not.equal("number");
        });
    });

    describe("package metadata", () => {
        it("names publisher, repository and home page, no plugin download URL, and the package of each language", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { repository?: string | { url: string }; homepage?: string };
            for (const k of ["publisher", "repository", "homepage"]) expect(schema[k], k).to.be.a("string").and.not.equal("");
            const repo = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
            if (repo) expect(schema.repository).to.equal(repo);
            if (pkg.homepage) expect(schema.homepage).to.equal(pkg.homepage);
            expect(schema).to.not.have.property("pluginDownloadURL");
            expect(schema.language.nodejs).to.deep.equal({ packageName: NODEJS_IMPORT, dependencies: { "@pulumi/pulumi": "^3.0.0" } });
            expect(schema.language.go).to.deep.equal({ importBasePath: GO_IMPORT, generateResourceContainerTypes: false, respectSchemaVersion: true });
            expect(GO_IMPORT.endsWith(`/${PACKAGE}`), "the Go package is named after the schema's").to.equal(true);
            expect(schema.language.python.packageName).to.equal(`pulumi_${PACKAGE}`);
            expect(schema.language.csharp).to.have.property("rootNamespace").that.is.a("string");
            expect(schema.language.csharp.packageReferences).to.have.property("Pulumi");
        });
    });

    describe("Pulumi's schema checker", () => {
        /** A CLI already there ($PULUMI_CLI, PATH, scripts/pulumi-engine's cache): fast tests build none. */
        function cli(): string | undefined {
            const cache = process.env.PULUMI_CUC_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-cuc");
            const cached = fs.existsSync(cache) ? fs.readdirSync(cache).filter((d) => /^pulumi-v\d/.test(d)).sort().reverse().map((d) => path.join(cache, d, "pulumi")) : [];
            const onPath = (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "pulumi"));
            return [process.env.PULUMI_CLI, ...onPath, ...cached].find((p): p is string => !!p && fs.existsSync(p));
        }

        it("`pulumi schema check` finds no error in the schema", function () {
            this.timeout(60_000);
            const pulumi = cli();
            if (!pulumi) this.skip();
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-schema-"));
            try {
                const file = path.join(dir, "schema.json");
                fs.writeFileSync(file, JSON.stringify(schema));
                const env = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: path.join(dir, "home") };
                execFileSync(pulumi!, ["schema", "check", file], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
                // The checker is not a no-op: a dangling reference fails.
                const bad = JSON.parse(JSON.stringify(schema)) as Schema;
                bad.resources[token(Object.keys(RESOURCES)[0])].properties.uri = { $ref: `#/types/${token("NoSuchType")}` };
                fs.writeFileSync(file, JSON.stringify(bad));
                expect(() => execFileSync(pulumi!, ["schema", "check", file], { env, stdio: "pipe" })).to.throw();
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
