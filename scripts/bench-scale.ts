/**
 * `npm run bench -- --scale`: a whole site in one stack (issue 27). The workload: 5,000 users from
 * 5 templates with initial PINs, 200 distribution lists holding them, 50 classes of service, 20
 * partitions and search spaces, against the simulator at CUC's pace (150 ms a request, 5 served at
 * once, the rest queued) with `cuc:maxConcurrent` 4 and the settings the README recommends for
 * large stacks (PULUMI_SKIP_CHECKPOINTS on a file backend). Then the engine's own cost by size,
 * with and without checkpoints, and ours at the same sizes with no latency; a run under faults; an
 * up killed halfway; cuc-import of a 20,000-user server; `pulumi import --file` of 5,000 users.
 * Figures, no pass or fail: `.test-output/bench-scale.json` and a table.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { benchEngine, directoryWorkload, requestsPerObject, type EngineBench, type Step, type Workload } from "./bench-engine";
import { createStack, cucConfig, nativePluginDir, pulumiCommand, ROOT } from "./automation";
import { startSimulator } from "../simulator";

const run = promisify(execFile);

export interface ScaleOptions {
    users?: number;
    latencyMs?: number;
    /** Sizes (resources) of the engine-floor series. */
    floorSizes?: readonly number[];
    /** The floor series with checkpoints only up to this size (each step costs O(N²) there). */
    checkpointedUpTo?: number;
    /** Parts to run: workload, floors, ours, faults, killed, import, pulumi-import. */
    parts?: readonly string[];
    log?: (line: string) => void;
}

/** CUC: 5 requests served at once for every client, 255 waiting (EVERYDAY.md §1.5). */
const CUC_THROTTLE = { maxConcurrent: 5, queueLimit: 255, queueTimeoutMs: 60_000 };

/** Issue 27's workload at `users` users, the rest in proportion (5,000: 5 templates, 200 lists, 50 COS, 20 partitions). */
export const siteWorkload = (users: number): Workload => directoryWorkload({
    users, templates: 5, lists: Math.max(1, Math.round(users / 25)), cos: Math.max(1, Math.round(users / 100)), partitions: Math.max(1, Math.round(users / 250)),
});

/** A workload of about `n` resources of the same shape (users with what they hang off). */
const sized = (n: number) => siteWorkload(Math.round(n / (1 + 1 / 25 + 1 / 100 + 2 / 250)));

export async function benchScale(o: ScaleOptions = {}): Promise<Record<string, unknown>> {
    const users = o.users ?? 5000;
    const latencyMs = o.latencyMs ?? 150;
    const parts = new Set(o.parts ?? ["workload", "floors", "ours", "faults", "killed", "import", "pulumi-import"]);
    const log = o.log ?? (() => undefined);
    const file = path.join(ROOT, ".test-output", "bench-scale.json");
    // Parts run one at a time (a run of all of them takes hours) add to the figures of the same size.
    const earlier = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {
        ...(earlier.users === users && earlier.latencyMs === latencyMs ? earlier : {}), users, latencyMs, cpus: os.cpus().length, cucThrottle: CUC_THROTTLE, maxConcurrent: 4,
    };
    const save = () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
    };
    const tmp = (name: string) => path.join(ROOT, ".test-output", `bench-scale-${name}.json`);

    if (parts.has("workload")) {
        // The recommended settings for a large stack on a file backend: checkpoints skipped.
        const b = await benchEngine({
            workload: siteWorkload(users), latencyMs, maxConcurrent: 4, skipCheckpoints: true, sim: CUC_THROTTLE, log, out: tmp("workload"),
        });
        out.workload = summarize(b);
        save();
    }
    /** A series by size, with and without checkpoints (those only up to checkpointedUpTo: each step costs O(N²) there). */
    const bySize = async (key: "floors" | "ours", run: (n: number, skip: boolean, steps: Step[]) => Promise<EngineBench>, figure: (x: EngineBench["steps"][number]) => number) => {
        const series: Record<string, unknown>[] = [];
        for (const n of o.floorSizes ?? [1000, 2000, 5000]) {
            for (const skip of [true, false]) {
                if (!skip && n > (o.checkpointedUpTo ?? 2000)) continue;
                const b = await run(n, skip, ["up", "no-change up", "destroy"]);
                series.push({
                    resources: b.resources, checkpoints: !skip, ...Object.fromEntries(b.steps.map((x) => [x.step, Number((figure(x) / 1000).toFixed(1))])),
                    ...(key === "ours" ? { providerPeakMb: Math.max(...b.steps.map((x) => x.providerPeakMb)) } : {}),
                });
                out[key] = series;
                save();
            }
        }
    };
    if (parts.has("floors")) {
        await bySize("floors", (n, skip, steps) => benchEngine({ workload: sized(n), skipCheckpoints: skip, floorOnly: true, steps, log, out: tmp(`floor-${n}-${skip}`) }), (x) => x.floorMs);
    }
    if (parts.has("ours")) {
        // Ours at the floors' sizes, with no latency: what the provider adds to the engine's own cost.
        await bySize("ours", (n, skip, steps) => benchEngine({
            workload: sized(n), latencyMs: 0, maxConcurrent: 4, skipCheckpoints: skip, floor: false, steps, sim: CUC_THROTTLE, log, out: tmp(`ours-${n}-${skip}`),
        }), (x) => x.wallMs);
    }
    if (parts.has("faults")) {
        // 5 % of requests answered 503, 2 % of connections dropped: one `up` must converge with no duplicate, no orphan.
        const b = await benchEngine({
            workload: siteWorkload(users), latencyMs: 0, maxConcurrent: 4, skipCheckpoints: true, floor: false, steps: ["up", "destroy"],
            sim: { ...CUC_THROTTLE, failRate: 0.05, failMethods: "", resetRate: 0.02, seed: 27 }, log, out: tmp("faults"),
            afterStep: (_step, sim) => objectsOnServer(sim, siteWorkload(users)),
        });
        out.faults = summarize(b);
        save();
    }
    if (parts.has("killed")) {
        // An up killed halfway (SIGKILL to the CLI and its children), then run again: no duplicate,
        // and destroy leaves no orphan. Without checkpoints at the full size (the state knows
        // nothing of the first run); with them at a fifth of it (each step rewrites the state).
        const series: Record<string, unknown>[] = [];
        for (const skip of [true, false]) {
            const n = skip ? users : Math.max(10, Math.round(users / 5));
            const w = siteWorkload(n);
            const b = await benchEngine({
                workload: w, latencyMs: 0, maxConcurrent: 4, skipCheckpoints: skip, floor: false, steps: ["up", "destroy"], sim: CUC_THROTTLE,
                interruptUpAfter: Math.round(requestsOfUp(w) / 2), log, out: tmp(`killed-${skip}`), afterStep: (_step, sim) => objectsOnServer(sim, w),
            });
            series.push({ checkpoints: !skip, interrupted: b.interrupted, ...summarize(b) });
            out.killed = series;
            save();
        }
    }
    if (parts.has("import")) out.import = await benchImport(log);
    if (parts.has("pulumi-import")) out.pulumiImport = await benchPulumiImport(users, latencyMs, log);
    save();
    return out;
}

/**
 * The workload's objects on the server against the plan: more of one name than planned is a
 * duplicate; after destroy, any left is an orphan; memberships beyond the plan are duplicates too.
 */
function objectsOnServer(sim: import("../simulator").Simulator, w: Workload): Record<string, unknown> {
    const planned = new Map<string, number>();
    for (const n of w.nodes) planned.set(n.kind, (planned.get(n.kind) ?? 0) + 1);
    const ours = (kind: string, key: string) => sim.store.list(kind).filter((r) => /^bench[- ]/i.test(String(r[key] ?? "")));
    const found: Record<string, number> = {
        User: ours("User", "Alias").length, UserTemplate: ours("UserTemplate", "Alias").length, DistributionList: ours("DistributionList", "Alias").length,
        ClassOfService: ours("ClassOfService", "DisplayName").length, Partition: ours("Partition", "Name").length, SearchSpace: ours("SearchSpace", "Name").length,
    };
    const memberships = ours("DistributionList", "Alias").reduce((n, l) => n + sim.store.list("DistributionListMember", String(l.ObjectId)).length, 0);
    const plannedMembers = w.nodes.filter((n) => n.kind === "DistributionList").reduce((n, l) => n + (l.refs?.users?.length ?? 0), 0);
    return { found, planned: Object.fromEntries(planned), memberships, plannedMembers };
}

/** About the requests a fault-free up of the workload sends (POST, PIN PUT and GET a user, a POST per membership, POST and GET for the rest). */
function requestsOfUp(w: Workload): number {
    return w.nodes.reduce((n, x) => n + (x.kind === "User" ? 3 : x.kind === "UserTemplate" ? 3 : 2) + (x.refs?.users?.length ?? 0), 0);
}

/** A step's figures as the table shows them. */
function summarize(b: EngineBench): Record<string, unknown> {
    return {
        workload: b.workload, resources: b.resources, skipCheckpoints: b.skipCheckpoints,
        perUserCreate: requestsPerObject(b, "up", "User", "/vmrest/users"),
        steps: b.steps.map((x) => ({
            step: x.step, wallS: x.wallMs / 1000, requests: x.requests, byMethod: x.byMethod, logins: x.logins,
            cucBoundS: x.idealMs / 1000, floorS: x.floorMs / 1000,
            xCucBound: x.idealMs ? Number((x.wallMs / x.idealMs).toFixed(2)) : null,
            xMax: x.ratio, peakInFlight: x.peakInFlight, providerPeakMb: x.providerPeakMb, changes: x.changes, server: x.server,
        })),
    };
}

/** cuc-import of a 20,000-user server at CUC's pace: one login, pages, a GET per user, split modules. */
async function benchImport(log: (line: string) => void): Promise<Record<string, unknown>> {
    const sim = await startSimulator({ users: 20_000, latencyMs: 150, ...CUC_THROTTLE, seed: 5 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));
    try {
        const t0 = Date.now();
        const res = await run(process.execPath, [path.join(ROOT, "dist", "provider", "import", "cli.js"), "--out", dir, "--kinds", "users,distributionlists,partitions,searchspaces,coses,usertemplates", "--max-concurrent", "4", "--package-spec", "^0.1.0"], {
            env: { ...process.env, CUC_SERVER: sim.url, CUC_USERNAME: sim.user, CUC_PASSWORD: sim.password, CUC_CA_CERT: sim.ca ?? "" },
            maxBuffer: 64 << 20,
        });
        const wallS = (Date.now() - t0) / 1000;
        const s = sim.stats();
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
        // The simulator runs in this process: its resident memory at 20,000 users, after serving the import.
        const simRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
        log(`import: ${wallS.toFixed(0)} s, ${s.requests} requests, ${s.logins} login(s), ${files.length} files`);
        return {
            users: 20_000, wallS, requests: s.requests, byMethod: s.byMethod, logins: s.logins, peakInFlight: s.peakInFlight,
            cucBoundS: (s.requests * 0.15) / 4, files: files.length, simRssMb, summary: res.stdout.split("\n").slice(0, 2).join(" "),
        };
    } finally {
        await sim.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * `pulumi import --file` of the import.json cuc-import writes for a 5,000-user server, as a user
 * runs it: the CLI in a project with the native plugin, a file backend, the settings the README
 * recommends for large stacks (checkpoints skipped, --skip-preview: a preview would read every
 * object a second time), and `cuc:maxConcurrent` 4 at CUC's pace.
 */
async function benchPulumiImport(users: number, latencyMs: number, log: (line: string) => void): Promise<Record<string, unknown>> {
    const sim = await startSimulator({ users, latencyMs, ...CUC_THROTTLE, seed: 9 });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pulumi-import-"));
    try {
        const env = { ...process.env, CUC_SERVER: sim.url, CUC_USERNAME: sim.user, CUC_PASSWORD: sim.password, CUC_CA_CERT: sim.ca ?? "" };
        await run(process.execPath, [path.join(ROOT, "dist", "provider", "import", "cli.js"), "--out", out, "--kinds", "users", "--max-concurrent", "4", "--package-spec", "^0.1.0"], { env, maxBuffer: 64 << 20 });
        const resources = (JSON.parse(fs.readFileSync(path.join(out, "import.json"), "utf8")) as { resources: unknown[] }).resources.length;
        const st = await createStack({
            name: "pulumi-import", files: { "index.js": "module.exports = {};\n" }, plugins: { providers: [{ name: "cuc", path: nativePluginDir() }] },
            config: { ...cucConfig(sim), "cuc:maxConcurrent": { value: "4" } },
        });
        fs.copyFileSync(path.join(out, "import.json"), path.join(st.dir, "import.json"));
        const cli = (await pulumiCommand()).command;
        sim.resetStats();
        const t0 = Date.now();
        const res = await run(cli, ["import", "--file", "import.json", "--yes", "--skip-preview", "--generate-code=false", "--non-interactive", "--stack", "dev"], {
            cwd: st.dir, maxBuffer: 256 << 20,
            env: {
                ...process.env, PULUMI_HOME: path.join(st.dir, "home"), PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase", PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true", PULUMI_SKIP_CHECKPOINTS: "true", CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "", CUC_CA_CERT: "",
            },
        });
        const wallS = (Date.now() - t0) / 1000;
        const s = sim.stats();
        const imported = Number(/(\d+) imported/.exec(res.stdout)?.[1] ?? 0);
        log(`pulumi import --file: ${resources} resources, ${imported} imported in ${wallS.toFixed(0)} s, ${s.requests} requests, ${s.logins} login(s)`);
        fs.rmSync(st.dir, { recursive: true, force: true });
        return { users, resources, imported, wallS, requests: s.requests, byMethod: s.byMethod, logins: s.logins, peakInFlight: s.peakInFlight, cucBoundS: (s.requests * latencyMs) / 1000 / 4 };
    } finally {
        await sim.close();
        fs.rmSync(out, { recursive: true, force: true });
    }
}

/** The figures as rows: each step of the workload (and of the faults run), the floors by size, the import. */
export function scaleRows(f: Record<string, unknown>): string[][] {
    const rows: string[][] = [["step", "wall s", "requests", "logins", "CUC bound s", "engine floor s", "x CUC bound", "x max(bound, floor)", "peak in flight", "provider MB"]];
    type S = { step: string; wallS: number; requests: number; logins: number; cucBoundS: number; floorS: number; xCucBound: number | null; xMax: number; peakInFlight: number; providerPeakMb: number };
    for (const part of ["workload", "faults"] as const) {
        const w = f[part] as { steps: S[]; resources: number } | undefined;
        for (const x of w?.steps ?? []) {
            rows.push([`${part === "faults" ? "faults: " : ""}${x.step} (${w!.resources} resources)`, x.wallS.toFixed(1), String(x.requests), String(x.logins), x.cucBoundS.toFixed(1), x.floorS ? x.floorS.toFixed(1) : "-",
                // A run with no floor (faults: no latency, no do-nothing twin) has no ratio to give.
                x.xCucBound === null ? "-" : x.xCucBound.toFixed(2), x.floorS || x.cucBoundS ? x.xMax.toFixed(2) : "-", String(x.peakInFlight), String(x.providerPeakMb)]);
        }
    }
    for (const k of (f.killed as { checkpoints: boolean; resources: number; interrupted?: { requests: number; server?: { found: Record<string, number> } }; steps: (S & { server?: { found: Record<string, number>; planned: Record<string, number>; memberships: number; plannedMembers: number } })[] }[] | undefined) ?? []) {
        const again = k.steps.find((x) => x.step === "up");
        const gone = k.steps.find((x) => x.step === "destroy");
        rows.push([`killed halfway (${k.resources} resources, ${k.checkpoints ? "checkpoints" : "no checkpoints"}): killed after ${k.interrupted?.requests} requests; up again `, again ? again.wallS.toFixed(1) : "-", again ? String(again.requests) : "-", again ? String(again.logins) : "-", "", "", "", "", "",
            `users ${again?.server?.found.User}/${again?.server?.planned.User}, memberships ${again?.server?.memberships}/${again?.server?.plannedMembers}; after destroy ${Object.values(gone?.server?.found ?? {}).reduce((a, b) => a + b, 0)} left`]);
    }
    type Series = { resources: number; checkpoints: boolean; up?: number; "no-change up"?: number; destroy?: number; providerPeakMb?: number }[];
    for (const [label, key] of [["floor", "floors"], ["ours, no latency", "ours"]] as const) {
        for (const x of (f[key] as Series | undefined) ?? []) {
            rows.push([`${label} ${x.resources} resources, ${x.checkpoints ? "checkpoints" : "no checkpoints"}: up / no-change up / destroy`, `${x.up} / ${x["no-change up"]} / ${x.destroy}`, "", "", "", "", "", "", "", x.providerPeakMb ? String(x.providerPeakMb) : ""]);
        }
    }
    const i = f.import as { users: number; wallS: number; requests: number; logins: number; cucBoundS: number; files: number; simRssMb: number } | undefined;
    if (i) rows.push([`cuc-import of ${i.users} users (${i.files} files)`, i.wallS.toFixed(1), String(i.requests), String(i.logins), i.cucBoundS.toFixed(1), "", (i.wallS / i.cucBoundS).toFixed(2), "", "", `simulator ${i.simRssMb}`]);
    const p = f.pulumiImport as { resources: number; imported: number; wallS: number; requests: number; logins: number; cucBoundS: number; peakInFlight: number } | undefined;
    if (p) rows.push([`pulumi import --file of ${p.resources} users (${p.imported} imported)`, p.wallS.toFixed(1), String(p.requests), String(p.logins), p.cucBoundS.toFixed(1), "", p.cucBoundS ? (p.wallS / p.cucBoundS).toFixed(2) : "-", "", String(p.peakInFlight), ""]);
    return rows;
}
