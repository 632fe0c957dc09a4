/**
 * cuc-import: scans a Connection server with one authenticated session and writes a Pulumi
 * TypeScript program that adopts what it found: one resource per object, with its current
 * managed values and `adopt` set. Everything per kind comes from the resource definitions
 * (their `import` section, inputs, parent and write-only fields).
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { configKey, nativeToken } from "../client/package";
import { decodeChild, onlyToCreate, RESOURCES, shapeNames, type ChildSet, type ChildShape, type ResourceDef, type RowList } from "../resources";
import { FRESH_CHILDREN, SPECS } from "../specs";
import { isMandatory, phraseOf, type Field, type ObjectSpec, type Scalar } from "../specs/types";

/** The definitions as they are when a scan or a render runs. */
const defs = () => Object.values(RESOURCES);
/** The `--kinds` words of the package's resources (the CLI's choices). */
export const IMPORT_KINDS = defs().map((d) => d.import.word);

export interface ScanOptions {
    /** `--kinds` words (ImportSpec.word); default: every resource. */
    kinds?: readonly string[];
    /** Told as objects are read: what is being read, how many are done of how many known so far. */
    onProgress?: (p: { what: string; done: number; total: number }) => void;
    /** Keep objects whose display name contains this text (case-insensitive) or matches /regex/. */
    filter?: string;
}

/**
 * What was found, by resource kind: each object with its parent's ObjectId where it has one, and
 * the parent's name where the parent is no resource (the program cannot refer to a variable).
 */
export type Scanned = Map<string, { record: CupiRecord; parentId?: string; parentName?: string; members?: Record<string, string[]>; nested?: Record<string, unknown> }[]>;

/** What the filter and the messages go by: the display name, else the natural key. */
const nameOf = (spec: { key?: string }, r: CupiRecord) => r.DisplayName ?? r[spec.key ?? "DisplayName"];

function matcher(filter?: string): (name: unknown) => boolean {
    if (!filter) return () => true;
    const re = /^\/(.*)\/([a-z]*)$/.exec(filter);
    if (re) {
        const rx = new RegExp(re[1], re[2].includes("i") ? re[2] : `${re[2]}i`);
        return (name) => rx.test(String(name ?? ""));
    }
    return (name) => String(name ?? "").toLowerCase().includes(filter.toLowerCase());
}

/**
 * Lists what the chosen kinds hold with one authenticated session, at the pace the client allows
 * (`cuc:maxConcurrent` requests in flight: gentle on a server that serves 5 at once for everyone).
 * Collections are read in pages; where a list is a short form (users) each object is read in full,
 * and each object's member lists and sub-collections are listed, all through the client's limiter.
 * The filter applies to top-level objects; objects under a parent go with their parent, a
 * resource or not (a sub-collection of port groups is listed under every port group the filter keeps).
 */
export async function scan(client: CupiClient, opts: ScanOptions = {}): Promise<Scanned> {
    const kinds = new Set(opts.kinds ?? defs().map((d) => d.import.word));
    const keep = matcher(opts.filter);
    const lists = new Map<string, Promise<CupiRecord[]>>();
    let done = 0, total = 0;
    /** One read per object, counted for the progress bar. */
    const each = async <T, R>(what: string, items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> => {
        total += items.length;
        opts.onProgress?.({ what, done, total });
        return Promise.all(items.map(async (item) => {
            const r = await fn(item);
            opts.onProgress?.({ what, done: ++done, total });
            return r;
        }));
    };
    /** A short-form list (users) read in full, one GET each. */
    const full = async (spec: ObjectSpec, rows: CupiRecord[], parentId?: string) => {
        if (!spec.shortList) return rows;
        const got = await each(`${phraseOf(spec)}s`, rows, (r) => client.find(spec, String(r.ObjectId), parentId));
        return got.filter((r): r is CupiRecord => r !== undefined);
    };
    /** The objects of a resource kind, or of a parent's kind that is no resource, the filter keeps (and the resource's import.keep). */
    const top = (kind: string) => {
        const def = RESOURCES[kind] as ResourceDef | undefined;
        const spec = def?.spec ?? SPECS[kind];
        if (!lists.has(kind)) lists.set(kind, client.list(spec).then((rows) => full(spec, rows.filter((r) => kept(def, r) && keep(nameOf(spec, r))))));
        return lists.get(kind)!;
    };
    /** Each member list of an object, from one listing of each membership sub-collection. */
    const membersOf = async (def: ResourceDef, objectId: string) => {
        if (!def.members?.length) return undefined;
        const bySpec = new Map<ObjectSpec, CupiRecord[]>();
        const out: Record<string, string[]> = {};
        for (const m of def.members) {
            if (!bySpec.has(m.spec)) bySpec.set(m.spec, await client.list(m.spec, { parentId: objectId }));
            // With its fixed values (a set's holidays are the rows with Exclude true).
            const rows = bySpec.get(m.spec)!.filter((r) => r[m.field] !== undefined && r[m.field] !== "" && Object.entries(m.fixed ?? {}).every(([k, v]) => r[k] === v));
            if (m.order) rows.sort((a, b) => Number(a[m.order!]) - Number(b[m.order!]));
            out[m.name] = rows.map((r) => String(r[m.field]).toLowerCase());
        }
        return out;
    };
    const found: Scanned = new Map();
    for (const def of defs()) {
        if (!kinds.has(def.import.word)) continue;
        // A user's primary handler is the user's own business (three GETs more per user at a site's size): not imported.
        const sets = (def.children ?? []).filter((c) => !c.under);
        const hasMore = Boolean(def.members?.length || sets.length || def.rows?.length);
        const withMembers = (records: CupiRecord[], parentId?: string, parentName?: string) =>
            hasMore
                ? each(`the parts of ${def.phrase}s`, records, async (record) => ({
                    record, parentId, parentName,
                    members: await membersOf(def, String(record.ObjectId)),
                    nested: await nestedOf(client, sets, def.rows ?? [], String(record.ObjectId)),
                }))
                : Promise.resolve(records.map((record) => ({ record, parentId, parentName })));
        if (!def.parent) {
            found.set(def.kind, await withMembers(await top(def.kind)));
            continue;
        }
        const resourceParent = Boolean(RESOURCES[def.parent.kind]);
        const under = await each(`${def.phrase}s`, await top(def.parent.kind), async (parent) => {
            const parentId = String(parent.ObjectId);
            const parentName = resourceParent ? undefined : String(parent.DisplayName ?? parentId);
            const rows = (await full(def.spec, await client.list(def.spec, { parentId }), parentId)).filter((r) => kept(def, r));
            return withMembers(rows, parentId, parentName);
        });
        found.set(def.kind, under.flat());
    }
    return found;
}

/**
 * What an object has of nested inputs, in the program's words: the children that differ from
 * what a fresh system template gives (only their fields that differ), and every row (only the
 * values that differ from the tables' defaults). One GET per child set and row list.
 */
async function nestedOf(client: CupiClient, sets: readonly ChildSet[], rows: readonly RowList[], objectId: string): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    const defaultsOf = (spec: ObjectSpec) => Object.fromEntries(spec.fields.filter((f) => f.default !== undefined).map((f) => [f.cupi, f.default])) as CupiRecord;
    /** The values of `record` that are not those of `base`, in the program's words. */
    const differing = (shape: ChildShape, record: CupiRecord, base: CupiRecord) => {
        const names = shapeNames(shape);
        const have = decodeChild(shape, record, names), was = decodeChild(shape, base, names);
        return Object.fromEntries(Object.entries(have).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(was[k])));
    };
    for (const set of sets) {
        const { spec } = set.shape;
        const held = new Map((await client.list(spec, { parentId: objectId })).map((r) => [String(r[spec.addressedBy!]), r]));
        const children: Record<string, unknown> = {};
        for (const [key, cupi] of Object.entries(set.keys)) {
            const r = held.get(cupi);
            if (!r) continue;
            const diff = differing(set.shape, r, { ...defaultsOf(spec), ...FRESH_CHILDREN[spec.kind]?.[cupi] });
            if (Object.keys(diff).length) children[key] = diff;
        }
        if (Object.keys(children).length) out[set.name] = children;
    }
    for (const list of rows) {
        const held = await client.list(list.shape.spec, { parentId: objectId });
        if (held.length) out[list.name] = held.map((r) => differing(list.shape, r, defaultsOf(list.shape.spec)));
    }
    return out;
}

/**
 * Whether cuc-import writes an object: not a built-in (Connection's own, never deleted: a program
 * refers to it with a data source), and what the definition keeps.
 */
const kept = (def: ResourceDef | undefined, r: CupiRecord) =>
    !(def?.spec.undeletable && r[def.spec.undeletable] === true) && (def?.import.keep?.(r) ?? true);

/** A readable, unique identifier: `Site A (main)` -> `siteAMain` / `site-a-main`. */
class Names {
    private readonly used = new Set<string>();
    /** `separator` before the number that tells two alike apart: "-" in resource names, none in variables (`widget2`). */
    constructor(private readonly separator: string) {}
    unique(base: string): string {
        let name = base;
        for (let n = 2; this.used.has(name); n++) name = `${base}${/[a-z0-9]$/i.test(base) ? this.separator : ""}${n}`;
        this.used.add(name);
        return name;
    }
}

const words = (text: string) => text.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, " ").trim().split(/\s+/).filter(Boolean);
const kebab = (text: string, fallback: string) => words(text).join("-").toLowerCase() || fallback;
function camel(text: string, fallback: string): string {
    const w = words(text);
    const s = w.map((x, i) => (i === 0 ? x.toLowerCase() : x[0].toUpperCase() + x.slice(1).toLowerCase())).join("") || fallback;
    return /^[0-9]/.test(s) ? `_${s}` : s;
}
/** `PhoneSystem` -> `phoneSystem` / `phone-system`, the fallbacks for objects without a name. */
const kindCamel = (kind: string) => kind[0].toLowerCase() + kind.slice(1);
const kindKebab = (kind: string) => kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();

export interface Secret {
    key: string;
    secret: boolean;
    why: string;
}

export interface Generated {
    files: Record<string, string>;
    /** Objects written, by resource kind. */
    counts: Record<string, number>;
    /** Stack configuration the program needs before `pulumi up`. */
    secrets: Secret[];
    /** The commands to run next, one a line. */
    next: string[];
}

const literal = (v: Scalar) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** `3 phone system(s), 4 AXL server(s), ...` for a summary. */
export const describeCounts = (counts: Record<string, number>) =>
    defs().map((d) => `${counts[d.kind] ?? 0} ${d.import.plural ?? `${d.phrase}(s)`}`).join(", ");

export interface RenderOptions {
    project?: string;
    /**
     * Resources per file: a larger program is split into modules of at most this many (default
     * 500), which index.ts imports, so that TypeScript checks and the engine loads a whole site.
     */
    split?: number;
    /** How the generated package.json asks for pulumi-cuc: a tarball beside it, or a registry range. */
    packageSpec?: string;
    pulumiVersion?: string;
    /** The server's origin, user, CA file and TLS choice: the "Next" steps repeat them. */
    server?: string;
    /** Where the program is written, as the user typed it (the first step changes into it). */
    dir?: string;
    username?: string;
    caCert?: string;
    insecure?: boolean;
    /** The plugin version `pulumi plugin install` names. */
    pluginVersion?: string;
}

/**
 * The objects of one kind with those its objects refer to first (a list nested in another is
 * declared before it), so that a reference is to a variable declared above; a cycle keeps the
 * scan's order (the reference is then an ObjectId).
 */
function ordered(def: ResourceDef, items: NonNullable<ReturnType<Scanned["get"]>>): NonNullable<ReturnType<Scanned["get"]>> {
    const own = new Set([def.kind, def.spec.kind]);
    const selfRefs = [
        ...def.inputs.filter((f) => f.ref && own.has(f.ref)).map((f) => (i: (typeof items)[number]) => [String(i.record[f.cupi] ?? "")]),
        ...(def.members ?? []).filter((m) => own.has(m.spec.byCupi.get(m.field)?.ref ?? "")).map((m) => (i: (typeof items)[number]) => i.members?.[m.name] ?? []),
        // A key or a greeting that goes to another handler.
        ...(def.children ?? []).flatMap((c) => c.shape.fields.filter((f) => f.ref && own.has(f.ref)).map((f) => (i: (typeof items)[number]) =>
            Object.values((i.nested?.[c.name] ?? {}) as Record<string, Record<string, unknown>>).map((child) => String(child[f.name] ?? "")))),
    ];
    if (!selfRefs.length) return items;
    const byId = new Map(items.map((i) => [String(i.record.ObjectId).toLowerCase(), i]));
    const out: typeof items = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (i: (typeof items)[number]) => {
        const id = String(i.record.ObjectId).toLowerCase();
        if (state.has(id)) return;
        state.set(id, "visiting");
        for (const refs of selfRefs) for (const r of refs(i)) { const dep = byId.get(r.toLowerCase()); if (dep) visit(dep); }
        state.set(id, "done");
        out.push(i);
    };
    items.forEach(visit);
    return out;
}

/** Resources per file of a program cuc-import writes (RenderOptions.split). */
export const SPLIT_AT = 500;

/** One resource of the program: its declaration, its variable, and the variables it refers to. */
interface Block {
    word: string;
    variable: string;
    uses: ReadonlySet<string>;
    text: string;
}

/**
 * A program too large for one file, in modules: `common.ts` (the configuration and the protect
 * option), then each kind's resources in files of at most `size` (`users-1.ts`, `users-2.ts`, ...,
 * in the order they refer to each other), each importing the variables it refers to from the
 * module that declares them; index.ts imports every module in that order, and exports the ids.
 */
function splitProgram(header: string, protectNote: string[], blocks: Block[], exported: { line: string; uses: string }[], size: number): Record<string, string> {
    const moduleOf = new Map<string, string>();
    const modules: { name: string; blocks: Block[] }[] = [];
    for (const b of blocks) {
        let last = modules.at(-1);
        if (!last || last.blocks[0].word !== b.word || last.blocks.length >= size) {
            const n = modules.filter((m) => m.blocks[0].word === b.word).length + 1;
            modules.push((last = { name: `${b.word}-${n}`, blocks: [] }));
        }
        last.blocks.push(b);
        moduleOf.set(b.variable, last.name);
    }
    /** `import { a, b } from "./users-1";` for each module the variables come from but `self`. */
    const importsOf = (vars: Iterable<string>, self?: string) => {
        const from = new Map<string, Set<string>>();
        for (const v of vars) {
            const m = moduleOf.get(v);
            if (m && m !== self) from.set(m, new Set([...(from.get(m) ?? []), v]));
        }
        return [...from].map(([m, vs]) => `import { ${[...vs].sort().join(", ")} } from "./${m}";`);
    };
    const files: Record<string, string> = {
        "common.ts": [
            "// Shared by every module of the program (generated by cuc-import).",
            'import * as pulumi from "@pulumi/pulumi";',
            "",
            "export const config = new pulumi.Config();",
            ...protectNote,
            "export const adopted: pulumi.CustomResourceOptions = { protect: true };",
            "",
        ].join("\n"),
    };
    for (const m of modules) {
        const used = m.blocks.flatMap((b) => [...b.uses]);
        const needsConfig = m.blocks.some((b) => b.text.includes("config."));
        files[`${m.name}.ts`] = [
            `// ${m.blocks.length} resource(s) adopted by cuc-import; index.ts imports this module.`,
            'import * as cuc from "pulumi-cuc";',
            `import { ${needsConfig ? "adopted, config" : "adopted"} } from "./common";`,
            ...importsOf(used, m.name),
            "",
            m.blocks.map((b) => b.text.replace(/^((?:\/\/[^\n]*\n)?)const /, "$1export const ")).join("\n"),
        ].join("\n");
    }
    files["index.ts"] = [
        header,
        `// ${blocks.length} resources in ${modules.length} modules of at most ${size}, imported in the order they refer to each other.`,
        ...modules.map((m) => `import "./${m.name}";`),
        ...importsOf(exported.map((e) => e.uses)),
        "",
        exported.map((e) => e.line).join("\n"),
        "",
    ].join("\n");
    return files;
}

/** Writes index.ts (and, for a large program, its modules), package.json, tsconfig.json and Pulumi.yaml for the scanned objects. */
export function render(found: Scanned, options: RenderOptions = {}): Generated {
    const opts = { split: SPLIT_AT, ...options };
    const vars = new Names("");
    const names = new Names("-");
    const secrets: Secret[] = [];
    const blocks: Block[] = [];
    const exported: { line: string; uses: string }[] = [];
    const counts: Record<string, number> = {};
    /** Variable and label of every object written, by kind and ObjectId, for its children. */
    const written = new Map<string, { variable: string; label: string }>();
    const parentKinds = new Set(defs().map((d) => d.parent?.kind).filter(Boolean));
    /** The same objects for `pulumi import --file` (native mode): type, resource name, id. */
    const imports: { type: string; name: string; id: string }[] = [];

    /** The parents that have children in the program: their ids are the stack's outputs (not every user's). */
    const parentsOfChildren = new Set<string>();
    /** The variable of every object written, by ObjectId (GUIDs are unique across kinds). */
    const variables = new Map<string, string>();
    /** A reference to an object the program declares: its variable's objectId (the plan then orders them), else the ObjectId. */
    /** Variables the block being written refers to (the module that declares them is imported where the program is split). */
    let uses = new Set<string>();
    const reference = (id: string) => {
        const variable = variables.get(id.toLowerCase());
        if (variable) uses.add(variable);
        return variable ? `${variable}.objectId` : JSON.stringify(id);
    };
    const valueOf = (f: Field, v: Scalar) => (f.ref && typeof v === "string" && v ? reference(v) : literal(v));

    for (const def of defs()) {
        for (const { record, parentId, parentName, members, nested } of ordered(def, found.get(def.kind) ?? [])) {
            const parent = def.parent && parentId ? written.get(`${def.parent.kind}|${parentId}`) : undefined;
            uses = new Set(parent ? [parent.variable] : []);
            const label = def.import.label?.(record, parent?.label ?? parentName) ?? String(nameOf(def.spec, record) ?? "");
            const v = vars.unique(camel(label, kindCamel(def.kind)));
            const objectId = String(record.ObjectId);
            const disc = def.spec.discriminator ? Number(record[def.spec.discriminator]) : undefined;
            const body = [`adopt: ${JSON.stringify(def.makeId(objectId, parentId))},`];
            // Reference the parent's variable, so the dependency is explicit; a parent the program
            // does not declare (not selected, or no resource: a port group) by its ObjectId.
            if (def.parent && parentId) {
                body.push(parent ? `${def.parent.input}: ${parent.variable}.objectId,` : `${def.parent.input}: ${JSON.stringify(parentId)},${parentName ? ` // ${def.parent.phrase} ${JSON.stringify(parentName)}` : ""}`);
            }
            if (def.existing) body.push(`${def.existing.input}: ${JSON.stringify(objectId)},`);
            for (const f of def.inputs) {
                if (f.name === def.parent?.input) continue;
                const readBack = def.readBack?.[f.name];
                if (onlyToCreate(def, f)) {
                    // CUPI never returns it: mandatory ones (and those the definition names) come from the stack configuration.
                    if (!isMandatory(f, disc) && !def.import.configKeys?.[f.name]) continue;
                    const key = `${v}${def.import.configKeys?.[f.name] ?? f.name[0].toUpperCase() + f.name.slice(1)}`;
                    secrets.push({ key, secret: Boolean(f.secret), why: `${f.name} of ${def.phrase} ${label}` });
                    body.push(`${f.name}: config.${f.secret ? "requireSecret" : "require"}(${JSON.stringify(key)}),`);
                    continue;
                }
                const value = readBack ? readBack(record) : def.partOf.has(f.name) ? undefined : record[f.cupi];
                if (value !== undefined) body.push(`${f.name}: ${valueOf(f, value)},`);
            }
            for (const m of def.members ?? []) {
                const ids = members?.[m.name];
                if (!ids?.length) continue;
                body.push(`${m.name}: [${ids.map(reference).join(", ")}],`);
            }
            /** A child or a row as an object literal: a target is a reference to the variable that declares it. */
            const literalOf = (shape: ChildShape, values: Record<string, unknown>) => {
                const byName = new Map(shape.fields.map((f) => [f.name, f] as const));
                const value = (k: string, x: unknown) => (Array.isArray(x) ? `[${x.map((e) => literal(e as Scalar)).join(", ")}]` : byName.get(k) ? valueOf(byName.get(k)!, x as Scalar) : literal(x as Scalar));
                return `{ ${Object.entries(values).map(([k, x]) => `${k}: ${value(k, x)}`).join(", ")} }`;
            };
            for (const set of def.children ?? []) {
                const children = nested?.[set.name] as Record<string, Record<string, unknown>> | undefined;
                if (!children) continue;
                body.push(`${set.name}: {`, ...Object.entries(children).map(([key, child]) => `    ${key}: ${literalOf(set.shape, child)},`), "},");
            }
            for (const list of def.rows ?? []) {
                const rows = nested?.[list.name] as Record<string, unknown>[] | undefined;
                if (!rows) continue;
                body.push(`${list.name}: [`, ...rows.map((row) => `    ${literalOf(list.shape, row)},`), "],");
            }
            const comment = def.import.comment?.(record);
            const name = names.unique(kebab(label, kindKebab(def.kind)));
            imports.push({ type: nativeToken(def.kind), name, id: def.makeId(objectId, parentId) });
            blocks.push({ word: def.import.word, variable: v, uses, text: `${comment ? `// ${comment}\n` : ""}const ${v} = new cuc.${def.kind}(${JSON.stringify(name)}, {\n${body.map((l) => `    ${l}`).join("\n")}\n}, adopted);\n` });
            written.set(`${def.kind}|${objectId}`, { variable: v, label });
            variables.set(objectId.toLowerCase(), v);
            if (parentKinds.has(def.kind)) exported.push({ line: `export const ${v}Id = ${v}.objectId;`, uses: v });
            if (parent) parentsOfChildren.add(parent.variable);
            counts[def.kind] = (counts[def.kind] ?? 0) + 1;
        }
    }

    const project = opts.project ?? "cuc-adopted";
    const header = [
        `// Generated by cuc-import${opts.server ? ` from ${opts.server}` : ""}. Every resource adopts an existing object:`,
        "// `pulumi up` compares the values below with the server and changes nothing unless they differ",
        '// (adoptMode "verify"). Review, then commit this program.',
        "//",
        secrets.length ? "// Set these stack values first (CUPI never returns passwords):" : "// No stack secrets are needed.",
        ...secrets.map((s) => `//   pulumi config set${s.secret ? " --secret" : ""} ${s.key} ...   # ${s.why}`),
    ].join("\n");
    const outputs = exported.filter((e) => parentsOfChildren.has(e.uses));
    const protectNote = [
        "// Protected, as `pulumi import` leaves what it imports: `pulumi destroy` will not delete these",
        "// production objects. Remove the option once you trust the program.",
    ];
    const program: Record<string, string> = {};
    if (blocks.length <= opts.split!) {
        program["index.ts"] = [
            header,
            'import * as pulumi from "@pulumi/pulumi";',
            'import * as cuc from "pulumi-cuc";',
            "",
            "const config = new pulumi.Config();",
            ...protectNote,
            "const adopted: pulumi.CustomResourceOptions = { protect: true };",
            "",
            blocks.map((b) => b.text).join("\n"),
            outputs.map((e) => e.line).join("\n"),
            "",
        ].join("\n").replace(/\n{3,}/g, "\n\n");
    } else {
        Object.assign(program, splitProgram(header, protectNote, blocks, outputs, opts.split!));
    }
    const files: Record<string, string> = {
        ...program,
        "package.json": JSON.stringify({
            name: project,
            private: true,
            main: "index.ts",
            dependencies: { "@pulumi/pulumi": opts.pulumiVersion ?? "^3.248.0", "pulumi-cuc": opts.packageSpec ?? "^0.1.0" },
            devDependencies: { typescript: "^5.9.0", "@types/node": "^20.0.0" },
        }, null, 2) + "\n",
        "tsconfig.json": JSON.stringify({
            compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, outDir: "bin" },
            files: ["index.ts"],
        }, null, 2) + "\n",
        // The plugin version the native classes ask for: the imported resources then share their default provider.
        "import.json": JSON.stringify({ resources: imports.map((r) => (opts.pluginVersion ? { ...r, version: opts.pluginVersion } : r)) }, null, 2) + "\n",
        "Pulumi.yaml": `name: ${project}\ndescription: Cisco Unity Connection objects adopted by cuc-import\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    };
    return { files, counts, secrets, next: nextSteps(opts, project) };
}

/** What to run after cuc-import, with the settings it was given (a CA, insecure) carried over. */
function nextSteps(opts: RenderOptions, project: string): string[] {
    const sh = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
    const steps = [
        `cd ${sh(opts.dir ?? project)} && npm install && pulumi stack init prod`,
        `pulumi config set ${configKey("server")} ${sh((opts.server ?? "<publisher>").replace(/^https:\/\//, ""))} && pulumi config set ${configKey("username")} ${sh(opts.username ?? "<admin>")} && pulumi config set --secret ${configKey("password")} ...`,
    ];
    if (opts.caCert) steps.push(`pulumi config set ${configKey("caCert")} ${sh(opts.caCert)}`);
    if (opts.insecure) steps.push(`pulumi config set ${configKey("insecure")} true   # as you ran cuc-import: no TLS verification (lab only)`);
    steps.push(
        "pulumi preview   # every resource shows as create: adoption takes the objects over, nothing is created",
        "pulumi up",
        "Or, instead of index.ts, import them with the native provider (pulumi-cuc/native):",
        `  pulumi plugin install resource cuc ${opts.pluginVersion ?? "<version>"} --file node_modules/pulumi-cuc/dist/plugin`,
        "  pulumi import --file import.json --out imported.ts   # then replace index.ts with imported.ts",
    );
    return steps;
}
