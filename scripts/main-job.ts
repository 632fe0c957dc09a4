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
        console.log("Real Connection server: cd examples/quickstart && npm install && pulumi stack init dev && pulumi config set cuc:server <publisher> && pulumi config set cuc:username <admin> && pulumi config set --secret cuc:password <password> && pulumi config set --secret axlPassword <...> && pulumi config set --secret o365Password <...> && pulumi up");
    } finally {
        await sim.close();
    }
}

main().catch((e: Error) => {
    console.error(`main job failed: ${e.message}`);
    process.exit(1);
});
