/**
 * The real Pulumi engine for the main job, the end-to-end tests and the benchmarks: the CLI from
 * scripts/pulumi-engine, driven through the Automation API with inline programs (the CLI runs the
 * program in this process) or a project directory's own (the Node language host runs it), a
 * file:// backend in a temporary directory, a fixed passphrase, no update checks and no plugin downloads.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type LocalWorkspaceOptions, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";

/** The repository root (this file runs from dist/scripts). */
export const ROOT = path.resolve(__dirname, "..", "..");

let command: Promise<PulumiCommand> | undefined;

/**
 * The CLI, built once from the Go module proxy if this machine has none, with the Node language
 * host beside it (scripts/pulumi-language-host), so that it also runs projects on disk as users do.
 */
export function pulumiCommand(): Promise<PulumiCommand> {
    command ??= (async () => {
        const root = cliRoot(script("pulumi-engine"));
        languageHostBeside(root, "nodejs");
        return PulumiCommand.get({ root, skipVersionCheck: true });
    })();
    return command;
}

/** Another language host beside the CLI (`yaml`): built on first use only. */
export async function withLanguageHost(language: "yaml"): Promise<PulumiCommand> {
    const cmd = await pulumiCommand();
    languageHostBeside(path.dirname(path.dirname(cmd.command)), language);
    return cmd;
}

const script = (name: string, ...args: string[]) => execFileSync(path.join(ROOT, "scripts", name), args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();

/** The CLI finds language hosts beside its own binary: one found or built elsewhere goes there. */
function languageHostBeside(root: string, language: string): void {
    const host = script("pulumi-language-host", language);
    const beside = path.join(root, "bin", path.basename(host));
    if (fs.realpathSync(path.dirname(host)) === fs.realpathSync(path.dirname(fs.realpathSync(path.join(root, "bin", "pulumi"))))) return;
    if (!sameFile(host, beside)) placeAtomically(beside, (tmp) => copyOrLink(host, tmp));
}

/** A hard link, or a copy (same mode and times) across file systems. */
function copyOrLink(from: string, to: string): void {
    try {
        fs.linkSync(from, to);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EXDEV" && (e as NodeJS.ErrnoException).code !== "EPERM") throw e;
        fs.copyFileSync(from, to);
        fs.chmodSync(to, 0o755);
        const st = fs.statSync(from);
        fs.utimesSync(to, st.atime, st.mtime);
    }
}

const PLUGIN = "pulumi-resource-pulumi-nodejs";

/**
 * A directory with `bin/pulumi` (what PulumiCommand wants) and the dynamic-provider plugin beside
 * it. The CLI looks for its bundled plugins next to its own binary with symlinks resolved
 * (os.Executable + EvalSymlinks), and warns "using ... from $PATH" when it finds one elsewhere.
 * A Pulumi install already has the plugin there: a symlink to it will do. A source build has
 * not: its binary is hard-linked (copied across file systems) into .test-output/pulumi-cli/bin
 * with a copy of the plugin script from @pulumi/pulumi.
 */
export function cliRoot(bin: string): string {
    const real = fs.realpathSync(bin);
    fs.mkdirSync(path.join(ROOT, ".test-output"), { recursive: true });
    if (isExecutable(path.join(path.dirname(real), PLUGIN))) {
        const root = fs.mkdtempSync(path.join(ROOT, ".test-output", "cli-"));
        fs.mkdirSync(path.join(root, "bin"));
        fs.symlinkSync(real, path.join(root, "bin", "pulumi"));
        return root;
    }
    const root = path.join(ROOT, ".test-output", "pulumi-cli");
    const dir = path.join(root, "bin");
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, "pulumi");
    if (!sameFile(real, target)) {
        // Built beside the target and renamed over it: concurrent runs never see half a binary.
        placeAtomically(target, (tmp) => copyOrLink(real, tmp));
    }
    // A copy, not a symlink: the CLI resolves the plugin's symlinks too before comparing paths.
    const script = fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", PLUGIN));
    const plugin = path.join(dir, PLUGIN);
    if (!(fs.existsSync(plugin) && fs.readFileSync(plugin).equals(script) && isExecutable(plugin))) {
        placeAtomically(plugin, (tmp) => fs.writeFileSync(tmp, script, { mode: 0o755 }));
    }
    return root;
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The same inode (a hard link), or a copy with the same size and modification second. */
function sameFile(a: string, b: string): boolean {
    if (!fs.existsSync(b)) return false;
    const x = fs.statSync(a), y = fs.statSync(b);
    const second = (ms: number) => Math.floor(ms / 1000);
    return (x.dev === y.dev && x.ino === y.ino) || (x.size === y.size && second(x.mtimeMs) === second(y.mtimeMs));
}

function placeAtomically(target: string, write: (tmp: string) => void): void {
    const tmp = `${target}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    write(tmp);
    fs.renameSync(tmp, target);
}

export interface StackOptions {
    name: string;
    /** Working directory (default: a new one under .test-output). */
    dir?: string;
    /** Project name (default `cuc-e2e-<name>`); an example's own, so its config keys match. */
    project?: string;
    /** An inline program (run in this process), or, without one, the project's `files` on disk run by the Node language host. */
    program?: PulumiFn;
    /** Files of the project directory (index.js, package.json...), written before the stack is made. */
    files?: Record<string, string>;
    config?: ConfigMap;
    /** Provider plugins from directories (the native `pulumi-resource-cuc`: nativePluginDir()). */
    plugins?: { providers: { name: string; path: string }[] };
    /** More environment for the engine (PULUMI_SKIP_CHECKPOINTS for large stacks). */
    envVars?: Record<string, string>;
}

export interface TestStack {
    stack: Stack;
    dir: string;
    /** Everything the engine printed, for secret scans. */
    log: string[];
    onOutput: (line: string) => void;
    destroy(): Promise<void>;
}

export async function createStack(opts: StackOptions): Promise<TestStack> {
    fs.mkdirSync(path.join(ROOT, ".test-output"), { recursive: true });
    const dir = opts.dir ?? fs.mkdtempSync(path.join(ROOT, ".test-output", `e2e-${opts.name}-`));
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
    const project = opts.project ?? `cuc-e2e-${opts.name}`;
    for (const [name, text] of Object.entries(opts.files ?? {})) fs.writeFileSync(path.join(dir, name), text);
    if (!opts.program && !opts.files?.["index.js"]) throw new Error(`createStack ${opts.name}: give an inline program or the project's index.js`);
    const settings: LocalWorkspaceOptions = {
        workDir: dir,
        pulumiCommand: await pulumiCommand(),
        pulumiHome: path.join(dir, "home"),
        projectSettings: { name: project, runtime: "nodejs", backend: { url: `file://${path.join(dir, "state")}` }, ...(opts.plugins ? { plugins: opts.plugins } : {}) },
        envVars: {
            PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            // The serialized provider loads `pulumi-cuc/provider` by name.
            NODE_PATH: path.join(ROOT, "node_modules"),
            CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "", CUC_CA_CERT: "", CUC_INSECURE: "",
            ...opts.envVars,
        },
    };
    const stack = opts.program
        ? await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: project, program: opts.program }, settings)
        : await LocalWorkspace.createOrSelectStack({ stackName: "dev", workDir: dir }, settings);
    if (opts.config) await stack.setAllConfig(opts.config);
    const log: string[] = [];
    return {
        stack,
        dir,
        log,
        onOutput: (line) => log.push(line),
        destroy: async () => {
            await stack.destroy({ onOutput: (l) => log.push(l) });
            await stack.workspace.removeStack("dev");
        },
    };
}

/**
 * A directory holding `pulumi-resource-cuc` as the engine runs it (what `npm install` makes of the
 * package's bin entry): a project's `plugins.providers` entry points here.
 */
export function nativePluginDir(): string {
    const dir = path.join(ROOT, ".test-output", "native-plugin");
    fs.mkdirSync(dir, { recursive: true });
    const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["pulumi-resource-cuc"];
    const script = `#!/bin/sh\nexec node ${JSON.stringify(path.join(ROOT, bin))} "$@"\n`;
    const target = path.join(dir, "pulumi-resource-cuc");
    if (!(fs.existsSync(target) && fs.readFileSync(target, "utf8") === script)) placeAtomically(target, (tmp) => fs.writeFileSync(tmp, script, { mode: 0o755 }));
    return dir;
}

/** `cuc:*` configuration for a simulator, the password as a secret. */
export function cucConfig(sim: { url: string; user: string; password: string; certPath?: string }): ConfigMap {
    const config: ConfigMap = {
        "cuc:server": { value: sim.url },
        "cuc:username": { value: sim.user },
        "cuc:password": { value: sim.password, secret: true },
    };
    if (sim.certPath) config["cuc:caCert"] = { value: sim.certPath };
    return config;
}

/** An update's resource changes without the unchanged ("same") count: `{}` means no changes. */
export function changesOf(summary: Record<string, number> | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(summary ?? {}).filter(([k]) => k !== "same"));
}
