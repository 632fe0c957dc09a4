/**
 * A user's own project, as Pulumi's TypeScript template makes it, outside this repository: the
 * packed tarball installed from the npm cache (no network, no parent node_modules in reach) and
 * the CLI's own commands run in that directory, with the Node language host beside the CLI.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiCommand, withLanguageHost } from "../../scripts/automation";
import { ROOT, walk } from "../helpers";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string>; bin: Record<string, string> };
export const VERSION = OWN.version;
/** The one command that installs the packaged plugin, as the README gives it (run in a project that has the package). */
export const PLUGIN_INSTALL = ["plugin", "install", "resource", "cuc", VERSION, "--file", "node_modules/pulumi-cuc/dist/plugin"];

/** Pulumi's `typescript` template files (tsconfig.json as `pulumi new typescript` writes it). */
export const TEMPLATE_TSCONFIG = {
    compilerOptions: {
        strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true,
        experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
};

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** One workspace: a directory under the system's temp dir, the tarball, a PULUMI_HOME of its own. */
export class UserWorkspace {
    readonly root: string;
    readonly tarball: string;
    readonly home: string;
    /** The CLI's bin directory (the CLI and its language host). */
    private cliDir = "";
    /** Every CLI output, for secret scans. */
    readonly transcript: string[] = [];

    constructor() {
        this.root = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "pulumi-cuc-user-"));
        for (let d = path.dirname(this.root); ; d = path.dirname(d)) {
            if (fs.existsSync(path.join(d, "node_modules"))) throw new Error(`${d}/node_modules would be in reach of the user's project`);
            if (d === path.dirname(d)) break;
        }
        const packed = JSON.parse(execFileSync(NPM, ["pack", ROOT, "--ignore-scripts", "--json", "--pack-destination", this.root], { encoding: "utf8" })) as { filename: string }[];
        this.tarball = path.join(this.root, packed[0].filename);
        this.home = path.join(this.root, "pulumi-home");
    }

    /** The CLI with the Node language host beside it (and the YAML one when asked). */
    async init(languages: "yaml"[] = []): Promise<void> {
        this.cliDir = path.dirname((await pulumiCommand()).command);
        for (const l of languages) await withLanguageHost(l);
    }

    /** A Pulumi YAML project: its Pulumi.yaml alone, nothing to install but the plugin. */
    yamlProject(name: string, pulumiYaml: string): UserProject {
        const dir = path.join(this.root, name);
        fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
        return new UserProject(this, dir, { stdout: "", stderr: "" });
    }

    /**
     * A new project directory with Pulumi's template files and `pulumi-cuc` from the tarball,
     * installed offline (a lockfile made from ours lets npm take every tarball from its cache).
     */
    project(name: string, indexTs: string, opts: { dependencies?: Record<string, string> } = {}): UserProject {
        const dir = path.join(this.root, name);
        fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
        const dependencies = { "@pulumi/pulumi": OWN.dependencies["@pulumi/pulumi"], "pulumi-cuc": `file:${this.tarball}`, ...opts.dependencies };
        const devDependencies = { "@types/node": OWN.devDependencies["@types/node"], typescript: OWN.devDependencies.typescript };
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\ndescription: A user's project\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, main: "index.ts", devDependencies, dependencies }, null, 4));
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
        fs.writeFileSync(path.join(dir, "index.ts"), indexTs);
        const install = offlineInstall(dir, name, dependencies, devDependencies, this.tarball);
        return new UserProject(this, dir, install);
    }

    /**
     * One of examples/ as a standalone project: its files copied, and its package.json as written,
     * whose `file:../../pulumi-cuc-<version>.tgz` (what `npm pack` at the top makes) is this tarball.
     */
    example(name: string, as = `example-${name}`): UserProject {
        const src = path.join(ROOT, "examples", name);
        const dir = path.join(this.root, as);
        fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
        for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
        const expected = `file:../../${path.basename(this.tarball)}`;
        if (pkg.dependencies["pulumi-cuc"] !== expected) throw new Error(`examples/${name}/package.json asks for pulumi-cuc ${pkg.dependencies["pulumi-cuc"]}, not ${expected}`);
        pkg.dependencies["pulumi-cuc"] = `file:${this.tarball}`;
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
        return new UserProject(this, dir, offlineInstall(dir, pkg.name, pkg.dependencies, pkg.devDependencies, this.tarball));
    }

    /** A project written by someone else (cuc-import), installed from its own package.json. */
    adopt(dir: string, name: string, tarball: string): UserProject {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
        fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
        return new UserProject(this, dir, offlineInstall(dir, name, pkg.dependencies, pkg.devDependencies, tarball));
    }

    /** The environment of a user's shell: the CLI on PATH, nothing of this repository's. */
    env(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        const keep = ["HOME", "USER", "TMPDIR", "LANG", "GOCACHE"];
        const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
        return {
            ...env,
            PATH: [this.cliDir, path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
            PULUMI_HOME: this.home,
            PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
            PULUMI_CONFIG_PASSPHRASE: "user-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            // Nothing may come from the internet: a plugin the engine cannot find is an error, not a download.
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            NO_COLOR: "1",
            ...extra,
        };
    }

    /** A CLI command in `dir`, asynchronously (the simulator answers from this process meanwhile). */
    run(dir: string, file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
        return new Promise((resolve) => {
            execFile(file, args, { cwd: dir, env: this.env(dir, extraEnv), encoding: "utf8", timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
                const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
                this.transcript.push(`${stdout}\n${stderr}`); // output only: the arguments hold what the user typed
                resolve({ code, stdout, stderr });
            });
        });
    }

    pulumi(dir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
        return this.run(dir, path.join(this.cliDir, "pulumi"), args, extraEnv);
    }

    /**
     * Where any of these secrets stands in plaintext: the CLI's output, any state file, and the
     * extra texts given (e.g. generated code). Empty when none does.
     */
    secretLeaks(secrets: string[], extra: Record<string, string> = {}): string[] {
        const texts: [string, string][] = [["the CLI's output", this.transcript.join("\n")], ...Object.entries(extra)];
        for (const file of walk(this.root)) if (file.includes(`${path.sep}.state${path.sep}`)) texts.push([file, fs.readFileSync(file, "utf8")]);
        return texts.flatMap(([where, text]) => secrets.filter((x) => text.includes(x)).map(() => where));
    }

    dispose(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

export class UserProject {
    constructor(readonly ws: UserWorkspace, readonly dir: string, readonly install: { stdout: string; stderr: string }) {}

    pulumi(...args: string[]): Promise<CliResult> {
        return this.ws.pulumi(this.dir, args);
    }

    /** `pulumi plugin install resource cuc <version> --file node_modules/pulumi-cuc/dist/plugin`. */
    installPlugin(): Promise<string> {
        return this.ok(...PLUGIN_INSTALL);
    }

    /** A command that must succeed; its output. */
    async ok(...args: string[]): Promise<string> {
        const r = await this.pulumi(...args);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        return r.stdout + r.stderr;
    }

    /** A command with `--json` output, parsed (stdout only: warnings go to stderr). */
    async json<T>(...args: string[]): Promise<T> {
        const r = await this.pulumi(...args);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        return JSON.parse(r.stdout) as T;
    }

    write(file: string, text: string): void {
        fs.writeFileSync(path.join(this.dir, file), text);
    }

    read(file: string): string {
        return fs.readFileSync(path.join(this.dir, file), "utf8");
    }

    /** The project's own bin (cuc-import, cuc-sim, tsc), as `npx <bin>` runs it there. */
    bin(name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
        return this.ws.run(this.dir, path.join(this.dir, "node_modules", ".bin", name), args, extraEnv);
    }

    /** `config set` of each value; `{ secret }` ones with --secret. */
    async config(values: Record<string, string | { secret: string }>): Promise<void> {
        for (const [k, v] of Object.entries(values)) await (typeof v === "string" ? this.ok("config", "set", k, v) : this.ok("config", "set", "--secret", k, v.secret));
    }

    /** The resource changes of the last update (`pulumi stack history`), without "same". */
    async lastChanges(): Promise<Record<string, number>> {
        const history = await this.json<{ resourceChanges?: Record<string, number> }[]>("stack", "history", "--json");
        return Object.fromEntries(Object.entries(history[0]?.resourceChanges ?? {}).filter(([k]) => k !== "same"));
    }

    /** The stack's outputs, secrets as "[secret]". */
    async outputs(): Promise<Record<string, unknown>> {
        return this.json<Record<string, unknown>>("stack", "output", "--json");
    }

    /** The change summary of `pulumi preview --json`, without "same". */
    async previewChanges(): Promise<Record<string, number>> {
        const { changeSummary } = await this.json<{ changeSummary: Record<string, number> }>("preview", "--json");
        return Object.fromEntries(Object.entries(changeSummary).filter(([k]) => k !== "same"));
    }

    /** `pulumi stack init <name>` (dev) and the `cuc:*` settings of a simulator, the password as a secret. */
    async stack(sim: { url: string; user: string; password: string; certPath?: string }, secrets: Record<string, string> = {}, name = "dev"): Promise<void> {
        await this.ok("stack", "init", name);
        await this.ok("config", "set", "cuc:server", sim.url);
        await this.ok("config", "set", "cuc:username", sim.user);
        await this.ok("config", "set", "--secret", "cuc:password", sim.password);
        if (sim.certPath) await this.ok("config", "set", "cuc:caCert", sim.certPath);
        for (const [k, v] of Object.entries(secrets)) await this.ok("config", "set", "--secret", k, v);
    }
}

/**
 * This repository as a fresh clone has it after `npm ci`: the files git knows (committed or not,
 * none it ignores: no dist/, no build info) in a new directory under the system's temp dir, and the
 * installed dependencies, each linked from ours (the versions `npm ci` installs from the lockfile).
 */
export function freshCheckout(): string {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), "pulumi-cuc-clone-"));
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0");
    for (const f of files.filter((x) => x && fs.existsSync(path.join(ROOT, x)))) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, f), path.join(dir, f)); // with its mode: scripts stay executable
    }
    fs.mkdirSync(path.join(dir, "node_modules"));
    // Not our own link: the clone's build makes its own (scripts/link-self.js).
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules")).filter((e) => e !== "pulumi-cuc")) {
        fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(dir, "node_modules", entry));
    }
    return dir;
}

/**
 * A lockfile made from ours for a project whose dependencies are ours plus the tarball
 * (`resolved` as npm writes it: a `file:` spec), so that `npm install --offline` takes every
 * package from npm's cache: this machine has no registry.
 */
export function offlineLockfile(dir: string, name: string, dependencies: Record<string, string>, devDependencies: Record<string, string>, tarball: string): void {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
    const packages: Record<string, unknown> = {
        "": { name, dependencies, devDependencies },
        "node_modules/pulumi-cuc": { version: OWN.version, resolved: `file:${tarball}`, dependencies: OWN.dependencies, bin: OWN.bin },
    };
    for (const [key, entry] of Object.entries(lock.packages)) if (key && !entry.link && !key.startsWith("node_modules/pulumi-cuc")) packages[key] = entry;
    fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2));
}

/** `npm install --offline` of a project whose dependencies are ours plus the tarball. */
export function offlineInstall(dir: string, name: string, dependencies: Record<string, string>, devDependencies: Record<string, string>, tarball: string): { stdout: string; stderr: string } {
    offlineLockfile(dir, name, dependencies, devDependencies, tarball);
    const r = spawnSync(NPM, ["install", "--offline", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm install in ${dir} failed:\n${r.stdout}\n${r.stderr}`);
    return { stdout: r.stdout, stderr: r.stderr };
}

/** The README's first program, in one mode or the other: three resources, a list lookup, and a lookup feeding a PortGroupMwi. */
export function readmeProgram(module: string, mwiAlwaysUpdate = true): string {
    return `import * as pulumi from "@pulumi/pulumi";
import * as cuc from "${module}";

const config = new pulumi.Config();

const cucm = new cuc.PhoneSystem("cucm-cluster", { mwiAlwaysUpdate: ${mwiAlwaysUpdate} });
new cuc.AxlServer("cucm-pub", {
    phoneSystemId: cucm.objectId,
    hostOrIpAddress: "cucm-pub.example.com",
    port: 8443,
    ccmAxlUser: "axl-unity",
    ccmAxlPassword: config.requireSecret("axlPassword"),
});
new cuc.ExternalService("office365", {
    serverType: 5,
    server: "outlook.office365.com",
    serviceAlias: "svc-unity@example.onmicrosoft.com",
    servicePassword: config.requireSecret("o365Password"),
});
const groups = cuc.getPortGroupsOutput({});
const group = cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });
new cuc.PortGroupMwi("mwi", { portGroupId: group.objectId, mwiOnCode: "*99", mwiOffCode: "#99" });

export const phoneSystem = cucm.displayName;
export const phoneSystemId = cucm.objectId;
export const portGroups = groups.portGroups.apply((g) => g.length);
`;
}

/** What a directory program can change between runs (directoryProgram). */
export interface DirectoryChange {
    /** Ann's display name and the list's membership (Bob out, the built-in contacts list in). */
    changed?: boolean;
    /** Ann's templateAlias, instead of the program's own template: a change that is no change. */
    annTemplateAlias?: string;
}

/**
 * One of each directory resource, in one mode or the other: a partition, a search space of it
 * and the built-in default partition, a class of service, a template with a default PIN from a
 * config secret, two users from it (Ann with her own PIN and web password from config secrets,
 * Bob with the built-in COS), Ann's alternate extension, a contact and a list of the users and
 * the contact. Aliases start with `prefix` and extensions with `ext` (two digits), so that two
 * projects share a server. Built-ins are found by their names (data sources in dynamic mode,
 * provider functions in native mode).
 */
export function directoryProgram(module: string, prefix: string, ext: string, change: DirectoryChange = {}): string {
    return `import * as pulumi from "@pulumi/pulumi";
import * as cuc from "${module}";

const config = new pulumi.Config();

// Built into every Connection server.
const defaultPartition = cuc.getPartitionOutput({ name: "cuc-install-55 Partition" });
const voiceMailCos = cuc.getClassOfServiceOutput({ displayName: "Voice Mail User COS" });
const allContacts = cuc.getDistributionListOutput({ alias: "allvoicemailenabledcontacts" });
const builtInTemplate = cuc.getUserTemplateOutput({ alias: "voicemailusertemplate" });

const floor = new cuc.Partition("floor", { description: "Sales floor" });
const search = new cuc.SearchSpace("floor", { description: "Sales floor, then the rest", partitions: [floor.objectId, defaultPartition.objectId] });
const cos = new cuc.ClassOfService("sales", { maxMsgLength: 600, accessTts: true });
const template = new cuc.UserTemplate("template", {
    alias: "${prefix}-template",
    displayName: "${prefix} sales floor",
    templateAlias: "voicemailusertemplate",
    cosId: cos.objectId,
    partitionId: floor.objectId,
    searchByExtensionSearchSpaceId: search.objectId,
    searchByNameSearchSpaceId: search.objectId,
    pin: config.requireSecret("defaultPin"),
    pinMustChange: true,
});
const ann = new cuc.User("ann", {
    alias: "${prefix}-ann",
    dtmfAccessId: "${ext}01",
    displayName: "${change.changed ? "Ann Smith-Jones" : "Ann Smith"}",
    department: "Sales",
    templateAlias: ${change.annTemplateAlias ? JSON.stringify(change.annTemplateAlias) : "template.alias"},
    pin: config.requireSecret("annPin"),
    pinMustChange: false,
    webPassword: config.requireSecret("annWebPassword"),
});
const bob = new cuc.User("bob", { alias: "${prefix}-bob", dtmfAccessId: "${ext}02", displayName: "Bob Stone", templateAlias: template.alias, cosId: voiceMailCos.objectId });
const mobile = new cuc.AlternateExtension("ann-mobile", { userId: ann.objectId, idIndex: 5, dtmfAccessId: "${ext}91" });
const partner = new cuc.Contact("partner", { alias: "${prefix}-partner", displayName: "Partner support", dtmfAccessId: "${ext}90", partitionId: floor.objectId });
const team = new cuc.DistributionList("team", {
    alias: "${prefix}-team",
    displayName: "Sales floor team",
    partitionId: floor.objectId,
    allowContacts: true,
    users: [${change.changed ? "ann.objectId" : "ann.objectId, bob.objectId"}],
    contacts: [partner.objectId],${change.changed ? "\n    distributionLists: [allContacts.objectId]," : ""}
});

export const ids = {
    partition: floor.objectId, searchSpace: search.objectId, cos: cos.objectId, template: template.objectId,
    ann: ann.objectId, bob: bob.objectId, mobile: mobile.objectId, partner: partner.objectId, team: team.objectId,
};
export const builtIns = { partition: defaultPartition.objectId, cos: voiceMailCos.objectId, list: allContacts.objectId, template: builtInTemplate.objectId };
export const searchOrder = search.partitions;
export const partitionName = floor.name;
`;
}
