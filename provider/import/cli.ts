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
import { configKey } from "../client/package";
import { mergeSettings, resolveSettings, settingFlag, SETTING_NAMES, SETTINGS, settingsFromEnv, settingsFromFlags, type ConnectionSettings, type SettingName } from "../client/settings";
import { SingleBar } from "cli-progress";
import { describeCounts, IMPORT_KINDS, render, scan, SPLIT_AT } from "./importer";

/** The flags of the connection settings, from the settings table: a true/false one also has its `--no-` form. */
export const SETTING_OPTIONS: Record<string, { type: "string" | "boolean" }> = Object.fromEntries(SETTING_NAMES.flatMap((n): [string, { type: "string" | "boolean" }][] => {
    const flag = settingFlag(n);
    return SETTINGS[n].type === "boolean" ? [[flag, { type: "boolean" }], [`no-${flag}`, { type: "boolean" }]] : [[flag, { type: "string" }]];
}));

const OPTIONS = {
    ...SETTING_OPTIONS,
    kinds: { type: "string" }, filter: { type: "string" }, project: { type: "string" }, out: { type: "string" }, "package-spec": { type: "string" },
    split: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean" },
} as const;

/** One entry of the usage: the flag, then its text wrapped in the text column (below a long flag). */
function usageLine(flag: string, text: string): string {
    const indent = " ".repeat(25);
    const lines = [flag.length > 21 ? `  ${flag}` : `  ${flag.padEnd(23)}`];
    if (flag.length > 21) lines.push(indent);
    for (const word of text.split(" ")) {
        const last = lines.length - 1;
        if (lines[last].length + word.length >= 100 && lines[last].trim().length > flag.length) lines.push(indent);
        lines[lines.length - 1] += `${lines[lines.length - 1].endsWith(" ") ? "" : " "}${word}`;
    }
    return lines.join("\n");
}

/** A setting's line of the usage: flag, value, doc, default, variable. */
export function settingUsage(n: SettingName): string {
    const s = SETTINGS[n] as (typeof SETTINGS)[SettingName] & { default?: unknown; values?: readonly string[]; secret?: boolean };
    const flag = settingFlag(n);
    const shown = s.type === "boolean" ? `--[no-]${flag}` : `--${flag} ${s.values ? s.values.join("|") : s.type === "number" ? "N" : "TEXT"}`;
    const notes = [s.default !== undefined ? `default ${String(s.default)}` : "", `or ${s.env}`, s.secret ? `prefer ${s.env}: flags show in ps` : ""].filter(Boolean);
    return usageLine(shown, `${s.doc} (${notes.join("; ")})`);
}

export const USAGE = `Usage: cuc-import --out DIR [options]
Writes a Pulumi TypeScript program (index.ts, package.json, tsconfig.json, Pulumi.yaml) that
adopts the directory of a Connection server (users, user templates, contacts, distribution lists
with their members, classes of service, partitions, search spaces) and its telephony (phone
systems, AXL servers, unified messaging services, HTTPS links, port-group MWI codes), and
import.json, the same objects for the native provider's \`pulumi import --file import.json\`.

Connection:
${SETTING_NAMES.map(settingUsage).join("\n")}

Program:
  --kinds LIST           comma-separated: ${IMPORT_KINDS.join(",")} (default: all)
  --filter TEXT          only objects whose display name contains TEXT, or matches /REGEX/
  --project NAME         Pulumi project name (default cuc-adopted)
  --split N              resources per file: a larger program is written as modules of at most N
                         that index.ts imports (default ${SPLIT_AT}; a site's thousands of users)
  --package-spec SPEC    how the program's package.json asks for pulumi-cuc (default: a copy of
                         this package, packed beside the program as pulumi-cuc-<version>.tgz)
  --out DIR              where to write the program
  --force                overwrite files already in DIR
  --help`;

/** The flags that are not settings. */
interface ProgramFlags { help?: boolean; out?: string; kinds?: string; filter?: string; project?: string; "package-spec"?: string; split?: string; force?: boolean }

/** The command line: the program's flags, and the connection settings given as flags. */
export function readCommandLine(args: string[]): { values: ProgramFlags; settings: ConnectionSettings } {
    const { values } = parseArgs({ args, options: OPTIONS, strict: true });
    return { values: values as ProgramFlags, settings: settingsFromFlags(values) };
}

/**
 * What to tell a cuc-import user for a message that names stack settings (`cuc:username`): the
 * client's hints name those; here the same values come from flags or CUC_* variables.
 */
export function flagHint(message: string): string | undefined {
    const named = SETTING_NAMES.filter((n) => new RegExp(`${configKey(n)}\\b`).test(message));
    if (!named.length) return undefined;
    return `it takes them from ${named.map((n) => `--${settingFlag(n)}`).join(", ")}, or ${named.map((n) => SETTINGS[n].env).join(", ")}`;
}

async function main(): Promise<number> {
    const { values, settings: flags } = readCommandLine(process.argv.slice(2));
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

    const split = values.split === undefined ? SPLIT_AT : Number(values.split);
    if (!Number.isInteger(split) || split < 1) throw new Error(`--split must be a whole number of resources per file, at least 1, not ${values.split}`);
    const settings = resolveSettings(flags);
    const client = new CupiClient(settings, { onWarning: (m) => console.error(`warning: ${m}`) });
    try {
        const progress = progressReporter(process.stderr);
        const found = await scan(client, { kinds, filter: values.filter, onProgress: progress.update }).finally(progress.stop);
        const root = path.resolve(__dirname, "..", "..", "..");
        const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
        fs.mkdirSync(out, { recursive: true });
        // The program must install as written: a copy of this very package, unless told otherwise.
        const packageSpec = values["package-spec"] ?? `file:${packSelf(root, out)}`;
        const generated = render(found, {
            project: values.project, server: settings.origin, dir: values.out, username: settings.username,
            caCert: caFile(mergeSettings(settingsFromEnv(), flags).caCert, out), insecure: settings.insecure, pluginVersion: pkg.version,
            packageSpec, pulumiVersion: `^${pkg.dependencies["@pulumi/pulumi"].replace(/^\^/, "")}`, split,
        });
        for (const [name, text] of Object.entries(generated.files)) fs.writeFileSync(path.join(out, name), text);
        const written = Object.keys(generated.files);
        console.log(`Wrote ${out}/{${names.join(",")}${written.length > names.length ? ` and ${written.length - names.length} more modules` : ""}} from ${settings.origin}:`);
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

/**
 * How far a scan is, on stderr: a bar with counts and time left on a terminal (cli-progress); in
 * a log (not a terminal), a line every 10 s once a scan takes that long (a whole cluster's users).
 */
export function progressReporter(stream: NodeJS.WriteStream): { update(p: { what: string; done: number; total: number }): void; stop(): void } {
    if (stream.isTTY) {
        const bar = new SingleBar({ stream, format: "cuc-import |{bar}| {value}/{total} objects read | {what} | {eta_formatted} left", hideCursor: true, etaBuffer: 200 });
        let started = false;
        return {
            update: ({ what, done, total }) => {
                if (!started) bar.start(total, done, { what });
                started = true;
                bar.setTotal(total);
                bar.update(done, { what });
            },
            stop: () => started && bar.stop(),
        };
    }
    const t0 = Date.now();
    let next = t0 + 10_000;
    return {
        update: ({ what, done, total }) => {
            const now = Date.now();
            if (now < next || !done) return;
            next = now + 10_000;
            const left = Math.round(((now - t0) / done) * (total - done) / 1000);
            stream.write(`cuc-import: ${done}/${total} objects read (${what}), about ${left < 90 ? `${left} s` : `${Math.round(left / 60)} min`} left\n`);
        },
        stop: () => undefined,
    };
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

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: Error) => {
            console.error(`cuc-import: ${e.message}`);
            const hint = flagHint(e.message);
            if (hint) console.error(`cuc-import: ${hint}`);
            process.exit(2);
        },
    );
}
