/**
 * Auto-naming: the DisplayName of a resource that declares none (definitions with `autoName`).
 * check.ts calls it last, once the inputs are validated.
 */
import { createHash } from "node:crypto";
import { autoNameField, type ResourceDef } from "../resources";
import type { Failure, Props } from "./values";

/** Auto-names of existing objects seen by check in this process (one deployment), lower case. */
const takenNames = new Set<string>();

/**
 * What a host knows for an auto-name. The dynamic host knows nothing: our SDK sends the resource
 * name and the stack as hidden inputs (`__cucName`, `__cucScope`). A native host has them from
 * the engine, with the stack's `pulumi:autonaming` (its proposed name, or auto-naming disabled).
 */
export interface Naming {
    /** The resource's name: the prefix of a generated name. */
    name?: string;
    /** What tells stacks apart (organization/project/stack). */
    scope?: string;
    autonaming?: { mode: "propose" | "enforce" | "disable"; proposedName: string };
}

/** What our SDK sends for auto-names (the only source in the dynamic host). */
export const sdkNaming = (news: Props): Naming => ({
    name: typeof news.__cucName === "string" ? news.__cucName : undefined,
    scope: typeof news.__cucScope === "string" ? news.__cucScope : undefined,
});

/** Candidates tried before giving up: far more than the auto-named objects of one deployment. */
const MAX_CANDIDATES = 10_000;

/**
 * `<prefix>-<7 hex digits>`, the same in preview and up: the suffix is a hash of the stack, kind
 * and resource name (the engine's random seed is drawn afresh for every preview and every up,
 * so it cannot give a name that preview shows and up creates). A replacement (checked again
 * with no olds right after the check that kept the old name) takes the next candidate, so it
 * never collides with the object it replaces.
 */
function generate(kind: string, prefix: string, scope: unknown, maxLength: number): string | undefined {
    // Stryker disable next-line UpdateOperator: candidates taken in any order are distinct and stable; the bound needs 10,000 taken names
    for (let n = 0; n < MAX_CANDIDATES; n++) {
        // Stryker disable next-line StringLiteral: any constant stands for "no scope"; the names stay distinct and stable
        const suffix = createHash("sha256").update(`${String(scope ?? "")}|${kind}|${prefix}|${n}`).digest("hex").slice(0, 7);
        // The suffix always fits: the prefix gives way (64 characters for most names, 50 for a partition's).
        const name = `${prefix.slice(0, Math.max(1, maxLength - 9))}-${suffix}`;
        if (!takenNames.has(name.toLowerCase())) return name;
    }
    return undefined;
}

export interface NamingStep {
    olds: Props;
    news: Props;
    /** The checked inputs: gets displayName and the `__autoNamed` mark. */
    inputs: Props;
    adopting: boolean;
    naming: Naming;
    failures: Failure[];
}

/**
 * Keeps a generated name across updates; a fresh one for a new object (an adopted one keeps its
 * own). `checkName` validates a name the engine proposed like any displayName input.
 */
export function autoName(def: ResourceDef, input: string, step: NamingStep, checkName: (name: string) => unknown): void {
    const { olds, news, inputs, adopting, naming, failures } = step;
    const isNew = !Object.keys(olds).some((k) => k !== "__provider");
    if (!(def.autoName && inputs[input] === undefined && !adopting && (isNew || olds.__autoNamed === true))) {
        delete inputs.__autoNamed;
        return;
    }
    // Stryker disable next-line ConditionalExpression: only a new resource (no olds, so no old name) or an auto-named one gets here
    if (olds.__autoNamed === true && typeof olds[input] === "string" && olds.__cucName === news.__cucName) {
        inputs[input] = olds[input];
        takenNames.add(String(olds[input]).toLowerCase());
    } else if (naming.autonaming?.mode === "disable") {
        delete inputs.__autoNamed;
        failures.push({ property: input, reason: `${input} is required: auto-naming is disabled for this stack (pulumi:autonaming), so ${def.kind} cannot make one up` });
        return;
    } else if (naming.autonaming) {
        // The stack's pulumi:autonaming pattern, as the engine resolved it for this resource.
        inputs[input] = checkName(naming.autonaming.proposedName);
    } else {
        const prefix = naming.name || def.kind.toLowerCase();
        const name = generate(def.kind, prefix, naming.scope, def.spec.byCupi.get(autoNameField(def.spec))?.maxLength ?? 64);
        if (name === undefined) {
            delete inputs.__autoNamed;
            failures.push({ property: input, reason: `no free auto-name for ${def.kind} '${prefix}' after ${MAX_CANDIDATES} candidates: set ${input}` });
            return;
        }
        inputs[input] = name;
    }
    inputs.__autoNamed = true;
}
