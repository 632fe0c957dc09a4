/**
 * Adoption: take over an existing object instead of creating one. GET it, compare the program's
 * managed values with the server's, then fail listing the differences ("verify") or PUT the
 * program's values ("overwrite"). Write-only values cannot be compared unless the definition
 * says how to read them back (`readBack`); create-only ones cannot be changed at all.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { dynamicToken } from "../client/package";
import type { ResourceDef } from "../resources";
import type { Scalar } from "../specs/types";
import { same, sameText, type Props } from "./values";

/** What adoption needs from the engine. */
export interface AdoptContext {
    def: ResourceDef;
    /** Managed inputs present in `values`. */
    managedIn(values: Props): string[];
    outputsFrom(record: CupiRecord, values: Props, managed: string[], client: CupiClient, before?: CupiRecord): Props;
    /** One resource per object per deployment. */
    claim(client: CupiClient, objectId: string): void;
    log(message: string): void;
}

export async function adopt(ctx: AdoptContext, client: CupiClient, inputs: Props): Promise<{ id: string; outs: Props }> {
    const { def } = ctx;
    const { objectId, parentId } = def.parseId(String(inputs.adopt))!; // check made sure it parses
    const mode = inputs.adoptMode === "overwrite" ? "overwrite" : "verify";
    ctx.claim(client, objectId);
    const record = await def.ops.get(client, objectId, parentId);
    if (!record) {
        throw new Error(`adopt: there is no ${def.kind} with id ${String(inputs.adopt)} on ${client.settings.origin}; check the id (cuc-import lists them) or remove adopt to create a new one`);
    }
    const name = def.recordName(record);
    const byName = new Map(def.inputs.map((f) => [f.name, f] as const));
    const differences: string[] = [];
    const uncompared: string[] = [];
    const body: CupiRecord = {};
    for (const key of ctx.managedIn(inputs)) {
        const f = byName.get(key);
        if (!f) continue;
        const readBack = def.readBack?.[key];
        if (def.ignoreChanges?.includes(key)) {
            if (f.access === "wo") uncompared.push(key); // join-time values: never compared nor written
            continue;
        }
        if (f.access === "wo" && !readBack) {
            uncompared.push(key);
            if (!f.createOnly) body[f.cupi] = inputs[key] as Scalar;
            continue;
        }
        const server = readBack ? readBack(record) : record[f.cupi];
        const wanted = inputs[key];
        const equal = readBack ? sameText(wanted, server ?? "") : same(wanted, server);
        if (equal) continue;
        if (f.replace || f.createOnly) {
            throw new Error(`adopt: ${key} of ${name} is ${JSON.stringify(server)} on the server and cannot be changed on an existing object; set ${key} to ${JSON.stringify(server)} in the program`);
        }
        differences.push(`${key}: program ${JSON.stringify(wanted)}, server ${server === undefined ? "(not set)" : JSON.stringify(server)}`);
        body[f.cupi] = wanted as Scalar;
    }
    if (mode === "verify" && differences.length) {
        throw new Error(
            `adopt: ${def.kind} ${name} (${objectId}) differs from the program in ${differences.length} field(s):\n  ` +
                differences.join("\n  ") +
                '\nChange the program to match, or set adoptMode: "overwrite" to write the program\'s values to the server.',
        );
    }
    if (uncompared.length) {
        ctx.log(`${dynamicToken(def.kind)}: adopt: ${uncompared.join(", ")} cannot be read back from CUPI, so the program's values are taken as given`);
    }
    const write: CupiRecord = mode === "overwrite" ? body : {};
    if (Object.keys(write).length) await def.ops.update(client, objectId, write, parentId);
    const after = Object.keys(write).length ? await def.ops.get(client, objectId, parentId) : record;
    if (!after) throw new Error(`adopt: ${objectId} disappeared from ${client.settings.origin} while it was being adopted`);
    ctx.log(`adopted ${def.kind} ${name} (${objectId})${mode === "overwrite" && Object.keys(write).length ? `, writing ${Object.keys(write).join(", ")}` : ""}`);
    const values = { ...inputs, ...(parentId && def.parent ? { [def.parent.input]: parentId } : {}) };
    return { id: def.makeId(objectId, parentId), outs: ctx.outputsFrom(after, values, ctx.managedIn(values), client, record) };
}
