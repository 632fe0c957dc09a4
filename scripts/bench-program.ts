/**
 * The benchmark's Pulumi program, run as users run theirs: from a project directory by the CLI's
 * Node language host, not inline in the benchmark's process. (Inline, 5,000 resources serialized
 * their dynamic provider through the inspector of the process that also runs the simulator: it
 * slowed the simulator's answers, and once crashed V8.) The project's index.js calls `program`
 * with what to declare; the workload is `workload.json` beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Workload, WorkloadNode } from "./bench-engine";

type Made = pulumi.CustomResource & { objectId?: pulumi.Output<string> };

/** Declares a workload's resources, with `make(node, args, dependsOn)` for each, references as Outputs. */
function declare(w: Workload, make: (node: WorkloadNode, args: Record<string, unknown>, dependsOn: pulumi.Resource[]) => Made): void {
    const made = new Map<string, Made>();
    const idOf = (name: string) => {
        const r = made.get(name);
        if (!r) throw new Error(`workload: ${name} is referred to before it is declared`);
        return r.objectId ?? r.id;
    };
    for (const node of w.nodes) {
        const args = { ...node.args };
        for (const [input, ref] of Object.entries(node.refs ?? {})) args[input] = typeof ref === "string" ? idOf(ref) : ref.map(idOf);
        made.set(node.name, make(node, args, (node.after ?? []).map((n) => made.get(n)!)));
    }
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
    constructor(name: string, props: Record<string, pulumi.Input<string>>, dependsOn: pulumi.Resource[] = []) {
        super(nothing, name, { name, ...props }, { dependsOn }, "bench", "Nothing");
    }
}

/** `floor`: the graph with the do-nothing provider, each resource taking the ids of those it refers to; `cuc`: pulumi-cuc's classes. */
export function program(mode: "floor" | "cuc", dir = process.cwd()): void {
    const w = JSON.parse(fs.readFileSync(path.join(dir, "workload.json"), "utf8")) as Workload;
    if (mode === "floor") {
        declare(w, (node, args, dependsOn) => {
            const refs = Object.fromEntries(Object.keys(node.refs ?? {}).map((k) => [k, pulumi.output(args[k] as pulumi.Input<string | string[]>).apply((v) => JSON.stringify(v))]));
            return new Nothing(node.name, refs, dependsOn);
        });
        return;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cuc = require("pulumi-cuc") as Record<string, new (name: string, args: object, opts?: pulumi.CustomResourceOptions) => Made>;
    declare(w, (node, args, dependsOn) => new cuc[node.kind](node.name, args, { dependsOn }));
}

/** The files of a project directory that runs `program(mode)` on `w`. */
export function programFiles(w: Workload, mode: "floor" | "cuc"): Record<string, string> {
    return {
        "index.js": `require(${JSON.stringify(__filename)}).program(${JSON.stringify(mode)});\n`,
        "workload.json": JSON.stringify(w),
        "package.json": JSON.stringify({ name: `bench-${mode}`, main: "index.js", private: true }, null, 2) + "\n",
    };
}
