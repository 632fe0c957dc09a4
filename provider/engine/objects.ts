/**
 * An object with what hangs off it, as a definition declares it: the parts (singletons such as a
 * user's `credential/pin`, or one of a fixed set addressed by key) whose fields are inputs, and the
 * member lists kept as membership rows. The engine (provider.ts) and adoption (adopt.ts) read and
 * write them here; nothing names a kind.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { isCupiError } from "../client/cupi-error";
import type { MemberList, Part, ResourceDef } from "../resources";
import { SPECS } from "../specs";
import { phraseOf, type Field, type ObjectSpec, type Scalar } from "../specs/types";
import { isUnknown, type Props } from "./values";

/** A member list's value: ObjectIds, in lower case (CUPI's GUIDs are case-insensitive). */
export const memberIds = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x).toLowerCase()) : []);

/** Equality of two member lists: as sets, or in order for an ordered list. */
export function sameMembers(m: MemberList, a: unknown, b: unknown): boolean {
    const x = memberIds(a), y = memberIds(b);
    if (x.length !== y.length) return false;
    if (m.order) return x.every((id, i) => id === y[i]);
    const ys = new Set(y);
    return x.every((id) => ys.has(id));
}

/** A CUPI record of the given inputs' fields, with what each value needs sent along (`sentWith`). */
export function recordOf(fields: readonly Field[], values: Props): CupiRecord {
    const out: CupiRecord = {};
    for (const f of fields) {
        const v = values[f.name];
        if (v === undefined || isUnknown(v)) continue;
        out[f.cupi] = v as Scalar;
        Object.assign(out, f.sentWith?.(v as Scalar));
    }
    return out;
}

export interface Objects {
    /** The object's own fields among `keys` (for its POST or PUT), and each part's (for their PUTs). */
    split(values: Props, keys: Iterable<string>): { main: CupiRecord; parts: { part: Part; record: CupiRecord; names: string[] }[] };
    /** PUTs each part's fields; `done` hears the inputs each PUT applied. */
    writeParts(c: CupiClient, objectId: string, parts: ReturnType<Objects["split"]>["parts"], done: (names: string[]) => void): Promise<void>;
    /**
     * The server's values of the managed part fields CUPI returns and of the managed member lists,
     * by input name (write-only fields and inputs written with another are the program's business).
     */
    readExtras(c: CupiClient, objectId: string, managed: readonly string[], skip?: ReadonlySet<string>): Promise<Props>;
    /**
     * Makes a member list what the program says: adds what is missing and removes what is not
     * wanted (an ordered list keeps its common prefix and re-adds the rest in order). `fresh`: the
     * object was just created, so it has no rows to read first. `done` hears each member applied.
     */
    syncMembers(c: CupiClient, objectId: string, m: MemberList, wanted: readonly string[], fresh: boolean): Promise<void>;
    /**
     * A 400 to a write that set a value unique across kinds (an extension) explained by naming the
     * object that holds it, or undefined when none does (the 400 was about something else).
     */
    explainClash(c: CupiClient, body: CupiRecord, selfId?: string): Promise<string | undefined>;
}

export function makeObjects(def: ResourceDef): Objects {
    const parts = def.parts ?? [];
    const partFields = (p: Part) => p.inputs;
    const withs = def.appliesWith ?? {};
    const mainFields = def.inputs.filter((f) => !def.partOf.has(f.name));

    const rows = (c: CupiClient, objectId: string, m: MemberList) => c.list(m.spec, { parentId: objectId });
    /** The rows that belong to a list: those that name a member in its field (DL rows name one of three kinds), with its fixed values (a set's holidays: Exclude). */
    const ofList = (m: MemberList, all: CupiRecord[]) => all.filter((r) => r[m.field] !== undefined && r[m.field] !== "" && Object.entries(m.fixed ?? {}).every(([k, v]) => r[k] === v));

    return {
        split(values, keys) {
            const wanted = new Set(keys);
            const main = recordOf(mainFields.filter((f) => wanted.has(f.name)), values);
            const out = parts.map((part) => {
                const fields = partFields(part).filter((f) => wanted.has(f.name) && values[f.name] !== undefined && !isUnknown(values[f.name]));
                return { part, record: recordOf(fields, values), names: fields.map((f) => f.name) };
            }).filter((p) => p.names.length);
            return { main, parts: out };
        },

        async writeParts(c, objectId, list, done) {
            for (const { part, record, names } of list) {
                // Stryker disable next-line StringLiteral: a part without a key is a singleton, whose path takes no id
                await c.update(part.spec, part.key ?? "", record, objectId);
                done(names);
            }
        },

        async readExtras(c, objectId, managed, skip = new Set()) {
            const out: Props = {};
            const wanted = new Set(managed.filter((n) => !skip.has(n) && !(n in withs)));
            for (const part of parts) {
                const readable = partFields(part).filter((f) => wanted.has(f.name) && f.access !== "wo");
                if (!readable.length) continue;
                // Stryker disable next-line StringLiteral: as in writeParts, a singleton's path takes no id
                const record = await c.find(part.spec, part.key ?? "", objectId);
                for (const f of readable) if (record?.[f.cupi] !== undefined) out[f.name] = record[f.cupi];
            }
            // Lists that share a sub-collection (a DL's users, contacts, lists) share one listing.
            const listed = new Map<ObjectSpec, CupiRecord[]>();
            for (const m of def.members ?? []) {
                if (!wanted.has(m.name)) continue;
                if (!listed.has(m.spec)) listed.set(m.spec, await rows(c, objectId, m));
                const mine = ofList(m, listed.get(m.spec)!);
                // Stryker disable next-line ConditionalExpression: a set's rows have no position, and a comparator of NaN keeps them as listed
                if (m.order) mine.sort((a, b) => Number(a[m.order!]) - Number(b[m.order!]));
                out[m.name] = mine.map((r) => String(r[m.field]).toLowerCase());
            }
            return out;
        },

        async syncMembers(c, objectId, m, wanted, fresh) {
            const want = memberIds(wanted);
            const have = fresh ? [] : ofList(m, await rows(c, objectId, m));
            // A POST that may have been carried out (dropped, 5xx) is looked up before it is sent again: never two rows for one member.
            const post = (member: string, position?: number) => c.createVerified(
                () => c.create(m.spec, { ...m.fixed, [m.field]: member, ...(m.order && position !== undefined ? { [m.order]: position } : {}) }, objectId),
                async () => {
                    const row = ofList(m, await rows(c, objectId, m)).find((r) => String(r[m.field]).toLowerCase() === member);
                    return row ? String(row.ObjectId) : undefined;
                },
            );
            const remove = (row: CupiRecord) => c.delete(m.spec, String(row.ObjectId), objectId).catch((e: unknown) => {
                if (!isCupiError(e, "not-found")) throw e; // gone already: what was wanted
            });
            if (!m.order) {
                const haveIds = new Set(have.map((r) => String(r[m.field]).toLowerCase()));
                const wantIds = new Set(want);
                // The client's limiter bounds what is in flight; every add and remove is independent.
                await Promise.all([
                    ...have.filter((r) => !wantIds.has(String(r[m.field]).toLowerCase())).map(remove),
                    ...want.filter((id) => !haveIds.has(id)).map((id) => post(id)),
                ]);
                return;
            }
            // An ordered list: positions are unique, so what follows the common prefix goes and comes back in order.
            const sorted = [...have].sort((a, b) => Number(a[m.order!]) - Number(b[m.order!]));
            let prefix = 0;
            // Past the end of want, want[prefix] is undefined, which no id equals.
            while (prefix < sorted.length && String(sorted[prefix][m.field]).toLowerCase() === want[prefix]) prefix++;
            await Promise.all(sorted.slice(prefix).map(remove));
            let next = prefix ? Number(sorted[prefix - 1][m.order]) + 1 : 1;
            for (const id of want.slice(prefix)) await post(id, next++);
        },

        async explainClash(c, body, selfId) {
            for (const [cupi, value] of Object.entries(body)) {
                const f = def.spec.byCupi.get(cupi);
                // Stryker disable next-line ConditionalExpression,StringLiteral: the client refuses an empty query value before any request (query.ts), which also finds nothing
                if (!f?.unique || value === "") continue;
                const { namespace, scope } = f.unique;
                const holders: string[] = [];
                // Every top-level kind with a searchable field in the same namespace (sub-collections cannot be searched across parents).
                for (const spec of Object.values(SPECS)) {
                    const g = spec.fields.find((x) => x.unique?.namespace === namespace && x.queryable);
                    if (!g || spec.parent || !spec.operations.includes("list")) continue;
                    const found = await c.list(spec, { query: { column: g.cupi, value } }).catch(() => []);
                    for (const r of found) {
                        if (String(r[g.cupi]) !== String(value) || String(r.ObjectId) === selfId) continue;
                        if (scope && body[scope] !== undefined && r[scope] !== undefined && String(r[scope]).toLowerCase() !== String(body[scope]).toLowerCase()) continue;
                        const name = r[spec.key ?? "DisplayName"] ?? r.DisplayName ?? r.ObjectId;
                        holders.push(`${phraseOf(spec)} ${String(name)} (${String(r.ObjectId)})`);
                    }
                }
                if (holders.length) {
                    return `${f.name} ${String(value)} is already taken by ${holders.join(", ")}${scope ? ` in the same partition` : ""}: ` +
                        `extensions are unique within a partition across users, alternate extensions, contacts, lists and handlers; choose another, or put this one in another partition`;
                }
            }
            return undefined;
        },
    };
}
