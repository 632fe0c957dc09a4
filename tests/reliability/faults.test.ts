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
import { ExternalService, HttpsLink, PhoneSystem, AxlServer } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT, sim } from "../helpers";
import { Host, serializedProvider, type InitFailed, type Props } from "../host";

const ADMIN_PASSWORD = "Fault-Admin-Pass-42";
const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
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
        report.leakedSecrets = [ADMIN_PASSWORD, "Axl-Fault-Secret", "Svc-Fault-Secret", "Remote-Fault-Secret"].filter((p) => logs.includes(p)).length +
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

    it("random failures (--fail-rate 0.2, --reset-rate 0.05): 100 mixed resources converge in a bounded number of runs, no duplicate, no orphan", async () => {
        const s = await sim({ password: ADMIN_PASSWORD, seed: 3 });
        const initial = JSON.stringify(s.store.snapshot());
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: ADMIN_PASSWORD }, {}));
        try {
            s.faults.failRate = 0.2;
            s.faults.resetRate = 0.05;
            const host = await startHost(configFor(s));
            type R = { kind: string; inputs: Props; id?: string; outs?: Props };
            const planned: R[] = Array.from({ length: 100 }, (_, i) => {
                const n = String(i).padStart(3, "0");
                switch (i % 4) {
                    case 0: return { kind: "PhoneSystem", inputs: { displayName: `Mixed-PS-${n}`, mwiForceOff: true } };
                    case 1: return { kind: "AxlServer", inputs: { phoneSystemId: PS, hostOrIpAddress: `cucm-${n}.example.com`, ccmAxlUser: "axl", ccmAxlPassword: "Axl-Fault-Secret" } };
                    case 2: return { kind: "ExternalService", inputs: { displayName: `Mixed-UM-${n}`, serverType: 5, server: "outlook.office365.com", serviceAlias: "svc", servicePassword: "Svc-Fault-Secret" } };
                    default: return { kind: "HttpsLink", inputs: { remoteServer: `cuc-${n}.example.com`, remoteUsername: "admin", remotePassword: "Remote-Fault-Secret", displayName: `Mixed-Link-${n}` } };
                }
            });
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
                const change: Props = { PhoneSystem: { mwiForceOff: false }, AxlServer: { port: 8443 }, ExternalService: { isEnabled: false }, HttpsLink: { acceptSelfSignedCertificates: true } }[r.kind]!;
                r.outs = await host.update(r.kind, r.id!, r.outs!, { ...r.inputs, ...change });
                updated.add(r);
            });
            const readOk = new Set<R>();
            await converge("read", () => planned.filter((r) => !readOk.has(r)), async (r) => {
                const got = await host.read(r.kind, r.id!, r.outs!);
                if (got.id !== r.id) report.lostObjects++;
                readOk.add(r);
            });
            // Nothing duplicated: each planned object exists exactly once.
            s.faults.failRate = 0;
            s.faults.resetRate = 0;
            const names = [...(await direct.list(PhoneSystem)), ...(await direct.list(ExternalService)), ...(await direct.list(HttpsLink))].map((o) => String(o.DisplayName));
            const hosts_ = (await direct.list(AxlServer, { parentId: PS })).map((a) => String(a.HostOrIPAddress));
            for (const r of planned) {
                const key = String(r.inputs.displayName ?? r.inputs.hostOrIpAddress);
                const n = (r.kind === "AxlServer" ? hosts_ : names).filter((x) => x === key).length;
                if (n > 1) report.duplicates += n - 1;
                if (n === 0) report.lostObjects++;
            }
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
            report.orphans += ["PhoneSystem", "AxlServer", "ExternalService", "HttpsLink"].reduce((n, k) => n + (after[k as "PhoneSystem"]?.length ?? 0), 0) - 1; // the default phone system stays
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
        try {
            const host = await startHost(configFor(s));
            s.faults.commitResetRate = 1;
            const cases: [string, Props][] = [
                ["PhoneSystem", { displayName: "Ambiguous-PS" }],
                ["ExternalService", { displayName: "Ambiguous-UM", serverType: 5, server: "o", serviceAlias: "a", servicePassword: "Svc-Fault-Secret" }],
                ["AxlServer", { phoneSystemId: PS, hostOrIpAddress: "ambiguous-cucm" }],
                ["HttpsLink", { remoteServer: "ambiguous.example.com", remoteUsername: "admin", remotePassword: "Remote-Fault-Secret" }],
            ];
            for (const [kind, inputs] of cases) {
                s.faults.commitResetRate = 1;
                s.resetStats();
                // The lookup after the drop is a GET, which the knob does not touch.
                const { id } = await host.create(kind, inputs);
                expect(s.stats().byMethod.POST, kind).to.equal(1);
                expect(s.stats().faults.commitReset, kind).to.equal(1);
                report.faultsInjected++;
                s.faults.commitResetRate = 0;
                expect((await host.read(kind, id, {})).id, kind).to.equal(id);
            }
            expect(host.output.join("")).to.contain("the create request was interrupted; found Ambiguous-PS");
        } finally {
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
            // Kill -9 the server while creates are in flight, restart it from its state file.
            const creating = pool(names, 4, async (n) => ids.set(n, (await host.create("PhoneSystem", { displayName: n })).id));
            await new Promise((r) => setTimeout(r, 150));
            child.kill("SIGKILL");
            report.faultsInjected++;
            await new Promise((r) => setTimeout(r, 200));
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

        it("succeeds with the CA file", async () => {
            const host = await startHost({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": ADMIN_PASSWORD, "cuc:caCert": s.certPath! });
            const { id, outs } = await host.create("PhoneSystem", { displayName: "Tls-Ca" });
            await host.delete("PhoneSystem", id, outs);
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

    it("the serialized provider holds no credential", async () => {
        for (const kind of ["PhoneSystem", "AxlServer", "ExternalService", "HttpsLink", "PortGroupMwi"]) {
            expect(await serializedProvider(kind)).not.to.contain(ADMIN_PASSWORD);
        }
    });
});
