/**
 * The engine-level benchmark behind `npm run bench`: N phone systems, each with one AXL server,
 * through the real Pulumi engine (scripts/automation.ts), the program run from a project directory
 * by the Node language host as users run theirs (scripts/bench-program.ts), against the simulator with an added
 * latency per request. Steps: up, an up with no changes, refresh, destroy. For each: wall time,
 * requests by method, logins, TCP connections and the peak in flight seen by the server, and the
 * ideal wall time (requests x latency / requests in flight allowed). The floor is the engine's own
 * cost: the same resource graph with a dynamic provider that does nothing. Figures, no assertions.
 * BENCH_TRACE=1 also logs the requests in flight per half second of each step.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SETTINGS } from "../provider/client";
import { startSimulator, type Simulator, type SimulatorOptions } from "../simulator";
import { changesOf, createStack, cucConfig, ROOT, type TestStack } from "./automation";
import { programFiles } from "./bench-program";

export const STEPS = ["up", "no-change preview", "no-change up", "refresh", "destroy"] as const;
export type Step = (typeof STEPS)[number];

export interface StepFigures {
    step: Step;
    wallMs: number;
    /** The engine's count of resource operations by kind ("same" left out). */
    changes: Record<string, number>;
    requests: number;
    byMethod: Record<string, number>;
    byRoute: Record<string, number>;
    logins: number;
    connections: number;
    peakInFlight: number;
    /** requests x latency / maxConcurrent: the client kept busy at its limit the whole time. */
    idealMs: number;
    /** The same step for the do-nothing provider. */
    floorMs: number;
    /** Most resident memory of a provider process (dynamic host or native plugin) during the step, MB. */
    providerPeakMb: number;
    /** What afterStep counted on the server. */
    server?: Record<string, unknown>;
    /** wall / max(ideal, floor). */
    ratio: number;
    /** When the first request reached the server, from the step's start (sampled every 10 ms). */
    firstRequestMs: number;
    /** Share of the time from the first request to the end with maxConcurrent requests in flight. */
    fullShare: number;
}

export interface EngineBench {
    /** What ran: the workload's label. */
    workload: string;
    parallel: number | string;
    resources: number;
    latencyMs: number;
    maxConcurrent: number;
    cpus: number;
    /** PULUMI_SKIP_CHECKPOINTS was set: the file backend writes the state once, at the end. */
    skipCheckpoints: boolean;
    /** Resources by kind, for requests per object. */
    kinds: Record<string, number>;
    steps: StepFigures[];
    /** With interruptUpAfter: the `up` killed before the steps, and what the server held then. */
    interrupted?: { requests: number; server?: Record<string, unknown> };
}

/**
 * One resource of a workload: its kind (a class of pulumi-cuc), its arguments, and the arguments
 * that are other resources' ObjectIds (`refs`, by node name: one, or a list for member lists).
 * `after`: nodes it needs first without taking their id (a template a user is created from).
 */
export interface WorkloadNode {
    name: string;
    kind: string;
    args: Record<string, unknown>;
    refs?: Record<string, string | readonly string[]>;
    after?: readonly string[];
}

export interface Workload {
    label: string;
    nodes: readonly WorkloadNode[];
}

/** The engine benchmark's first workload: N phone systems, each with one AXL server. */
export function telephonyWorkload(pairs: number): Workload {
    const nodes: WorkloadNode[] = [];
    for (let i = 0; i < pairs; i++) {
        nodes.push({ name: `ps-${i}`, kind: "PhoneSystem", args: { displayName: `Bench-${i}` } });
        nodes.push({ name: `axl-${i}`, kind: "AxlServer", args: { hostOrIpAddress: `cucm-${i}.example.com`, ccmAxlPassword: "Bench-Axl-1" }, refs: { phoneSystemId: `ps-${i}` } });
    }
    return { label: `${pairs} phone systems with an AXL server each`, nodes };
}

/** The directory: users from templates with initial PINs, lists holding them, COS, partitions and search spaces. */
export function directoryWorkload(o: { users: number; templates?: number; lists?: number; cos?: number; partitions?: number }): Workload {
    const templates = o.templates ?? 1, lists = o.lists ?? 0, coses = o.cos ?? 0, partitions = o.partitions ?? 0;
    const nodes: WorkloadNode[] = [];
    for (let i = 0; i < partitions; i++) {
        nodes.push({ name: `partition-${i}`, kind: "Partition", args: { name: `Bench Partition ${i}` } });
        nodes.push({ name: `search-space-${i}`, kind: "SearchSpace", args: { name: `Bench Search Space ${i}` }, refs: { partitions: [`partition-${i}`] } });
    }
    for (let i = 0; i < coses; i++) nodes.push({ name: `cos-${i}`, kind: "ClassOfService", args: { displayName: `Bench COS ${i}`, maxMsgLength: 600 } });
    for (let i = 0; i < templates; i++) {
        nodes.push({ name: `template-${i}`, kind: "UserTemplate", args: { alias: `bench-template-${i}`, displayName: `Bench template ${i}`, pin: "80264713", pinMustChange: true }, refs: coses ? { cosId: `cos-${i % coses}` } : {} });
    }
    for (let i = 0; i < o.users; i++) {
        nodes.push({
            name: `user-${i}`, kind: "User",
            args: { alias: `bench-user-${i}`, dtmfAccessId: String(200_000 + i), displayName: `Bench User ${i}`, templateAlias: `bench-template-${i % templates}`, pin: String(31_000_000 + i), pinMustChange: true },
            refs: partitions ? { partitionId: `partition-${i % partitions}` } : {},
            after: [`template-${i % templates}`],
        });
    }
    for (let l = 0; l < lists; l++) {
        const members = Array.from({ length: o.users }, (_, i) => i).filter((i) => i % lists === l).map((i) => `user-${i}`);
        nodes.push({ name: `list-${l}`, kind: "DistributionList", args: { alias: `bench-list-${l}`, displayName: `Bench list ${l}` }, refs: { users: members } });
    }
    return { label: `${o.users} users from ${templates} template(s)${lists ? `, ${lists} lists` : ""}${coses ? `, ${coses} COS` : ""}${partitions ? `, ${partitions} partitions and search spaces` : ""}`, nodes };
}

export interface EngineBenchOptions {
    workload?: Workload;
    latencyMs?: number;
    /** cuc:maxConcurrent (default: the setting's own default). */
    maxConcurrent?: number;
    /** The simulator's throttle: requests in flight it serves at once (CUC: 5). */
    serverMaxConcurrent?: number;
    /** The engine's --parallel (default: the CLI's own, 4 x CPUs). */
    parallel?: number;
    /** Set PULUMI_SKIP_CHECKPOINTS (the state is written once, at the end). */
    skipCheckpoints?: boolean;
    /** Skip the do-nothing floor (when another run measured it). */
    floor?: false;
    /** Where to write the JSON (default .test-output/bench-engine.json). */
    out?: string;
    log?: (line: string) => void;
    /** The steps to run (default all of STEPS; destroy cleans up, so leave it last). */
    steps?: readonly Step[];
    /** Only the do-nothing floor (the engine's own cost), not the provider. */
    floorOnly?: boolean;
    /** More simulator settings: CUC's queue, faults, users already on the server. */
    sim?: Partial<SimulatorOptions>;
    /** What to count on the server after each step (duplicates, orphans), kept with the step's figures. */
    afterStep?: (step: Step, sim: Simulator) => Record<string, unknown>;
    /** Kill the CLI (SIGKILL, with what it started) once the server has seen this many requests of a first `up`; the steps then run again from there. */
    interruptUpAfter?: number;
}

/** The running processes that `pick` returns a value for, by PID: a process gone meanwhile, or not ours to read, is left out. */
function processes<T>(pick: (pid: number) => T | undefined): Map<number, T> {
    const out = new Map<number, T>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const v = pick(Number(entry));
            if (v !== undefined) out.set(Number(entry), v);
        } catch {
            // gone meanwhile, or not ours to read
        }
    }
    return out;
}

/** A process and everything it started, by walking /proc's parent links. */
function processTree(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const [pid, ppid] of processes((p) => Number(fs.readFileSync(`/proc/${p}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]))) {
        children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
    const out: number[] = [];
    const queue = [root];
    while (queue.length) {
        const pid = queue.shift()!;
        out.push(pid);
        queue.push(...(children.get(pid) ?? []));
    }
    return out;
}

/** The pulumi CLI running in a stack's work directory (the Automation API starts it there). */
function cliIn(dir: string): number | undefined {
    const found = processes((p) => {
        const cmd = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0");
        return path.basename(cmd[0]) === "pulumi" && cmd.includes("up") && fs.readlinkSync(`/proc/${p}/cwd`) === dir ? true : undefined;
    });
    return [...found.keys()][0];
}

/** The provider processes of a run (the dynamic-provider host, the native plugin), by PID. */
function providerPids(): number[] {
    return [...processes((p) => {
        const cmd = fs.readFileSync(`/proc/${p}/cmdline`, "utf8");
        return cmd.includes("dynamic-provider") || cmd.includes("pulumi-resource-cuc") ? true : undefined;
    }).keys()];
}

/** Resident memory of a process in MB (VmRSS), 0 when it is gone. */
function residentMb(pid: number): number {
    try {
        const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        return kb ? Number(kb) / 1024 : 0;
    } catch {
        return 0;
    }
}

async function runSteps(t: TestStack, parallel: number | undefined, before: () => void, after: (step: Step, wallMs: number, changes: Record<string, number>) => void, only: readonly Step[] = STEPS): Promise<void> {
    const timed = async (step: Step, run: () => Promise<Record<string, number> | undefined>) => {
        if (!only.includes(step)) return;
        before();
        const t0 = process.hrtime.bigint();
        const summary = await run();
        after(step, Number(process.hrtime.bigint() - t0) / 1e6, changesOf(summary));
    };
    await timed("up", async () => (await t.stack.up({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    // A preview with nothing to change: what diff alone asks of the server (nothing, for our kinds).
    await timed("no-change preview", async () => (await t.stack.preview({ onOutput: t.onOutput, parallel })).changeSummary);
    await timed("no-change up", async () => (await t.stack.up({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await timed("refresh", async () => (await t.stack.refresh({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await timed("destroy", async () => (await t.stack.destroy({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await t.stack.workspace.removeStack("dev");
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBench> {
    const workload = options.workload ?? telephonyWorkload(100);
    const latencyMs = options.latencyMs ?? 50;
    const maxConcurrent = options.maxConcurrent ?? SETTINGS.maxConcurrent.default;
    const log = options.log ?? (() => undefined);
    const envVars = options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : undefined;
    const dirs: string[] = [];

    // The floor first: the same graph, each resource taking the ids of those it refers to, with the do-nothing provider.
    const floor = new Map<Step, number>();
    const only = options.steps ?? STEPS;
    if (options.floor !== false) {
        const f = await createStack({ name: "bench-floor", envVars, files: programFiles(workload, "floor") });
        dirs.push(f.dir);
        await runSteps(f, options.parallel, () => undefined, (step, wallMs) => {
            floor.set(step, wallMs);
            log(`floor ${step}: ${(wallMs / 1000).toFixed(1)} s`);
        }, only);
    }
    if (options.floorOnly) {
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
        return {
            workload: workload.label, parallel: options.parallel ?? "engine default", resources: workload.nodes.length, latencyMs, maxConcurrent,
            cpus: os.cpus().length, skipCheckpoints: Boolean(options.skipCheckpoints), kinds: {},
            steps: [...floor].map(([step, floorMs]) => ({ step, wallMs: Math.round(floorMs), changes: {}, requests: 0, byMethod: {}, byRoute: {}, logins: 0, connections: 0, peakInFlight: 0, idealMs: 0, floorMs: Math.round(floorMs), providerPeakMb: 0, ratio: 1, firstRequestMs: 0, fullShare: 0 })),
        };
    }

    const sim = await startSimulator({ seed: 41, latencyMs, maxConcurrent: options.serverMaxConcurrent, ...options.sim });
    const steps: StepFigures[] = [];
    let interrupted: EngineBench["interrupted"];
    try {
        const t = await createStack({
            name: "bench-cuc",
            envVars,
            files: programFiles(workload, "cuc"),
            config: { ...cucConfig(sim), "cuc:maxConcurrent": { value: String(maxConcurrent) } },
        });
        dirs.push(t.dir);
        if (options.interruptUpAfter !== undefined) interrupted = await interruptUp(t, options.interruptUpAfter, sim, options);
        // Samples of requests in flight: when the client starts, and how long it keeps the server full.
        let sampler: NodeJS.Timeout | undefined;
        let memory: NodeJS.Timeout | undefined;
        let peakMb = 0;
        let samples: { at: number; inFlight: number; requests: number }[] = [];
        await runSteps(t, options.parallel, () => {
            sim.resetStats();
            samples = [];
            const start = Date.now();
            sampler = setInterval(() => {
                const x = sim.stats();
                samples.push({ at: Date.now() - start, inFlight: x.inFlight, requests: x.requests });
            }, 10);
            peakMb = 0;
            memory = setInterval(() => {
                for (const pid of providerPids()) peakMb = Math.max(peakMb, residentMb(pid));
            }, 500);
        }, (step, wallMs, changes) => {
            clearInterval(sampler);
            clearInterval(memory);
            if (process.env.BENCH_TRACE) {
                const buckets = new Map<number, number[]>();
                for (const x of samples) buckets.set(Math.floor(x.at / 500), [...(buckets.get(Math.floor(x.at / 500)) ?? []), x.inFlight]);
                log(`${step} in flight per 0.5 s: ${[...buckets.values()].map((v) => (v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)).join(" ")}`);
            }
            const s = sim.stats();
            const active = samples.filter((x) => x.requests > 0);
            const firstRequestMs = active[0]?.at ?? 0;
            const fullShare = active.length ? active.filter((x) => x.inFlight >= maxConcurrent).length / active.length : 0;

            const idealMs = (s.requests * latencyMs) / maxConcurrent;
            const floorMs = floor.get(step) ?? 0;
            steps.push({
                step, wallMs: Math.round(wallMs), changes, requests: s.requests, byMethod: s.byMethod, byRoute: s.byRoute, logins: s.logins,
                connections: s.connections, peakInFlight: s.peakInFlight, idealMs: Math.round(idealMs), floorMs: Math.round(floorMs), providerPeakMb: Math.round(peakMb),
                ratio: Number((wallMs / Math.max(idealMs, floorMs, 1)).toFixed(2)),
                firstRequestMs, fullShare: Number(fullShare.toFixed(2)),
                ...(options.afterStep ? { server: options.afterStep(step, sim) } : {}),
            });
            log(`${step}: ${(wallMs / 1000).toFixed(1)} s, ${s.requests} requests`);
        }, only);
    } finally {
        await sim.close();
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
    const kinds: Record<string, number> = {};
    for (const n of workload.nodes) kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
    const result: EngineBench = {
        workload: workload.label, parallel: options.parallel ?? "engine default", resources: workload.nodes.length, latencyMs, maxConcurrent,
        cpus: os.cpus().length, skipCheckpoints: Boolean(options.skipCheckpoints), kinds, steps, ...(interrupted ? { interrupted } : {}),
    };
    const out = options.out ?? path.join(ROOT, ".test-output", "bench-engine.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    return result;
}

/** An `up` killed as a crash or a closed laptop would stop it: the CLI and its children get SIGKILL mid-run. */
async function interruptUp(t: TestStack, afterRequests: number, sim: Simulator, options: EngineBenchOptions): Promise<EngineBench["interrupted"]> {
    sim.resetStats();
    const running = t.stack.up({ onOutput: () => undefined, parallel: options.parallel }).then(() => "finished", () => "killed");
    let outcome: string | undefined;
    void running.then((o) => (outcome = o));
    // Bounded: the up ends by itself if it needs fewer requests than that.
    while (outcome === undefined && sim.stats().requests < afterRequests) await new Promise((r) => setTimeout(r, 20));
    const cli = cliIn(t.dir);
    if (cli !== undefined) for (const pid of processTree(cli).reverse()) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
    await running;
    if (outcome === "finished" || cli === undefined) throw new Error(`bench: the up ended before ${afterRequests} requests; nothing was interrupted`);
    // In-flight requests the server is still answering land before the next run starts.
    await new Promise((r) => setTimeout(r, 2000));
    // A killed run leaves the file backend's lock behind: `pulumi cancel` removes it, as the error says.
    await t.stack.cancel();
    return { requests: sim.stats().requests, ...(options.afterStep ? { server: options.afterStep("up", sim) } : {}) };
}

/**
 * Requests per object of a kind in a step, by route (`POST /vmrest/users`, `PUT .../credential/pin`):
 * what one create costs, from the server's own counts.
 */
export function requestsPerObject(b: EngineBench, step: Step, kind: string, routePrefix: string): Record<string, number> {
    const figures = b.steps.find((x) => x.step === step);
    const count = b.kinds[kind] ?? 0;
    if (!figures || !count) return {};
    return Object.fromEntries(Object.entries(figures.byRoute).filter(([route]) => route.split(" ")[1].startsWith(routePrefix)).map(([route, n]) => [route, Number((n / count).toFixed(2))]));
}

/** The figures as rows for a fixed-width table. */
export function engineRows(b: EngineBench): string[][] {
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const methods = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    return [
        [`${b.workload}: ${b.resources} resources, ${b.latencyMs} ms latency${b.skipCheckpoints ? ", no checkpoints" : ""}`, "wall s", "ideal s", "floor s", "x max(ideal, floor)", "requests", "logins", "TCP", "peak in flight", "first request s", "time full"],
        ...b.steps.map((x) => [
            x.step, s(x.wallMs), s(x.idealMs), s(x.floorMs), x.ratio.toFixed(2), `${x.requests} (${methods(x.byMethod)})`, String(x.logins),
            String(x.connections), String(x.peakInFlight), s(x.firstRequestMs), `${Math.round(x.fullShare * 100)} %`,
        ]),
    ];
}
