/**
 * `npm run bench`: how fast the client is against the simulator on loopback (HTTPS, verified).
 * Figures, not assertions: listing 3,000 ports in XML and JSON, and 200 creates with 1, 2 and 4
 * requests in flight under a 5 ms server latency (CUC answers in milliseconds to tens of them);
 * then the real engine (scripts/bench-engine.ts). `--client` or `--engine` runs one part;
 * `--pairs` and `--latency-ms` size the engine part.
 */
import { parseArgs } from "node:util";
import { benchEngine, engineRows } from "./bench-engine";
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
    const { values } = parseArgs({ options: { client: { type: "boolean" }, engine: { type: "boolean" }, pairs: { type: "string" }, parallel: { type: "string" }, "latency-ms": { type: "string" } } });
    const both = !values.client && !values.engine;
    if (values.client || both) print(await benchClient());
    if (values.engine || both) {
        const b = await benchEngine({
            pairs: values.pairs ? Number(values.pairs) : undefined,
            parallel: values.parallel ? Number(values.parallel) : undefined,
            latencyMs: values["latency-ms"] ? Number(values["latency-ms"]) : undefined,
            log: (line) => console.error(`bench: ${line}`),
        });
        print(engineRows(b));
        console.log("written to .test-output/bench-engine.json");
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
