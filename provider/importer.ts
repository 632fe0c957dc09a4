/**
 * cuc-import: scans a Connection server with one authenticated session and writes a Pulumi
 * TypeScript program that adopts what it found: one resource per object, with its current
 * managed values and `adopt` set.
 */
import type { CupiClient } from "./client/client";
import type { CupiRecord } from "./client/codec";
import { RESOURCES, type ResourceDef } from "./resources";
import { AxlServer, ExternalService, HttpsLink, PhoneSystem, PortGroup } from "./specs";
import type { Scalar } from "./specs/types";

export const IMPORT_KINDS = ["phonesystems", "axlservers", "externalservices", "httpslinks", "portgroups"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ScanOptions {
    kinds?: readonly ImportKind[];
    /** Keep objects whose display name contains this text (case-insensitive) or matches /regex/. */
    filter?: string;
}

export interface Scanned {
    phoneSystems: CupiRecord[];
    axlServers: Map<string, CupiRecord[]>;
    externalServices: CupiRecord[];
    httpsLinks: CupiRecord[];
    portGroups: CupiRecord[];
}

function matcher(filter?: string): (name: unknown) => boolean {
    if (!filter) return () => true;
    const re = /^\/(.*)\/([a-z]*)$/.exec(filter);
    if (re) {
        const rx = new RegExp(re[1], re[2].includes("i") ? re[2] : `${re[2]}i`);
        return (name) => rx.test(String(name ?? ""));
    }
    return (name) => String(name ?? "").toLowerCase().includes(filter.toLowerCase());
}

/** Lists what the chosen kinds hold (sequentially: one session, gentle on the server). */
export async function scan(client: CupiClient, opts: ScanOptions = {}): Promise<Scanned> {
    const kinds = new Set(opts.kinds ?? IMPORT_KINDS);
    const keep = matcher(opts.filter);
    const out: Scanned = { phoneSystems: [], axlServers: new Map(), externalServices: [], httpsLinks: [], portGroups: [] };
    if (kinds.has("phonesystems") || kinds.has("axlservers")) {
        const systems = (await client.list(PhoneSystem)).filter((p) => keep(p.DisplayName));
        if (kinds.has("phonesystems")) out.phoneSystems = systems;
        if (kinds.has("axlservers")) {
            for (const ps of systems) out.axlServers.set(String(ps.ObjectId), await client.list(AxlServer, { parentId: String(ps.ObjectId) }));
        }
    }
    if (kinds.has("externalservices")) out.externalServices = (await client.list(ExternalService)).filter((e) => keep(e.DisplayName));
    if (kinds.has("httpslinks")) out.httpsLinks = (await client.list(HttpsLink)).filter((l) => l.Deleted !== true && keep(l.DisplayName));
    if (kinds.has("portgroups")) out.portGroups = (await client.list(PortGroup)).filter((g) => keep(g.DisplayName));
    return out;
}

/** A readable, unique identifier: `Site A (main)` -> `siteAMain` / `site-a-main`. */
class Names {
    private readonly used = new Set<string>();
    unique(base: string): string {
        let name = base;
        for (let n = 2; this.used.has(name); n++) name = `${base}${/[a-z0-9]$/i.test(base) ? "-" : ""}${n}`;
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

export interface Secret {
    key: string;
    secret: boolean;
    why: string;
}

export interface Generated {
    files: Record<string, string>;
    counts: Record<string, number>;
    /** Stack configuration the program needs before `pulumi up`. */
    secrets: Secret[];
}

const literal = (v: Scalar) => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** Renders the managed inputs of one object as TypeScript object members. */
function members(def: ResourceDef, record: CupiRecord, skip: string[] = []): string[] {
    const lines: string[] = [];
    for (const f of def.inputs) {
        if (f.access === "wo" || skip.includes(f.name) || def.parentInput === f.name) continue;
        const v = record[f.cupi];
        if (v === undefined) continue;
        lines.push(`${f.name}: ${literal(v)},`);
    }
    return lines;
}

export interface RenderOptions {
    project?: string;
    /** Version range of pulumi-cuc in the generated package.json. */
    packageVersion?: string;
    pulumiVersion?: string;
    server?: string;
}

/** Writes index.ts, package.json, tsconfig.json and Pulumi.yaml for the scanned objects. */
export function render(found: Scanned, opts: RenderOptions = {}): Generated {
    const vars = new Names();
    const names = new Names();
    const secrets: Secret[] = [];
    const blocks: string[] = [];
    const counts: Record<string, number> = { phoneSystems: 0, axlServers: 0, externalServices: 0, httpsLinks: 0, portGroups: 0 };
    const resource = (cls: string, varName: string, resName: string, body: string[], comment?: string) =>
        `${comment ? `// ${comment}\n` : ""}const ${varName} = new cuc.${cls}(${JSON.stringify(resName)}, {\n${body.map((l) => `    ${l}`).join("\n")}\n}, adopted);\n`;
    const secretConfig = (key: string, why: string, isSecret = true) => {
        secrets.push({ key, secret: isSecret, why });
        return isSecret ? `config.requireSecret(${JSON.stringify(key)})` : `config.require(${JSON.stringify(key)})`;
    };
    const exported: string[] = [];

    const psVars = new Map<string, string>();
    const psNames = new Map<string, string>();
    for (const ps of found.phoneSystems) {
        psNames.set(String(ps.ObjectId), String(ps.DisplayName));
        const v = vars.unique(camel(String(ps.DisplayName), "phoneSystem"));
        psVars.set(String(ps.ObjectId), v);
        blocks.push(resource("PhoneSystem", v, names.unique(kebab(String(ps.DisplayName), "phone-system")), [
            `adopt: ${JSON.stringify(ps.ObjectId)},`,
            ...members(RESOURCES.PhoneSystem, ps),
        ]));
        exported.push(`export const ${v}Id = ${v}.objectId;`);
        counts.phoneSystems++;
    }
    for (const [psId, servers] of found.axlServers) {
        const psVar = psVars.get(psId);
        for (const axl of servers) {
            const base = `${psNames.get(psId) ?? "phone system"} axl ${axl.HostOrIPAddress ?? axl.ObjectId}`;
            const v = vars.unique(camel(base, "axlServer"));
            const key = `${v}Password`;
            blocks.push(resource("AxlServer", v, names.unique(kebab(base, "axl-server")), [
                `adopt: ${JSON.stringify(`${psId}/${axl.ObjectId}`)},`,
                // Reference the phone system's variable, so the dependency is explicit.
                `phoneSystemId: ${psVar ? `${psVar}.objectId` : JSON.stringify(psId)},`,
                ...members(RESOURCES.AxlServer, axl),
                `ccmAxlPassword: ${secretConfig(key, `AXL password of ${axl.CcmAXLUser || "the AXL user"} on ${axl.HostOrIPAddress}`)},`,
            ]));
            counts.axlServers++;
        }
    }
    for (const es of found.externalServices) {
        const v = vars.unique(camel(String(es.DisplayName), "externalService"));
        const body = [`adopt: ${JSON.stringify(es.ObjectId)},`, ...members(RESOURCES.ExternalService, es)];
        body.push(`servicePassword: ${secretConfig(`${v}ServicePassword`, `password of ${es.ServiceAlias ?? "the service account"} for ${es.DisplayName}`)},`);
        blocks.push(resource("ExternalService", v, names.unique(kebab(String(es.DisplayName), "external-service")), body));
        counts.externalServices++;
    }
    for (const link of found.httpsLinks) {
        const v = vars.unique(camel(`link ${link.DisplayName}`, "httpsLink"));
        const host = /^https?:\/\/([^/]+)/.exec(String(link.BaseFeedURL ?? ""))?.[1] ?? String(link.DisplayName);
        blocks.push(resource("HttpsLink", v, names.unique(kebab(`link ${link.DisplayName}`, "https-link")), [
            `adopt: ${JSON.stringify(link.ObjectId)},`,
            `remoteServer: ${JSON.stringify(host)},`,
            `remoteUsername: ${secretConfig(`${v}RemoteUsername`, `administrator of ${host} (used only to join again)`, false)},`,
            `remotePassword: ${secretConfig(`${v}RemotePassword`, `password of that administrator on ${host}`)},`,
            ...members(RESOURCES.HttpsLink, link, ["remoteServer"]),
        ]));
        counts.httpsLinks++;
    }
    for (const pg of found.portGroups) {
        const v = vars.unique(camel(`mwi ${pg.DisplayName}`, "portGroupMwi"));
        blocks.push(resource("PortGroupMwi", v, names.unique(kebab(`mwi ${pg.DisplayName}`, "port-group-mwi")), [
            `adopt: ${JSON.stringify(pg.ObjectId)},`,
            `portGroupId: ${JSON.stringify(pg.ObjectId)},`,
            `mwiOnCode: ${JSON.stringify(pg.MwiOnCode ?? "")},`,
            `mwiOffCode: ${JSON.stringify(pg.MwiOffCode ?? "")},`,
        ], `Port group ${pg.DisplayName} of ${pg.MediaSwitchDisplayName ?? "its phone system"}: only its MWI codes are managed.`));
        counts.portGroups++;
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
    const index = [
        header,
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as cuc from "pulumi-cuc";',
        "",
        "const config = new pulumi.Config();",
        "// Protected, as `pulumi import` leaves what it imports: `pulumi destroy` will not delete these",
        "// production objects. Remove the option once you trust the program.",
        "const adopted: pulumi.CustomResourceOptions = { protect: true };",
        "",
        blocks.join("\n"),
        exported.join("\n"),
        "",
    ].join("\n").replace(/\n{3,}/g, "\n\n");
    const files: Record<string, string> = {
        "index.ts": index,
        "package.json": JSON.stringify({
            name: project,
            private: true,
            main: "index.ts",
            dependencies: { "@pulumi/pulumi": opts.pulumiVersion ?? "^3.248.0", "pulumi-cuc": opts.packageVersion ?? "^0.1.0" },
            devDependencies: { typescript: "^5.9.0", "@types/node": "^20.0.0" },
        }, null, 2) + "\n",
        "tsconfig.json": JSON.stringify({
            compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true, outDir: "bin" },
            files: ["index.ts"],
        }, null, 2) + "\n",
        "Pulumi.yaml": `name: ${project}\ndescription: Cisco Unity Connection objects adopted by cuc-import\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    };
    return { files, counts, secrets };
}
