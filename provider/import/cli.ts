#!/usr/bin/env node
/**
 * `cuc-import`: writes a Pulumi program that adopts the objects of an existing Connection
 * server. Connection settings come from flags or the usual CUC_* variables.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { CupiClient } from "../client/client";
import { resolveSettings } from "../client/settings";
import { describeCounts, IMPORT_KINDS, render, scan } from "./importer";

const USAGE = `Usage: cuc-import --out DIR [options]
Writes a Pulumi TypeScript program (index.ts, package.json, tsconfig.json, Pulumi.yaml) that
adopts the phone systems, AXL servers, unified messaging services, HTTPS links and port-group
MWI codes of a Connection server, and import.json, the same objects for the native provider's
\`pulumi import --file import.json\`.

  --server HOST          publisher host, host:port or URL (or CUC_SERVER)
  --username NAME        administrator (or CUC_USERNAME)
  --password PASS        password (or CUC_PASSWORD; prefer the variable: flags show in ps)
  --ca-cert FILE|PEM     CA of the server's certificate (or CUC_CA_CERT)
  --insecure             skip TLS verification (or CUC_INSECURE=true)
  --kinds LIST           comma-separated: ${IMPORT_KINDS.join(",")} (default: all)
  --filter TEXT          only objects whose display name contains TEXT, or matches /REGEX/
  --project NAME         Pulumi project name (default cuc-adopted)
  --package-spec SPEC    how the program's package.json asks for pulumi-cuc (default: a copy of
                         this package, packed beside the program as pulumi-cuc-<version>.tgz)
  --out DIR              where to write the program
  --force                overwrite files already in DIR
  --help`;

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            server: { type: "string" }, username: { type: "string" }, password: { type: "string" },
            "ca-cert": { type: "string" }, insecure: { type: "boolean" }, kinds: { type: "string" },
            filter: { type: "string" }, project: { type: "string" }, out: { type: "string" }, "package-spec": { type: "string" },
            force: { type: "boolean" }, help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.out) throw new Error("--out DIR is required (where to write the program)");
    const kinds = values.kinds ? values.kinds.split(",").map((k) => k.trim().toLowerCase()) : [...IMPORT_KINDS];
    const unknown = kinds.filter((k) => !(IMPORT_KINDS as readonly string[]).includes(k));
    if (unknown.length) throw new Error(`--kinds: unknown kind(s) ${unknown.join(", ")}; choose from ${IMPORT_KINDS.join(", ")}`);
    const out = path.resolve(values.out);
    const names = ["index.ts", "package.json", "tsconfig.json", "Pulumi.yaml", "import.json"];
    const existing = names.filter((n) => fs.existsSync(path.join(out, n)));
    if (existing.length && !values.force) throw new Error(`${out} already has ${existing.join(", ")}; use --force to overwrite`);

    const settings = resolveSettings({
        server: values.server, username: values.username, password: values.password,
        caCert: values["ca-cert"], insecure: values.insecure || undefined,
    });
    const client = new CupiClient(settings, { onWarning: (m) => console.error(`warning: ${m}`) });
    try {
        const found = await scan(client, { kinds, filter: values.filter });
        const root = path.resolve(__dirname, "..", "..", "..");
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
        fs.mkdirSync(out, { recursive: true });
        // The program must install as written: a copy of this very package, unless told otherwise.
        const packageSpec = values["package-spec"] ?? `file:${packSelf(root, out)}`;
        const generated = render(found, {
            project: values.project, server: settings.origin, dir: values.out, username: settings.username,
            caCert: caFile(values["ca-cert"] ?? process.env.CUC_CA_CERT, out), insecure: settings.insecure, pluginVersion: pkg.version,
            packageSpec, pulumiVersion: `^${pkg.dependencies["@pulumi/pulumi"].replace(/^\^/, "")}`,
        });
        for (const [name, text] of Object.entries(generated.files)) fs.writeFileSync(path.join(out, name), text);
        console.log(`Wrote ${out}/{${names.join(",")}} from ${settings.origin}:`);
        console.log(`  ${describeCounts(generated.counts)}`);
        if (generated.secrets.length) {
            console.log("Set these stack values (CUPI never returns passwords):");
            for (const s of generated.secrets) console.log(`  pulumi config set${s.secret ? " --secret" : ""} ${s.key} ...   # ${s.why}`);
        }
        console.log("Next:");
        for (const line of generated.next) console.log(`  ${line}`);
        return 0;
    } finally {
        client.close();
    }
}

/** The CA as a file the stack configuration can name: a given file's absolute path, or PEM text saved beside the program. */
function caFile(ca: string | undefined, out: string): string | undefined {
    const text = ca?.trim();
    if (!text) return undefined;
    if (!text.startsWith("-----BEGIN")) return path.resolve(text);
    const file = path.join(out, "server-ca.pem");
    fs.writeFileSync(file, `${text}\n`);
    return file;
}

/** `npm pack` of this package into `dir`; the file name, relative to it. */
function packSelf(root: string, dir: string): string {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = execFileSync(npm, ["pack", root, "--ignore-scripts", "--json", "--pack-destination", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return (JSON.parse(out) as { filename: string }[])[0].filename;
}

main().then(
    (code) => process.exit(code),
    (e: Error) => {
        console.error(`cuc-import: ${e.message}`);
        // The client's hints name the stack settings; here the same values come from flags or CUC_*.
        if (/cuc:(username|password|caCert)/.test(e.message)) console.error("cuc-import: it takes them from --username, --password, --ca-cert, or CUC_USERNAME, CUC_PASSWORD, CUC_CA_CERT");
        process.exit(2);
    },
);
