/**
 * The engine-level benchmark behind `npm run bench`: N phone systems, each with one AXL server,
 * through the real Pulumi engine (scripts/automation.ts) against the simulator with an added
 * latency per request. Steps: up, an up with no changes, refresh, destroy. For each: wall time,
 * requests by method, logins, TCP connections and the peak in flight seen by the server, and the
 * ideal wall time (requests x latency / requests in flight allowed). The floor is the engine's own
 * cost: the same resource graph with a dynamic provider that does nothing. Figures, no assertions.
 * BENCH_TRACE=1 also logs the requests in flight per half second of each step.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS } from "../provider/client";
import { startSimulator } from "../simulator";
import { changesOf, createStack, cucConfig, ROOT, type TestStack } from "./automation";

export const STEPS = ["up", "no-change up", "refresh", "destroy"] as const;
export type Step = (typeof STEPS)[number];

export interface StepFigures {
    step: Step;
    wallMs: number;
    /** The engine's count of resource operations by kind ("same" left out). */
    changes: Record<string, number>;
    requests: number;
    byMethod: Record<string, number>;
    logins: number;
    connections: number;
    peakInFlight: number;
    /** requests x latency / maxConcurrent: the client kept busy at its limit the whole time. */
    idealMs: number;
    /** The same step for the do-nothing provider. */
    floorMs: number;
    /** wall / max(ideal, floor). */
    ratio: number;
    /** When the first request reached the server, from the step's start (sampled every 10 ms). */
    firstRequestMs: number;
    /** Share of the time from the first request to the end with maxConcurrent requests in flight. */
    fullShare: number;
}

export interface EngineBench {
    parallel: number | string;
    pairs: number;
    resources: number;
    latencyMs: number;
    maxConcurrent: number;
    cpus: number;
    steps: StepFigures[];
}

export interface EngineBenchOptions {
    /** Phone systems, each with one AXL server (default 100: 200 resources). */
    pairs?: number;
    latencyMs?: number;
    /** cuc:maxConcurrent (default: the setting's own default). */
    maxConcurrent?: number;
    /** The engine's --parallel (default: the CLI's own, 4 x CPUs). */
    parallel?: number;
    /** Where to write the JSON (default .test-output/bench-engine.json). */
    out?: string;
    log?: (line: string) => void;
}

/** The engine's own cost per resource: a provider that answers at once and calls nothing. */
const nothing: pulumi.dynamic.ResourceProvider = {
    async create(inputs) {
        return { id: String(inputs.name), outs: inputs };
    },
    async read(id, props) {
        return { id, props };
    },
    async diff() {
        return { changes: false };
    },
    async delete() {
        /* nothing to remove */
    },
};

class Nothing extends pulumi.dynamic.Resource {
    constructor(name: string, props: Record<string, pulumi.Input<string>>) {
        super(nothing, name, { name, ...props }, {}, "bench", "Nothing");
    }
}

async function runSteps(t: TestStack, parallel: number | undefined, before: () => void, after: (step: Step, wallMs: number, changes: Record<string, number>) => void): Promise<void> {
    const timed = async (step: Step, run: () => Promise<Record<string, number> | undefined>) => {
        before();
        const t0 = process.hrtime.bigint();
        const summary = await run();
        after(step, Number(process.hrtime.bigint() - t0) / 1e6, changesOf(summary));
    };
    await timed("up", async () => (await t.stack.up({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await timed("no-change up", async () => (await t.stack.up({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await timed("refresh", async () => (await t.stack.refresh({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await timed("destroy", async () => (await t.stack.destroy({ onOutput: t.onOutput, parallel })).summary.resourceChanges);
    await t.stack.workspace.removeStack("dev");
}

export async function benchEngine(options: EngineBenchOptions = {}): Promise<EngineBench> {
    const pairs = options.pairs ?? 100;
    const latencyMs = options.latencyMs ?? 50;
    const maxConcurrent = options.maxConcurrent ?? SETTINGS.maxConcurrent.default;
    const log = options.log ?? (() => undefined);
    const dirs: string[] = [];

    // The floor first: the same graph, parents feeding children, with the do-nothing provider.
    const floor = new Map<Step, number>();
    const f = await createStack({
        name: "bench-floor",
        program: async () => {
            for (let i = 0; i < pairs; i++) {
                const ps = new Nothing(`ps-${i}`, {});
                new Nothing(`axl-${i}`, { parent: ps.id });
            }
            return {};
        },
    });
    dirs.push(f.dir);
    await runSteps(f, options.parallel, () => undefined, (step, wallMs) => {
        floor.set(step, wallMs);
        log(`floor ${step}: ${(wallMs / 1000).toFixed(1)} s`);
    });

    const sim = await startSimulator({ seed: 41, latencyMs });
    const steps: StepFigures[] = [];
    try {
        const t = await createStack({
            name: "bench-cuc",
            program: async () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const cuc = require("pulumi-cuc") as typeof import("../sdk");
                for (let i = 0; i < pairs; i++) {
                    const ps = new cuc.PhoneSystem(`ps-${i}`, { displayName: `Bench-${i}` });
                    new cuc.AxlServer(`axl-${i}`, { phoneSystemId: ps.objectId, hostOrIpAddress: `cucm-${i}.example.com`, ccmAxlPassword: "Bench-Axl-1" });
                }
                return {};
            },
            config: { ...cucConfig(sim), "cuc:maxConcurrent": { value: String(maxConcurrent) } },
        });
        dirs.push(t.dir);
        // Samples of requests in flight: when the client starts, and how long it keeps the server full.
        let sampler: NodeJS.Timeout | undefined;
        let samples: { at: number; inFlight: number; requests: number }[] = [];
        await runSteps(t, options.parallel, () => {
            sim.resetStats();
            samples = [];
            const start = Date.now();
            sampler = setInterval(() => {
                const x = sim.stats();
                samples.push({ at: Date.now() - start, inFlight: x.inFlight, requests: x.requests });
            }, 10);
        }, (step, wallMs, changes) => {
            clearInterval(sampler);
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
                step, wallMs: Math.round(wallMs), changes, requests: s.requests, byMethod: s.byMethod, logins: s.logins,
                connections: s.connections, peakInFlight: s.peakInFlight, idealMs: Math.round(idealMs), floorMs: Math.round(floorMs),
                ratio: Number((wallMs / Math.max(idealMs, floorMs, 1)).toFixed(2)),
                firstRequestMs, fullShare: Number(fullShare.toFixed(2)),
            });
            log(`${step}: ${(wallMs / 1000).toFixed(1)} s, ${s.requests} requests`);
        });
    } finally {
        await sim.close();
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
    const result: EngineBench = { parallel: options.parallel ?? "engine default", pairs, resources: 2 * pairs, latencyMs, maxConcurrent, cpus: os.cpus().length, steps };
    const out = options.out ?? path.join(ROOT, ".test-output", "bench-engine.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
    return result;
}

/** The figures as rows for a fixed-width table. */
export function engineRows(b: EngineBench): string[][] {
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const methods = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    return [
        [`engine, ${b.resources} resources, ${b.latencyMs} ms latency`, "wall s", "ideal s", "floor s", "x max(ideal, floor)", "requests", "logins", "TCP", "peak in flight", "first request s", "time full"],
        ...b.steps.map((x) => [
            x.step, s(x.wallMs), s(x.idealMs), s(x.floorMs), x.ratio.toFixed(2), `${x.requests} (${methods(x.byMethod)})`, String(x.logins),
            String(x.connections), String(x.peakInFlight), s(x.firstRequestMs), `${Math.round(x.fullShare * 100)} %`,
        ]),
    ];
}
