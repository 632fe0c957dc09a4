/**
 * `npm run bench`: how fast the client is against the simulator on loopback (HTTPS, verified).
 * Figures, not assertions: listing 3,000 ports in XML and JSON, and 200 creates with 1, 2 and 4
 * requests in flight under a 5 ms server latency (CUC answers in milliseconds to tens of them);
 * then the real engine (scripts/bench-engine.ts). `--client` or `--engine` runs one part;
 * `--pairs` and `--latency-ms` size the engine part.
 */
import { parseArgs } from "node:util";
import * as path from "node:path";
import { benchEngine, directoryWorkload, engineRows, requestsPerObject, telephonyWorkload } from "./bench-engine";
import { ROOT } from "./automation";
import { benchScale, scaleRows } from "./bench-scale";
import { CupiClient, resolveSettings } from "../provider/client";
import { PhoneSystem, Port } from "../provider/specs";
import { generateDataset, startSimulator } from "../simulator";

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function print(rows: string[][]): void {
    const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(width[i])).join("  "));
    console.log();
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            client: { type: "boolean" }, engine: { type: "boolean" }, directory: { type: "boolean" }, scale: { type: "boolean" }, parts: { type: "string" },
            pairs: { type: "string" }, users: { type: "string" }, parallel: { type: "string" }, "latency-ms": { type: "string" },
        },
    });
    const log = (line: string) => console.error(`bench: ${line}`);
    if (values.scale) {
        // Issue 27's whole site: not part of a plain `npm run bench` (it takes an hour or more on 2 cores).
        const figures = await benchScale({
            users: values.users ? Number(values.users) : undefined,
            latencyMs: values["latency-ms"] ? Number(values["latency-ms"]) : undefined,
            parts: values.parts?.split(","),
            log,
        });
        print(scaleRows(figures));
        console.log("written to .test-output/bench-scale.json");
        return;
    }
    const all = !values.client && !values.engine && !values.directory;
    const parallel = values.parallel ? Number(values.parallel) : undefined;
    if (values.client || all) print(await benchClient());
    if (values.engine || all) {
        const b = await benchEngine({
            workload: telephonyWorkload(values.pairs ? Number(values.pairs) : 100),
            parallel,
            latencyMs: values["latency-ms"] ? Number(values["latency-ms"]) : undefined,
            log,
        });
        print(engineRows(b));
        console.log("written to .test-output/bench-engine.json");
    }
    if (values.directory || all) {
        // Issue 26's case: users from a template with initial PINs, at CUC's usual latencies.
        const users = values.users ? Number(values.users) : 200;
        for (const latencyMs of values["latency-ms"] ? [Number(values["latency-ms"])] : [50, 150]) {
            const out = `.test-output/bench-directory-${latencyMs}ms.json`;
            const b = await benchEngine({ workload: directoryWorkload({ users }), parallel, latencyMs, log, out: path.join(ROOT, out) });
            print(engineRows(b));
            const perUser = requestsPerObject(b, "up", "User", "/vmrest/users");
            console.log(`requests per user create: ${Object.entries(perUser).map(([route, n]) => `${route} ${n}`).join(", ")}`);
            console.log(`written to ${out}\n`);
        }
    }
}

async function benchClient(): Promise<string[][]> {
    const rows: string[][] = [["case", "wall ms", "requests", "logins", "TCP connections"]];
    const sim = await startSimulator({ data: generateDataset({ portGroupsPerSystem: 2, portsPerGroup: 1500 }), seed: 1 });
    try {
        for (const format of ["xml", "json"] as const) {
            for (const pageSize of [500, 2000]) {
                const c = new CupiClient(resolveSettings({ server: sim.url, username: sim.user, password: sim.password, caCert: sim.ca, format, pageSize }, {}));
                sim.resetStats();
                const t0 = process.hrtime.bigint();
                const ports = await c.list(Port);
                const wall = ms(t0);
                if (ports.length !== 3000) throw new Error(`listed ${ports.length} ports`);
                const s = sim.stats();
                rows.push([`list 3,000 ports, ${format}, ${pageSize} a page`, wall.toFixed(0), String(s.requests), String(s.logins), String(s.connections)]);
                c.close();
            }
        }
        sim.faults.latencyMs = 5;
        for (const maxConcurrent of [1, 2, 4]) {
            const c = new CupiClient(resolveSettings({ server: sim.url, username: sim.user, password: sim.password, caCert: sim.ca, maxConcurrent }, {}));
            sim.resetStats();
            const t0 = process.hrtime.bigint();
            const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => c.create(PhoneSystem, { DisplayName: `Bench-${maxConcurrent}-${i}` })));
            const wall = ms(t0);
            const s = sim.stats();
            rows.push([`200 creates, ${maxConcurrent} in flight, 5 ms latency`, wall.toFixed(0), String(s.requests), String(s.logins), String(s.connections)]);
            await Promise.all(ids.map((id) => c.delete(PhoneSystem, id)));
            c.close();
        }
    } finally {
        await sim.close();
    }
    return rows;
}

main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
});
