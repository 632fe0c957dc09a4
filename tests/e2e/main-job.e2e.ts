/**
 * `npm start` (the main job) in a fresh clone, as the README has it: the first run builds and
 * deploys examples/quickstart against the simulator; the second builds nothing (incremental: no
 * file of dist/ is written again) and changes nothing; and the lines it prints for a real
 * Connection server work as printed, run here against another simulator standing in for one.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { PhoneSystem } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { walk } from "../helpers";
import { freshCheckout, offlineLockfile, UserWorkspace, type CliResult } from "./user-project";

const PASSWORDS = { admin: "MainJob-Admin-Pass-1", axl: "MainJob-Axl-Secret-2", o365: "MainJob-O365-Secret-3" };

/** A port nobody listens on now (the main job's simulator needs a fixed one). */
async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
    return new Promise((resolve) => {
        const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "", stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}

describe("npm start in a fresh clone", function () {
    this.timeout(900_000);
    let clone: string;
    let ws: UserWorkspace;
    let s: Simulator;
    let port: number;
    let second = "";

    before(async function () {
        this.timeout(20 * 60_000);
        clone = freshCheckout();
        ws = new UserWorkspace();
        await ws.init();
        port = await freePort();
        s = await startSimulator({ password: PASSWORDS.admin, seed: 77, certPath: path.join(ws.root, "connection-ca.pem") });
    });
    after(async () => {
        expect(ws.secretLeaks(Object.values(PASSWORDS))).to.deep.equal([]);
        await s?.close();
        ws?.dispose();
        fs.rmSync(clone, { recursive: true, force: true });
    });

    it("deploys the quickstart; the second run rebuilds nothing and deploys no change", async () => {
        const env = { ...process.env, CUC_SIM_PORT: String(port) };
        const first = await run("npm", ["start"], clone, env);
        expect(first.code, first.stdout + first.stderr).to.equal(0);
        expect(first.stdout).to.contain("Outputs:");
        const dist = path.join(clone, "dist");
        const stamp = () => Object.fromEntries([...walk(dist)].map((f) => [path.relative(dist, f), fs.statSync(f).mtimeMs]));
        const built = stamp();
        expect(built).to.have.property(path.join("plugin", "pulumi-resource-cuc.js"));
        const again = await run("npm", ["start"], clone, env);
        expect(again.code, again.stdout + again.stderr).to.equal(0);
        expect(again.stdout).to.contain("No changes: the simulator already matches the program.");
        // Incremental: nothing compiled or bundled again, only the build info's time compared.
        const rewritten = Object.entries(stamp()).filter(([f, t]) => built[f] !== t).map(([f]) => f);
        expect(rewritten, "files of dist/ written again").to.deep.equal([]);
        second = again.stdout;
    });

    it("the lines it prints for a real Connection server work as printed: npm pack, the project's install, its stack, cuc:caCert, pulumi up", async () => {
        expect(second, "the previous test's output").not.to.equal("");
        const at = second.indexOf("Real Connection server:");
        expect(at).to.be.greaterThan(-1);
        const lines = second.slice(at).split("\n").slice(1).filter((l) => l.startsWith("  ")).map((l) => l.trim());
        expect(lines[0]).to.match(/^npm pack && cd examples\/quickstart && npm install && pulumi stack init \w+$/);
        expect(lines.join("\n")).to.contain("pulumi config set cuc:caCert <ca.pem>");
        const fill: Record<string, string> = {
            "<publisher>": s.url, "<admin>": s.user, "<password>": PASSWORDS.admin, "<ca.pem>": s.certPath!,
            "<axl-password>": PASSWORDS.axl, "<o365-password>": PASSWORDS.o365,
        };
        const script = lines.map((l) => l.replace(/<[^>]+>/g, (p) => fill[p] ?? expect.fail(`no value for ${p} in ${l}`))).join("\n");
        // No registry here: npm takes every package from its cache, with a lockfile made from ours.
        const project = path.join(clone, "examples", "quickstart");
        const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as { name: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
        offlineLockfile(project, pkg.name, pkg.dependencies, pkg.devDependencies, path.join(clone, `pulumi-cuc-${JSON.parse(fs.readFileSync(path.join(clone, "package.json"), "utf8")).version}.tgz`));
        // The state under the workspace, whose secret scan (after) reads it.
        const state = path.join(ws.root, "quickstart", ".state");
        fs.mkdirSync(state, { recursive: true });
        const env = { ...ws.env(project), PULUMI_BACKEND_URL: `file://${state}`, npm_config_offline: "true" };
        const r = await run("bash", ["-e", "-c", script], clone, env);
        ws.transcript.push(`${r.stdout}\n${r.stderr}`);
        expect(r.code, `${script}\n${r.stdout}\n${r.stderr}`).to.equal(0);
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORDS.admin, caCert: s.ca }, {}));
        try {
            expect((await direct.list(PhoneSystem)).map((p) => String(p.DisplayName))).to.satisfy((names: string[]) => names.some((n) => n.startsWith("cucm-cluster-")));
            const destroy = await run("bash", ["-e", "-c", "cd examples/quickstart && pulumi destroy --yes --skip-preview"], clone, env);
            expect(destroy.code, destroy.stdout + destroy.stderr).to.equal(0);
        } finally {
            direct.close();
        }
    });
});
