/**
 * `npm start`: the main job on the embedded default. Starts the CUPI simulator, deploys
 * examples/quickstart through the real Pulumi engine (streaming its progress and, once, its
 * Outputs list, secrets as [secret]), and prints where the state lives. State persists in
 * .quickstart/, so a second run shows no changes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startSimulator } from "../simulator";
import { changesOf, createStack, cucConfig, ROOT } from "./automation";

const DIR = process.env.CUC_QUICKSTART_DIR ?? path.join(ROOT, ".quickstart");
// A fixed port: each resource records the server it lives on, and the next run must match it.
const PORT = Number(process.env.CUC_SIM_PORT ?? 18443);
const PROJECT = "cuc-quickstart";

/**
 * The same program against a real Connection server, as its own project: the package it installs
 * is the tarball `npm pack` makes here (examples/quickstart/package.json asks for
 * `file:../../pulumi-cuc-<version>.tgz`), and Connection's self-signed certificate needs its CA.
 * tests/e2e/main-job.e2e.ts runs these lines as printed.
 */
const REAL_SERVER = [
    "npm pack && cd examples/quickstart && npm install && pulumi stack init prod",
    "pulumi config set cuc:server <publisher> && pulumi config set cuc:username <admin> && pulumi config set --secret cuc:password <password>",
    "pulumi config set cuc:caCert <ca.pem>   # Connection's certificate is self-signed: its CA, a PEM file",
    "pulumi config set --secret axlPassword <axl-password> && pulumi config set --secret o365Password <o365-password> && pulumi up",
];

async function main(): Promise<void> {
    fs.mkdirSync(DIR, { recursive: true });
    const sim = await startSimulator({
        port: PORT,
        statePath: path.join(DIR, "simulator-state.json"),
        certPath: path.join(DIR, "simulator-ca.pem"),
    }).catch((e: NodeJS.ErrnoException) => {
        throw new Error(e.code === "EADDRINUSE" ? `port ${PORT} is in use: set CUC_SIM_PORT to a free port` : e.message);
    });
    console.log(`CUPI simulator listening on ${sim.url} (state ${path.relative(ROOT, path.join(DIR, "simulator-state.json"))})`);
    const file = path.join(ROOT, "dist", "examples", "quickstart", "index.js");
    try {
        const t = await createStack({
            name: "quickstart",
            project: PROJECT,
            dir: path.join(DIR, "pulumi"),
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            program: async () => require(file) as Record<string, unknown>,
            config: {
                ...cucConfig(sim),
                // Demo secrets for the simulator, which accepts any AXL or service password.
                [`${PROJECT}:axlPassword`]: { value: "demo-axl-password", secret: true },
                [`${PROJECT}:o365Password`]: { value: "demo-o365-password", secret: true },
            },
        });
        console.log("Deploying examples/quickstart with the Pulumi engine...\n");
        const res = await t.stack.up({ onOutput: (line) => process.stdout.write(line) });
        // The engine's summary above already lists the Outputs (secrets as [secret]): not repeated here.
        const changed = Object.keys(changesOf(res.summary.resourceChanges));
        if (!changed.length) console.log("\nNo changes: the simulator already matches the program.");
        console.log(`\nPulumi state: ${path.join(DIR, "pulumi", "state")} (file backend); simulator data: ${path.join(DIR, "simulator-state.json")}`);
        console.log("Run `npm start` again: nothing changes. `rm -rf .quickstart` starts over.");
        console.log(`Real Connection server: from this directory, with the <...> filled in (the official Pulumi CLI):\n${REAL_SERVER.map((l) => `  ${l}`).join("\n")}`);
    } finally {
        await sim.close();
    }
}

main().catch((e: Error) => {
    console.error(`main job failed: ${e.message}`);
    process.exit(1);
});
