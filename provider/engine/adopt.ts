/**
 * Adoption: take over an existing object instead of creating one. GET it (with its parts and
 * member lists the program manages), compare the program's managed values with the server's,
 * then fail listing the differences ("verify") or write the program's values ("overwrite").
 * Write-only values cannot be compared unless the definition says how to read them back
 * (`readBack`); create-only ones cannot be changed at all.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { dynamicToken } from "../client/package";
import type { ResourceDef } from "../resources";
import { sameText, type Props } from "./values";

/** What adoption needs from the engine. */
export interface AdoptContext {
    def: ResourceDef;
    /** Managed inputs present in `values`. */
    managedIn(values: Props): string[];
    /** Whether a program's value equals the server's (member lists as sets). */
    sameInput(key: string, wanted: unknown, server: unknown): boolean;
    /** The server's values of managed part fields and member lists, by input name. */
    readExtras(client: CupiClient, objectId: string, managed: readonly string[], record: CupiRecord, values: Props): Promise<Props>;
    /** Writes the given inputs to the existing object: its own PUT, its parts, its member lists, its children; what children put back when let go remember of before. */
    write(client: CupiClient, objectId: string, parentId: string | undefined, values: Props, keys: string[]): Promise<Props | undefined>;
    outputsFrom(record: CupiRecord, values: Props, managed: string[], client: CupiClient, before: CupiRecord | undefined, extrasRead: Props): Props;
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
    const lists = new Set([...(def.members ?? []), ...(def.children ?? []), ...(def.rows ?? [])].map((m) => m.name));
    const managed = ctx.managedIn(inputs);
    const extras = await ctx.readExtras(client, objectId, managed, record, inputs);
    const differences: string[] = [];
    const uncompared: string[] = [];
    const write: string[] = [];
    for (const key of managed) {
        const f = byName.get(key);
        if (!f && !lists.has(key)) continue;
        const readBack = def.readBack?.[key];
        if (def.ignoreChanges?.includes(key)) {
            if (f?.access === "wo") uncompared.push(key); // join-time values: never compared nor written
            continue;
        }
        // Write-only, or written only with another input: CUPI cannot show it.
        if (f && ((f.access === "wo" && !readBack) || key in (def.appliesWith ?? {}))) {
            uncompared.push(key);
            if (!f.createOnly) write.push(key);
            continue;
        }
        const server = readBack ? readBack(record) : f && !def.partOf.has(key) ? record[f.cupi] : extras[key];
        const wanted = inputs[key];
        // Stryker disable next-line StringLiteral: a value read back is a mandatory text, and check refuses it empty, so no program value equals the stand-in
        const equal = readBack ? sameText(wanted, server ?? "") : ctx.sameInput(key, wanted, server);
        if (equal) continue;
        if (f && (f.replace || f.createOnly)) {
            throw new Error(`adopt: ${key} of ${name} is ${JSON.stringify(server)} on the server and cannot be changed on an existing object; set ${key} to ${JSON.stringify(server)} in the program`);
        }
        differences.push(`${key}: program ${JSON.stringify(wanted)}, server ${server === undefined ? "(not set)" : JSON.stringify(server)}`);
        write.push(key);
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
    const writing = mode === "overwrite" ? write : [];
    const remembered = writing.length ? await ctx.write(client, objectId, parentId, inputs, writing) : undefined;
    const after = writing.length ? await def.ops.get(client, objectId, parentId) : record;
    if (!after) throw new Error(`adopt: ${objectId} disappeared from ${client.settings.origin} while it was being adopted`);
    ctx.log(`adopted ${def.kind} ${name} (${objectId})${writing.length ? `, writing ${writing.join(", ")}` : ""}`);
    const values = { ...inputs, ...(parentId && def.parent ? { [def.parent.input]: parentId } : {}), ...(remembered ? { __restore: remembered } : {}) };
    // What was written is now the program's value; what was compared equal is the server's.
    const read = Object.fromEntries(Object.entries(extras).filter(([k]) => !writing.includes(k)));
    return { id: def.makeId(objectId, parentId), outs: ctx.outputsFrom(after, values, ctx.managedIn(values), client, record, read) };
}
