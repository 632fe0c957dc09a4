/**
 * Nested inputs, as definitions declare them: fixed children addressed by key (a handler's transfer
 * rules, greetings and caller-input keys: `ChildSet`) and lists of rows of a sub-collection (a
 * schedule's time blocks: `RowList`), both in the program's words (ChildShape: fields and codecs).
 * What is compared, written and read of them, for the engine (provider.ts) and adoption.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { isCupiError } from "../client/cupi-error";
import { decodeChild, shapeNames, type ChildSet, type ChildShape, type RowList } from "../resources";
import type { Scalar } from "../specs/types";
import { isUnknown, same, type Props } from "./values";

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);

/** A child in CUPI's names: the given inputs of the shape (and what their fields need sent along). */
export function encodeChild(shape: ChildShape, child: Props, names?: readonly string[]): CupiRecord {
    const wanted = new Set(names ?? Object.keys(child));
    const out: CupiRecord = {};
    for (const f of shape.fields) {
        const v = child[f.name];
        if (!wanted.has(f.name) || v === undefined || isUnknown(v)) continue;
        out[f.cupi] = v as Scalar;
        Object.assign(out, f.sentWith?.(v as Scalar));
    }
    // A codec encodes from the whole child (enabled and its end time go into one TimeExpires).
    for (const c of shape.codecs ?? []) if (wanted.has(c.name) && child[c.name] !== undefined && !isUnknown(child[c.name])) Object.assign(out, c.encode(child[c.name], child));
    return out;
}

/** The managed fields of each managed child: what the program sets. */
const managedOf = (value: unknown): Record<string, string[]> =>
    isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, c]) => isObject(c)).map(([k, c]) => [k, Object.keys(c as Props).filter((n) => (c as Props)[n] !== undefined)])) : {};

/**
 * Whether a nested input changed: a field of a child the program sets differs from the old one;
 * for children that are put back when let go (restore), also a child or field the program no longer sets.
 */
export function childrenChanged(set: ChildSet, news: unknown, olds: unknown): boolean {
    const n = isObject(news) ? news : {}, o = isObject(olds) ? olds : {};
    for (const [key, names] of Object.entries(managedOf(n))) {
        const child = n[key] as Props, old = isObject(o[key]) ? (o[key] as Props) : {};
        if (names.some((k) => isUnknown(child[k]) || !same(child[k], old[k]))) return true;
    }
    if (!set.restore) return false;
    const kept = managedOf(n);
    return Object.entries(managedOf(o)).some(([key, names]) => names.some((k) => !kept[key]?.includes(k)));
}

/** The ObjectId of the object the children live under: the resource's own, or the one its record names. */
export const ownerOf = (set: ChildSet, objectId: string, record: CupiRecord | Props | undefined, exposedName?: string): string | undefined =>
    set.under ? (record?.[set.under] ?? (exposedName ? record?.[exposedName] : undefined)) as string | undefined : objectId;

/** What a restore set remembers of each child it changed: the CUPI values before, by key. */
export type Before = Record<string, CupiRecord>;

/**
 * Writes the children of one set that changed (all the program sets when there were none before):
 * one PUT per child, of its changed fields. For a restore set: what a child had before its first
 * change is read first and remembered, and what the program no longer sets is put back.
 * Returns what is remembered now.
 */
export async function writeChildren(c: CupiClient, set: ChildSet, owner: string, news: unknown, olds: unknown, remembered: Before = {}): Promise<Before> {
    const { spec } = set.shape;
    const n = isObject(news) ? news : {}, o = isObject(olds) ? olds : {};
    const before: Before = { ...remembered };
    for (const [key, names] of Object.entries(managedOf(n))) {
        const child = n[key] as Props, old = isObject(o[key]) ? (o[key] as Props) : {};
        const changed = names.filter((k) => !same(child[k], old[k]));
        if (!changed.length) continue;
        const record = encodeChild(set.shape, child, changed);
        if (set.restore) {
            // The first change of a field: what it was, read once, kept to put back.
            const fresh = Object.keys(record).filter((f) => !(before[key] && f in before[key]));
            if (fresh.length) {
                const current = await c.find(spec, set.keys[key], owner);
                before[key] = { ...before[key], ...Object.fromEntries(fresh.map((f) => [f, current?.[f] ?? ""])) };
            }
        }
        await c.update(spec, set.keys[key], record, owner);
    }
    // Stryker disable next-line ConditionalExpression: a set that is not put back remembers nothing (below: no before, nothing to do)
    if (set.restore) {
        // What the program let go of goes back to what it was.
        const kept = managedOf(n);
        for (const [key, names] of Object.entries(managedOf(o))) {
            const gone = names.filter((k) => !kept[key]?.includes(k));
            if (!gone.length || !before[key]) continue;
            const cupi = new Set(Object.keys(encodeChild(set.shape, { ...(o[key] as Props) }, gone)));
            const restore = Object.fromEntries(Object.entries(before[key]).filter(([f]) => cupi.has(f)));
            if (Object.keys(restore).length) await putBack(c, set, key, owner, restore);
            for (const f of Object.keys(restore)) delete before[key][f];
            if (!Object.keys(before[key]).length) delete before[key];
        }
    }
    return before;
}

/** Puts a child's remembered values back; its object may be gone already (nothing left to restore). */
async function putBack(c: CupiClient, set: ChildSet, key: string, owner: string, values: CupiRecord): Promise<void> {
    try {
        await c.update(set.shape.spec, set.keys[key], values, owner);
    } catch (e) {
        if (!isCupiError(e, "not-found") && !isCupiError(e, "validation")) throw e;
    }
}

/** Puts back every remembered child of a restore set (the object is forgotten, not deleted). */
export async function restoreAll(c: CupiClient, set: ChildSet, owner: string, remembered: Before): Promise<void> {
    for (const [key, values] of Object.entries(remembered)) if (Object.keys(values).length) await putBack(c, set, key, owner, values);
}

/** The managed children of one set as the server holds them: one GET per managed child. */
export async function readChildren(c: CupiClient, set: ChildSet, owner: string, managed: unknown): Promise<Props> {
    const out: Props = {};
    for (const [key, names] of Object.entries(managedOf(managed))) {
        const record = await c.find(set.shape.spec, set.keys[key], owner);
        if (record) out[key] = decodeChild(set.shape, record, names);
    }
    return out;
}

// ------------------------------------------------------------------ rows

/** A row in the program's words: every name of the shape the server says something about. */
const rowOf = (shape: ChildShape, r: CupiRecord) => decodeChild(shape, r, shapeNames(shape));

/** Whether a row the server holds is the one the program gives: every value the program sets is there. */
// Stryker disable next-line ConditionalExpression: check leaves out what is undefined or null; the guard says so without relying on it
const matches = (want: Props, have: Props) => Object.entries(want).every(([k, v]) => v === undefined || same(v, have[k]));

/** The rows as the server holds them, in the program's words. */
export async function readRows(c: CupiClient, list: RowList, objectId: string): Promise<Props[]> {
    return (await c.list(list.shape.spec, { parentId: objectId })).map((r) => rowOf(list.shape, r));
}

/** Whether the server's rows are the program's: each program row matched by one of them, none left over. */
export function sameRows(list: RowList, wanted: unknown, have: unknown): boolean {
    const want = Array.isArray(wanted) ? (wanted as Props[]) : [], rows = Array.isArray(have) ? [...(have as Props[])] : [];
    if (want.length !== rows.length) return false;
    for (const w of want) {
        const i = rows.findIndex((r) => matches(w, r));
        if (i < 0) return false;
        rows.splice(i, 1);
    }
    return true;
}

/**
 * Makes the rows what the program says: a row matched by its key (when the list has one) but
 * different is one PUT; a row the program no longer gives, a DELETE; a new one, a POST. Without
 * a key a row is matched by content: a changed one goes and comes back.
 */
export async function syncRows(c: CupiClient, list: RowList, objectId: string, wanted: readonly Props[], fresh: boolean): Promise<void> {
    const { shape } = list;
    const current = fresh ? [] : (await c.list(shape.spec, { parentId: objectId })).map((r) => ({ id: String(r.ObjectId), row: rowOf(shape, r) }));
    const todo: Props[] = [];
    for (const w of wanted) {
        const exact = current.findIndex((x) => matches(w, x.row));
        if (exact >= 0) {
            current.splice(exact, 1);
            continue;
        }
        const keyed = list.key && w[list.key] !== undefined ? current.findIndex((x) => same(x.row[list.key!], w[list.key!])) : -1;
        if (keyed >= 0 && shape.spec.operations.includes("update")) {
            const [{ id }] = current.splice(keyed, 1);
            await c.update(shape.spec, id, encodeChild(shape, w), objectId);
            continue;
        }
        todo.push(w);
    }
    for (const x of current) {
        try {
            await c.delete(shape.spec, x.id, objectId);
        } catch (e) {
            if (!isCupiError(e, "not-found")) throw e;
        }
    }
    // A POST that may have been carried out is looked up (a row with the program's values) before it is sent again.
    for (const w of todo) {
        await c.createVerified(() => c.create(shape.spec, encodeChild(shape, w), objectId), async () => {
            const found = (await c.list(shape.spec, { parentId: objectId })).find((r) => matches(w, rowOf(shape, r)));
            return found ? String(found.ObjectId) : undefined;
        });
    }
}
