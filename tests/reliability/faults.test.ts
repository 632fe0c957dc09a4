/**
 * Reliability and security under faults, through Pulumi's dynamic-provider host against the
 * simulator over real HTTP: throttling, random failures and resets, ambiguous creates, a
 * restart from the state file, timeouts, bad input, secrets and TLS. Every loop is bounded in
 * count; the figures go to .test-output/reliability-report.json and the console.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { CupiClient, resolveSettings } from "../../provider/client";
import { RESOURCES, type ResourceDef } from "../../provider/resources";
import { PhoneSystem } from "../../provider/specs";
import type { Field } from "../../provider/specs/types";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT, sim, until } from "../helpers";
import { Host, serializedProvider, type InitFailed, type Props } from "../host";
import { contextOf, exampleInputs, oneChange, secretValue, type Context } from "../provider/examples";

const ADMIN_PASSWORD = "Fault-Admin-Pass-42";
const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
/** Resources that POST a new object; the others patch one that exists (PortGroupMwi). */
const CREATED = Object.values(RESOURCES).filter((d) => !d.existing);
/** The kinds a loop covered, with those it leaves out on purpose (`existing`), must be every kind. */
function expectEveryKind(covered: Iterable<string>, left: ResourceDef[] = []) {
    const kinds = [...new Set(covered), ...left.map((d) => d.kind)].sort();
    expect(kinds).to.have.length.greaterThan(0);
    expect(kinds).to.deep.equal(Object.keys(RESOURCES).sort());
}
/** What the suite sends as each secret input; every log and error is scanned for them. */
const faultSecret = (def: ResourceDef, f: Field) => secretValue(def, f, "Fault-Secret");
const SECRETS = Object.values(RESOURCES).flatMap((d) => d.inputs.filter((f) => f.secret).map((f) => faultSecret(d, f)));
const report = { operations: 0, failedOperations: 0, faultsInjected: 0, throttled503sAbsorbed: 0, retries: 0, duplicates: 0, lostObjects: 0, orphans: 0, leakedSecrets: 0 };
const transcript: string[] = []; // every error message of the suite, for the secret scan
const hosts: Host[] = [];

async function startHost(config: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Host> {
    const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "", CUC_DEBUG: "1", ...env });
    hosts.push(host);
    await host.configure(config);
    return host;
}
const configFor = (s: Simulator, extra: Record<string, string> = {}) => ({
    "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD, "cuc:retries": "8", "cuc:retryBaseMs": "5", "cuc:retryMaxMs": "100", ...extra,
});

/** Runs `fn` for every item with at most `parallel` in flight; returns the errors by index. */
async function pool<T>(items: T[], parallel: number, fn: (item: T) => Promise<unknown>): Promise<Map<number, Error>> {
    const errors = new Map<number, Error>();
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, async () => {
        while (next < items.length) {
            const i = next++;
            report.operations++;
            try {
                await fn(items[i]);
            } catch (e) {
                report.failedOperations++;
                errors.set(i, e as Error);
                transcript.push((e as Error).message);
            }
        }
    }));
    return errors;
}

/**
 * The checked program of one object of a kind (as the engine sends it to create): its example
 * values made unique by `suffix`, with the suite's own secrets.
 */
async function program(host: Host, def: ResourceDef, mode: "minimal" | "full", ctx: Context, suffix: string): Promise<Props> {
    const inputs = exampleInputs(def, mode, ctx, suffix);
    for (const f of def.inputs) if (f.secret && inputs[f.name] !== undefined) inputs[f.name] = faultSecret(def, f);
    const checked = await host.check(def.kind, {}, inputs);
    expect(checked.failures, `${def.kind}: ${JSON.stringify(checked.failures)}`).to.deep.equal([]);
    return checked.inputs;
}

/** A failed operation's message must say what failed and why. */
function expectClear(e: Error) {
    expect(e.message).to.match(/^cuc:\w+ (create|read|update|delete|check|diff): /);
    expect(e.message).to.match(/HTTP (500|503)|ECONNRESET|socket hang up|timeout|ECONNREFUSED|EPIPE|unexpected answer/);
}

const countRetries = (host: Host) => host.output.join("").split("\n").filter((l) => l.startsWith("cuc: retry ")).length;

describe("reliability and security", function () {
    this.timeout(180_000);

    after(() => {
        // Secrets: nothing any host printed and no error message of the suite holds a password.
        const logs = [...hosts.flatMap((h) => h.output), ...transcript.filter((t) => !t.startsWith("["))].join("\n");
        const outputs = transcript.filter((t) => t.startsWith("[")).join("\n");
        // Logs and errors: no password at all. Outputs: resource passwords are there by design
        // (marked secret by the SDK); the connection password never is.
        report.leakedSecrets = [ADMIN_PASSWORD, ...SECRETS].filter((p) => logs.includes(p)).length +
            (outputs.includes(ADMIN_PASSWORD) ? 1 : 0);
        report.retries = hosts.reduce((n, h) => n + countRetries(h), 0);
        fs.mkdirSync(path.join(ROOT, ".test-output"), { recursive: true });
        fs.writeFileSync(path.join(ROOT, ".test-output", "reliability-report.json"), JSON.stringify(report, null, 2));
        console.log(`      reliability figures: ${JSON.stringify(report)}`);
        expect(report.leakedSecrets, "leaked secrets").to.equal(0);
        return Promise.all(hosts.map((h) => h.close()));
    });

    it("throttling: 200 creates in flight at once against --max-concurrent 2 each land exactly once", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, maxConcurrent: 2, latencyMs: 3, seed: 1 });
        try {
            // maxConcurrent 4 on our side: another client (the admin web UI) shares CUC's slots.
            // Half the requests meet a 503 under this load; with 5 ms back-off (for speed) the budget
            // must be deep enough that no create meets one on every try (0.5^21 x 200 ~ 1e-4).
            const host = await startHost(configFor(s, { "cuc:maxConcurrent": "4", "cuc:retries": "20" }));
            const names = Array.from({ length: 200 }, (_, i) => `Throttle-${String(i).padStart(3, "0")}`);
            const ids: string[] = [];
            const errors = await pool(names, 200, async (name) => {
                const { id } = await host.create("PhoneSystem", { displayName: name });
                ids.push(id);
            });
            expect([...errors.values()].map((e) => e.message)).to.deep.equal([]);
            const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: ADMIN_PASSWORD }, {}));
            const all = (await direct.list(PhoneSystem)).map((p) => String(p.DisplayName));
            direct.close();
            for (const n of names) expect(all.filter((x) => x === n), n).to.have.length(1);
            expect(new Set(ids).size).to.equal(200);
            const throttled = s.stats().faults.throttled;
            expect(throttled, "the server throttled some requests").to.be.greaterThan(0);
            report.throttled503sAbsorbed += throttled;
            report.faultsInjected += throttled;
            console.log(`      503s absorbed: ${throttled} over ${s.stats().requests} requests; peak in flight ${s.stats().peakInFlight}`);
        } finally {
            await s.close();
        }
    });

    it("with our own limit of 2 in flight the server never has to throttle", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, maxConcurrent: 2, latencyMs: 3, seed: 2 });
        try {
            const host = await startHost(configFor(s));
            const errors = await pool(Array.from({ length: 60 }, (_, i) => `Calm-${i}`), 60, (name) => host.create("PhoneSystem", { displayName: name }));
            expect(errors.size).to.equal(0);
            expect(s.stats().faults.throttled).to.equal(0);
            expect(s.stats().peakInFlight).to.be.at.most(2);
        } finally {
            await s.close();
        }
    });

    it("random failures (--fail-rate 0.2, --reset-rate 0.05): 100 resources of every kind that creates converge in a bounded number of runs, no duplicate, no orphan", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, seed: 3 });
        const ctx = await contextOf(s);
        const initial = JSON.stringify(s.store.snapshot());
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: ADMIN_PASSWORD }, {}));
        try {
            const host = await startHost(configFor(s));
            type R = { kind: string; inputs: Props; id?: string; outs?: Props };
            // All example fields: each object of a kind differs from the others in its free-text
            // values (an AXL server has no name), which is how an interrupted create finds its own.
            const planned: R[] = [];
            for (let i = 0; i < 100; i++) {
                const def = CREATED[i % CREATED.length];
                planned.push({ kind: def.kind, inputs: await program(host, def, "full", ctx, `-${String(i).padStart(3, "0")}`) });
            }
            expectEveryKind(planned.map((r) => r.kind), Object.values(RESOURCES).filter((d) => d.existing));
            /** What each kind lists under the parents the plan uses (what CUC derives too, such as a user's primary extension row). */
            const listed = async () => {
                const ids = new Set<string>();
                for (const def of CREATED) {
                    const parents = new Set(planned.filter((r) => r.kind === def.kind).map((r) => (def.parent ? String(r.inputs[def.parent.input]) : undefined)));
                    for (const parentId of parents) for (const o of await direct.list(def.spec, { parentId })) ids.add(String(o.ObjectId));
                }
                return ids;
            };
            const before = await listed();
            s.faults.failRate = 0.2;
            s.faults.resetRate = 0.05;
            /** Like repeated `pulumi up`s: each run retries what failed, at most 6 runs. */
            const converge = async (step: string, todo: () => R[], op: (r: R) => Promise<void>) => {
                for (let run = 1; run <= 6; run++) {
                    const pending = todo();
                    if (!pending.length) return run - 1;
                    const errors = await pool(pending, 16, op);
                    for (const e of errors.values()) expectClear(e);
                }
                expect(todo().map((r) => `${step} ${r.kind} ${JSON.stringify(r.inputs)}`)).to.deep.equal([]);
                return 6;
            };
            const created = await converge("create", () => planned.filter((r) => !r.id), async (r) => {
                try {
                    const res = await host.create(r.kind, r.inputs);
                    Object.assign(r, { id: res.id, outs: res.outs });
                } catch (e) {
                    // Created but not finished: the engine records it; the update step finishes it.
                    const failed = e as InitFailed;
                    if (failed.id) Object.assign(r, { id: failed.id, outs: failed.properties });
                    throw e;
                }
            });
            const updated = new Set<R>();
            await converge("update", () => planned.filter((r) => !updated.has(r)), async (r) => {
                const change = oneChange(RESOURCES[r.kind], r.inputs);
                r.outs = await host.update(r.kind, r.id!, r.outs!, { ...r.inputs, [change.key]: change.value });
                expect(r.outs[change.key], `${r.kind}.${change.key}`).to.deep.equal(change.value);
                updated.add(r);
            });
            const readOk = new Set<R>();
            await converge("read", () => planned.filter((r) => !readOk.has(r)), async (r) => {
                const got = await host.read(r.kind, r.id!, r.outs!);
                if (got.id !== r.id) report.lostObjects++;
                readOk.add(r);
            });
            // Nothing duplicated, nothing lost: the objects on the server that were not there
            // before are exactly the planned ones (listed under their parents, over HTTP).
            s.faults.failRate = 0;
            s.faults.resetRate = 0;
            const idsIn = (data: Record<string, { ObjectId?: unknown }[] | undefined>) => new Set(Object.values(data).flatMap((rs) => (rs ?? []).map((o) => String(o.ObjectId))));
            const initialIds = idsIn(JSON.parse(initial));
            const made = new Set([...(await listed())].filter((id) => !before.has(id)));
            // Ours, and what came with them (a user's primary call handler): every id their outputs hold.
            const ours = new Set(planned.flatMap((r) => Object.values(r.outs!).filter((v): v is string => typeof v === "string")));
            report.duplicates += [...made].filter((id) => !ours.has(id)).length;
            report.lostObjects += planned.map((r) => String(r.outs!.objectId)).filter((id) => !made.has(id)).length;
            s.faults.failRate = 0.2;
            s.faults.resetRate = 0.05;
            const deleted = new Set<R>();
            await converge("delete", () => planned.filter((r) => !deleted.has(r)), async (r) => {
                await host.delete(r.kind, r.id!, r.outs!);
                deleted.add(r);
            });
            s.faults.failRate = 0;
            s.faults.resetRate = 0;
            // Outputs as the host returned them hold no connection password.
            transcript.push(JSON.stringify(planned.map((r) => r.outs)));
            expect(JSON.stringify(planned.map((r) => r.outs))).not.to.contain(ADMIN_PASSWORD);
            s.store.purgeUnjoined();
            const after = s.store.snapshot();
            report.orphans += [...idsIn(after)].filter((id) => !initialIds.has(id)).length;
            report.faultsInjected += s.stats().faults.failed + s.stats().faults.reset;
            console.log(`      converged: creates in ${created} run(s); ${s.stats().faults.failed} failures and ${s.stats().faults.reset} resets injected`);
            expect(report.duplicates).to.equal(0);
            expect(report.lostObjects).to.equal(0);
            expect(JSON.stringify(after)).to.equal(initial); // no orphan
        } finally {
            direct.close();
            await s.close();
        }
    });

    it("ambiguous create: the server commits the POST and drops the connection; the provider finds the object", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, seed: 4 });
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: ADMIN_PASSWORD, caCert: s.ca }, {}));
        try {
            const ctx = await contextOf(s);
            const host = await startHost(configFor(s));
            // A resource that patches an existing object creates with a PUT, which is retried.
            const found: string[] = [];
            const covered: string[] = [];
            for (const def of CREATED) {
                const kind = def.kind;
                covered.push(kind);
                const inputs = await program(host, def, "minimal", ctx, "-ambiguous");
                s.faults.commitResetRate = 1;
                s.resetStats();
                // The lookup after the drop is a GET, which the knob does not touch.
                const { id, outs } = await host.create(kind, inputs);
                expect(s.stats().byMethod.POST, kind).to.equal(1);
                expect(s.stats().faults.commitReset, kind).to.equal(1);
                report.faultsInjected++;
                s.faults.commitResetRate = 0;
                expect((await host.read(kind, id, {})).id, kind).to.equal(id);
                // Named as its definition names its objects (a user by alias, an AXL server by host), from what the server holds.
                const { objectId, parentId } = def.parseId(id)!;
                const record = await def.ops.get(direct, objectId, parentId);
                found.push(`the create request was interrupted; found ${def.recordName(record!)} (${objectId})`);
            }
            expectEveryKind(covered, Object.values(RESOURCES).filter((d) => d.existing));
            // The host writes its log beside the answers: wait for the lines, not for a time.
            const missing = () => found.filter((line) => !host.output.join("").includes(line));
            await until(() => missing().length === 0, () => `the host never logged: ${missing().join("; ")}`);
        } finally {
            direct.close();
            await s.close();
        }
    });

    it("restart: the simulator restarts from --state mid-run; nothing created before is lost or duplicated", async () => {
        fs.mkdirSync(path.join(ROOT, ".test-output"), { recursive: true });
        const dir = fs.mkdtempSync(path.join(ROOT, ".test-output", "restart-"));
        const state = path.join(dir, "state.json");
        const probe = await sim();
        const port = new URL(probe.url).port;
        await probe.close();
        const startChild = async (): Promise<ChildProcess> => {
            const child = spawn(process.execPath, [path.join(ROOT, "dist/simulator/cli.js"), "--http", "--port", port, "--state", state, "--password", ADMIN_PASSWORD, "--latency-ms", "5"], { stdio: ["ignore", "pipe", "inherit"] });
            await new Promise<void>((resolve, reject) => {
                readline.createInterface({ input: child.stdout! }).once("line", (l) => (l.startsWith("listening") ? resolve() : reject(new Error(l))));
                child.once("exit", (c) => reject(new Error(`cuc-sim exited ${c}`)));
            });
            return child;
        };
        let child = await startChild();
        const url = `http://127.0.0.1:${port}`;
        let host = await startHost({ "cuc:server": url, "cuc:username": "admin", "cuc:password": ADMIN_PASSWORD, "cuc:retries": "10", "cuc:retryBaseMs": "50", "cuc:retryMaxMs": "400" });
        try {
            const names = Array.from({ length: 40 }, (_, i) => `Restart-${String(i).padStart(2, "0")}`);
            const ids = new Map<string, string>();
            // Kill -9 the server once a quarter of the creates are done, the next ones in flight;
            // restart it from its state file once the old process is gone (its port is free).
            let quarterDone!: () => void;
            const quarter = new Promise<void>((r) => (quarterDone = r));
            let settled = 0;
            const creating = pool(names, 4, async (n) => {
                try {
                    ids.set(n, (await host.create("PhoneSystem", { displayName: n })).id);
                } finally {
                    if (++settled === names.length / 4) quarterDone();
                }
            });
            await quarter;
            const killed = new Promise((r) => child.once("exit", r));
            child.kill("SIGKILL");
            expect(ids.size, "the server is killed mid-run").to.be.lessThan(names.length);
            report.faultsInjected++;
            await killed;
            child = await startChild();
            const errors = await creating;
            // A second run (a new provider process, as in a second \`pulumi up\`) finishes whatever the restart made fail.
            host = await startHost({ "cuc:server": url, "cuc:username": "admin", "cuc:password": ADMIN_PASSWORD, "cuc:retries": "10", "cuc:retryBaseMs": "50", "cuc:retryMaxMs": "400" });
            const retry = await pool(names.filter((n) => !ids.has(n)), 4, async (n) => ids.set(n, (await host.create("PhoneSystem", { displayName: n })).id));
            expect([...retry.values()].map((e) => e.message)).to.deep.equal([]);
            for (const e of errors.values()) expectClear(e);
            const direct = new CupiClient(resolveSettings({ server: url, username: "admin", password: ADMIN_PASSWORD }, {}));
            const all = (await direct.list(PhoneSystem)).map((p) => String(p.DisplayName));
            direct.close();
            for (const n of names) {
                const count = all.filter((x) => x === n).length;
                if (count > 1) report.duplicates += count - 1;
                if (count === 0) report.lostObjects++;
                expect(count, n).to.equal(1);
            }
            for (const [n, id] of ids) expect((await host.read("PhoneSystem", id, {})).outs.displayName, n).to.equal(n);
        } finally {
            child.kill("SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("timeouts: a hung request fails after the configured timeout and says so", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, seed: 5 });
        try {
            const host = await startHost(configFor(s, { "cuc:timeoutMs": "200", "cuc:retries": "1" }));
            s.faults.hangRate = 1;
            const e = await host.read("PhoneSystem", PS, {}).then(() => undefined, (x: Error) => x);
            transcript.push(String(e?.message));
            expect(e?.message).to.contain("no answer from").and.to.contain("within 200 ms (timeout");
            expect(s.stats().faults.hung).to.equal(2);
            report.faultsInjected += 2;
        } finally {
            await s.close();
        }
    });

    describe("TLS", () => {
        let s: Simulator;
        before(async () => {
            s = await startSimulator({ password: ADMIN_PASSWORD, seed: 6 });
        });
        after(() => s.close());

        it("verifies by default: the simulator's self-signed certificate is refused with a pointer to cuc:caCert", async () => {
            const host = await startHost({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD });
            const e = await host.create("PhoneSystem", { displayName: "Tls" }).then(() => undefined, (x: Error) => x);
            transcript.push(String(e?.message));
            expect(e?.message).to.contain("could not be verified").and.to.contain("cuc:caCert");
        });

        it("succeeds with the CA file, and verifies the server with it", async () => {
            const host = await startHost({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD, "cuc:caCert": s.certPath! });
            s.resetStats();
            const { id, outs } = await host.create("PhoneSystem", { displayName: "Tls-Ca" });
            // Over HTTPS (the simulator serves nothing else), to this server, with verification on.
            expect(s.url).to.match(/^https:\/\//);
            expect(outs.cucServer).to.equal(s.url);
            expect(s.stats().byMethod).to.deep.equal({ POST: 1, GET: 1 });
            expect(s.store.render("PhoneSystem", String(outs.objectId))).to.include({ ObjectId: outs.objectId, DisplayName: "Tls-Ca" });
            expect(host.output.join("")).not.to.contain("TLS verification is off");
            await host.delete("PhoneSystem", id, outs);
            expect(s.store.has("PhoneSystem", String(outs.objectId)), "deleted over the same connection").to.equal(false);
            // It is that CA file that verifies: another one (another simulator's) is refused.
            const other = await startSimulator({ password: ADMIN_PASSWORD, seed: 7 });
            try {
                const wrong = await startHost({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD, "cuc:caCert": other.certPath! });
                const e = await wrong.create("PhoneSystem", { displayName: "Tls-Other-Ca" }).then(() => undefined, (x: Error) => x);
                transcript.push(String(e?.message));
                expect(e?.message).to.contain("could not be verified");
                expect(s.store.list("PhoneSystem").map((p) => p.DisplayName)).not.to.include("Tls-Other-Ca");
            } finally {
                await other.close();
            }
        });

        it("skips verification only with insecure, and warns once", async () => {
            const host = await startHost({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD, "cuc:insecure": "true" });
            for (let i = 0; i < 3; i++) {
                const { id, outs } = await host.create("PhoneSystem", { displayName: `Insecure-${i}` });
                await host.read("PhoneSystem", id, outs);
                await host.delete("PhoneSystem", id, outs);
            }
            const warnings = host.output.join("").split("\n").filter((l) => l.includes("TLS verification is off"));
            expect(warnings).to.have.length(1);
        });
    });

    it("the serialized provider of every kind holds no credential", async () => {
        const covered: string[] = [];
        for (const kind of Object.keys(RESOURCES)) {
            expect(await serializedProvider(kind), kind).not.to.contain(ADMIN_PASSWORD);
            covered.push(kind);
        }
        expectEveryKind(covered);
    });
});
