/**
 * The package as users get it: `npm pack`, installed from the npm cache (no network) into a fresh
 * project with its own `@pulumi/pulumi`, then deployed through the real engine from that project,
 * in both modes: dynamic resources, and native ones through the installed `pulumi-resource-cuc`.
 */
import { expect } from "chai";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as path from "node:path";
import { startSimulator, type Simulator } from "../../simulator";
import { pulumiCommand } from "../../scripts/automation";
import { ROOT } from "../helpers";

const PASSWORD = "Package-Admin-Pass-1";
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The deployment, run by node inside the fresh project: its own @pulumi/pulumi and pulumi-cuc. */
const DEPLOY = `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const path = require("path");
(async () => {
    const dir = process.cwd();
    require("fs").mkdirSync(path.join(dir, "state"), { recursive: true });
    const program = async () => {
        const dyn = require("pulumi-cuc");
        const native = require("pulumi-cuc/native");
        const a = new dyn.PhoneSystem("dynamic", { displayName: "Packaged Dynamic" });
        const b = new native.PhoneSystem("native", { displayName: "Packaged Native" });
        const groups = native.getPortGroupsOutput({});
        return { a: a.objectId, b: b.objectId, groups: groups.portGroups.apply((g) => g.length) };
    };
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: "fresh", program }, {
        workDir: dir,
        pulumiCommand: await PulumiCommand.get({ root: process.env.CLI_ROOT, skipVersionCheck: true }),
        pulumiHome: path.join(dir, "home"),
        projectSettings: { name: "fresh", runtime: "nodejs", backend: { url: "file://" + path.join(dir, "state") },
            plugins: { providers: [{ name: "cuc", path: path.join(dir, "node_modules", ".bin") }] } },
        envVars: { PULUMI_CONFIG_PASSPHRASE: "package", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true" },
    });
    await stack.setAllConfig({ "cuc:server": { value: process.env.SIM_URL }, "cuc:username": { value: process.env.SIM_USER }, "cuc:password": { value: process.env.SIM_PASSWORD, secret: true }, "cuc:caCert": { value: process.env.SIM_CA } });
    const up = await stack.up();
    const again = await stack.preview();
    await stack.destroy();
    console.log(JSON.stringify({ outputs: Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])), changes: up.summary.resourceChanges, again: again.changeSummary }));
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

describe("the npm package, installed into a fresh project", function () {
    this.timeout(600_000);
    let s: Simulator;
    let dir: string;
    before(async function () {
        this.timeout(20 * 60_000);
        await pulumiCommand();
        s = await startSimulator({ password: PASSWORD, seed: 71 });
        dir = fs.mkdtempSync(path.join(ROOT, ".test-output", "package-"));
    });
    after(async () => {
        await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("packs the plugin, both SDKs and the schema; installs offline with one @pulumi/pulumi; deploys in both modes", async () => {
        const packed = JSON.parse(execFileSync(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" })) as { filename: string; files: { path: string }[] }[];
        const files = packed[0].files.map((f) => f.path);
        for (const f of ["dist/provider/native/main.js", "dist/sdk/native/index.js", "dist/sdk/index.js", "dist/provider/index.js", "dist/simulator/cli.js", "schema.json", "README.md"]) expect(files, f).to.include(f);
        expect(files.filter((f) => f.startsWith("dist/tests") || f.startsWith("tests/"))).to.deep.equal([]);

        const project = path.join(dir, "project");
        fs.mkdirSync(project);
        const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
        fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({
            name: "fresh", private: true,
            dependencies: { "@pulumi/pulumi": `^${pulumiVersion}`, "pulumi-cuc": `file:${path.join(dir, packed[0].filename)}` },
        }, null, 2));
        // No network in tests: a lockfile made from ours lets npm take every tarball from its cache.
        const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
        const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string>; bin: Record<string, string> };
        const packages: Record<string, unknown> = {
            "": { name: "fresh", dependencies: { "@pulumi/pulumi": `^${pulumiVersion}`, "pulumi-cuc": `file:${path.join(dir, packed[0].filename)}` } },
            "node_modules/pulumi-cuc": { version: own.version, resolved: `file:${path.join(dir, packed[0].filename)}`, dependencies: own.dependencies, bin: own.bin },
        };
        for (const [key, entry] of Object.entries(lock.packages)) if (key && !entry.dev && !entry.link) packages[key] = entry;
        fs.writeFileSync(path.join(project, "package-lock.json"), JSON.stringify({ name: "fresh", lockfileVersion: 3, requires: true, packages }, null, 2));
        execFileSync(NPM, ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        // One copy of the SDK in the program: the package takes a caret range, not an exact pin.
        const copies = execFileSync("find", [path.join(project, "node_modules"), "-path", "*/@pulumi/pulumi/package.json"], { encoding: "utf8" }).trim().split("\n");
        expect(copies).to.have.length(1);
        expect(fs.statSync(path.join(project, "node_modules", ".bin", "pulumi-resource-cuc")).mode & 0o111).to.not.equal(0);

        fs.writeFileSync(path.join(project, "deploy.js"), DEPLOY);
        const cli = (await pulumiCommand()).command;
        // Asynchronously: the simulator answers from this process meanwhile.
        const { stdout: out } = await promisify(execFile)(process.execPath, ["deploy.js"], {
            cwd: project, encoding: "utf8", timeout: 300_000,
            env: { ...process.env, NODE_PATH: "", CLI_ROOT: path.dirname(path.dirname(cli)), SIM_URL: s.url, SIM_USER: s.user, SIM_PASSWORD: PASSWORD, SIM_CA: s.certPath!, CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" },
        });
        const result = JSON.parse(out.trim().split("\n").pop()!) as { outputs: Record<string, unknown>; changes: Record<string, number>; again: Record<string, number> };
        expect(result.changes).to.deep.equal({ create: 3 }); // the stack and two phone systems (providers are not counted)
        expect(result.again).to.deep.equal({ same: 3 });
        expect(result.outputs.groups).to.equal(2);
        expect(result.outputs.a).to.match(/^[0-9a-f-]{36}$/);
        expect(result.outputs.b).to.match(/^[0-9a-f-]{36}$/);
        expect(out).not.to.contain(PASSWORD);
    });
});
