/**
 * Safe on a real cluster, through the real Pulumi engine: previews that show what up does,
 * convergence in one run under server faults, fast and quiet failure when the server is down,
 * and a password rotation that costs one failed login and says how to go on.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { CupiClient, resolveSettings } from "../../provider/client";
import { AxlServer, PhoneSystem } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { restartableSimulator } from "../helpers";
import { changesOf, createStack, cucConfig, pulumiCommand, type TestStack } from "../../scripts/automation";

/* eslint-disable @typescript-eslint/no-require-imports */
const cucModule = () => require("pulumi-cuc") as typeof import("../../sdk");
/* eslint-enable @typescript-eslint/no-require-imports */

const ADMIN = "Safety-E2E-Pass-1";
const ROTATED = "Safety-E2E-Pass-2";
const AXL = "Safety-E2E-Axl-3";

describe("safe on a real cluster, through the Pulumi engine", function () {
    this.timeout(180_000);
    const stacks: TestStack[] = [];
    const sims: Simulator[] = [];
    const dirs: string[] = [];
    const stackFor = async (name: string, s: Simulator, program: () => Promise<Record<string, unknown>>, extra: Record<string, string> = {}) => {
        const config = { ...cucConfig(s), ...Object.fromEntries(Object.entries(extra).map(([k, value]) => [k, { value }])) };
        const t = await createStack({ name, program, config });
        stacks.push(t);
        return t;
    };
    const simulator = async (options: Parameters<typeof startSimulator>[0] = {}) => {
        const s = await startSimulator({ password: ADMIN, seed: 31, ...options });
        sims.push(s);
        return s;
    };
    const client = (s: Simulator, password = ADMIN) => new CupiClient(resolveSettings({ server: s.url, username: s.user, password, caCert: s.ca }, {}));

    before(async function () {
        this.timeout(20 * 60_000);
        await pulumiCommand();
    });
    after(async () => {
        for (const t of stacks) {
            const log = t.log.join("");
            for (const p of [ADMIN, ROTATED, AXL]) expect(log, "the engine's output").not.to.contain(p);
            fs.rmSync(t.dir, { recursive: true, force: true });
        }
        for (const s of sims) await s.close();
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    it("preview shows what up does: a parent's in-place change keeps its children; auto-names are the ones created", async () => {
        const s = await simulator();
        let mwiForceOff = false;
        const t = await stackFor("preview-truth", s, async () => {
            const cuc = cucModule();
            const ps = new cuc.PhoneSystem("cucm", { mwiForceOff });
            const axl = new cuc.AxlServer("pub", { phoneSystemId: ps.objectId, hostOrIpAddress: "cucm-pub.example.com", ccmAxlPassword: AXL });
            return { name: ps.displayName, axl: axl.id };
        });
        const previewEvents: EngineEvent[] = [];
        await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => previewEvents.push(e) });
        const previewed = previewEvents.find((e) => e.resourcePreEvent?.metadata.type.endsWith("cuc:PhoneSystem"))!.resourcePreEvent!.metadata.new!.inputs.displayName;
        const res = await t.stack.up({ onOutput: t.onOutput });
        expect(res.outputs.name.value).to.match(/^cucm-[0-9a-f]{7}$/).and.to.equal(previewed);

        mwiForceOff = true;
        const events: EngineEvent[] = [];
        const pv = await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => events.push(e) });
        expect(changesOf(pv.changeSummary)).to.deep.equal({ update: 1 });
        const axlOp = events.find((e) => e.resourcePreEvent?.metadata.type.endsWith("cuc:AxlServer"))!.resourcePreEvent!.metadata.op;
        expect(axlOp).to.equal("same");
        s.resetStats();
        const applied = await t.stack.up({ onOutput: t.onOutput });
        expect(changesOf(applied.summary.resourceChanges)).to.deep.equal({ update: 1 });
        expect(s.stats().byMethod).to.deep.equal({ PUT: 1, GET: 1 });
        await t.destroy();
    });

    it("100 resources converge in one up and one destroy under 10% 5xx and 5% resets: no duplicate, orphan or loss", async () => {
        const s = await simulator({ seed: 32 });
        const direct = client(s);
        const before = JSON.stringify(s.store.snapshot());
        const t = await stackFor("faults", s, async () => {
            const cuc = cucModule();
            const out: Record<string, unknown> = {};
            for (let i = 0; i < 50; i++) {
                const ps = new cuc.PhoneSystem(`ps-${i}`, { displayName: `Faults-${i}`, mwiAlwaysUpdate: i % 2 === 0 });
                new cuc.AxlServer(`axl-${i}`, { phoneSystemId: ps.objectId, hostOrIpAddress: `cucm-${i}.example.com`, ccmAxlPassword: AXL });
                out[`ps${i}`] = ps.objectId;
            }
            return out;
        }, { "cuc:retryBaseMs": "20", "cuc:retryMaxMs": "200" });
        Object.assign(s.faults, { failRate: 0.1, resetRate: 0.05 });
        const res = await t.stack.up({ onOutput: t.onOutput });
        expect(res.summary.resourceChanges).to.deep.equal({ create: 101 }); // and the stack
        const faults = s.stats().faults;
        s.faults.failRate = s.faults.resetRate = 0;
        const systems = (await direct.list(PhoneSystem)).filter((p) => String(p.DisplayName).startsWith("Faults-"));
        expect(systems).to.have.length(50);
        expect(new Set(systems.map((p) => p.DisplayName)).size).to.equal(50);
        for (const ps of systems) expect(await direct.list(AxlServer, { parentId: String(ps.ObjectId) }), String(ps.DisplayName)).to.have.length(1);
        Object.assign(s.faults, { failRate: 0.1, resetRate: 0.05 });
        await t.destroy();
        Object.assign(s.faults, { failRate: 0, resetRate: 0 });
        expect(JSON.stringify(s.store.snapshot())).to.equal(before);
        console.log(`      faults absorbed in one up: ${faults.failed} 5xx, ${faults.reset} resets`);
        expect(faults.failed + faults.reset).to.be.greaterThan(0);
        direct.close();
    });

    /** A simulator whose certificate outlives it, as `cuc-sim --cert-out FILE` keeps one: a stopped server, not a missing CA file. */
    const withKeptCertificate = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-safety-ca-"));
        dirs.push(dir);
        return simulator({ certPath: path.join(dir, "ca.pem") });
    };
    /** The resources whose error lines in the engine's output contain `text` (the progress and the diagnostics name each). */
    const resourcesSaying = (log: string, op: string, text: string) =>
        new Set(log.split("\n").filter((l) => l.includes(`error: cuc:PhoneSystem ${op}`) && l.includes(text)).map((l) => /PhoneSystem (ps-\d+)/.exec(l)?.[1]).filter(Boolean));

    it("a server that is down: the up fails in seconds, the cause once, a short line for each other resource, no stack trace", async () => {
        const s = await withKeptCertificate();
        const t = await stackFor("down", s, async () => {
            const cuc = cucModule();
            for (let i = 0; i < 30; i++) new cuc.PhoneSystem(`ps-${i}`, { mwiForceOff: true });
            return {};
        });
        await s.close();
        const t0 = Date.now();
        const err = await t.stack.up({ onOutput: t.onOutput }).then(() => undefined, (e: Error) => e);
        const seconds = (Date.now() - t0) / 1000;
        expect(err, "the up fails").to.be.instanceOf(Error);
        const log = t.log.join("");
        const failed = resourcesSaying(log, "create", "POST /vmrest/phonesystems");
        expect(failed.size, "the engine stops at the first failures; each says why").to.be.at.least(1);
        const told = resourcesSaying(log, "create", `cannot reach ${s.url} (ECONNREFUSED`);
        const short = resourcesSaying(log, "create", `not sent: ${s.url} could not be reached earlier in this run (the first error about it says why)`);
        expect(told.size, "the cause, told by one resource").to.equal(1);
        expect([...failed].filter((r) => !told.has(r) && !short.has(r)), "resources whose line says neither").to.deep.equal([]);
        expect(log).not.to.match(/^\s+at .+\(.+:\d+:\d+\)$/m); // no stack trace
        expect(log).not.to.match(/unhandled/i);
        expect(log, "the dynamic host's echo of an error").not.to.match(/^\s*Error: /m);
        console.log(`      up of 30 resources against a closed port failed after ${seconds.toFixed(1)} s (engine start included)`);
    });

    it("pulumi refresh with the server down: the cause once for the run, not once per resource", async () => {
        const s = await withKeptCertificate();
        const t = await stackFor("refresh-down", s, async () => {
            const cuc = cucModule();
            for (let i = 0; i < 6; i++) new cuc.PhoneSystem(`ps-${i}`, { mwiForceOff: true });
            return {};
        });
        await t.stack.up({ onOutput: t.onOutput });
        await s.close();
        t.log.length = 0;
        const err = await t.stack.refresh({ onOutput: t.onOutput }).then(() => undefined, (e: Error) => e);
        expect(err, "the refresh fails").to.be.instanceOf(Error);
        const log = t.log.join("");
        const failed = resourcesSaying(log, "read", "GET /vmrest/phonesystems/");
        expect(failed.size, log).to.equal(6);
        expect(resourcesSaying(log, "read", `cannot reach ${s.url} (ECONNREFUSED`).size, "the cause, told by one resource").to.equal(1);
        expect(resourcesSaying(log, "read", "could not be reached earlier in this run (the first error about it says why)").size).to.equal(5);
        expect(log, "the dynamic host's echo of an error").not.to.match(/^\s*Error: /m);
    });

    it("a password rotation: refresh without the program makes 1 failed login and says what to run; --run-program works", async () => {
        const server = await restartableSimulator(simulator, "rotation");
        const t = await stackFor("rotation", server.sim, async () => {
            const cuc = cucModule();
            for (let i = 0; i < 20; i++) new cuc.PhoneSystem(`ps-${i}`, { mwiForceOff: true });
            return {};
        });
        await t.stack.up({ onOutput: t.onOutput });
        // The administrator's password changes on the server, and in the stack's configuration.
        const s = await server.restart(ROTATED);
        await t.stack.setConfig("cuc:password", { value: ROTATED, secret: true });
        const err = await t.stack.refresh({ onOutput: t.onOutput }).then(() => undefined, (e: Error) => e);
        expect(err, "refresh with the stored password fails").to.be.instanceOf(Error);
        expect(s.stats()).to.include({ logins: 1, authFailures: 1 });
        expect(t.log.join("")).to.contain("--run-program").and.to.contain("pulumi up");
        const refreshed = await t.stack.refresh({ onOutput: t.onOutput, runProgram: true });
        expect(changesOf(refreshed.summary.resourceChanges)).to.deep.equal({});
        await t.stack.destroy({ onOutput: t.onOutput, runProgram: true });
        expect(await client(s, ROTATED).list(PhoneSystem)).to.have.length(1);
        server.cleanup();
    });
});
