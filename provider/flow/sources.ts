/**
 * Where a call flow is read from: a live server (GETs only, through the one client and its one
 * login), or a stack's state (`pulumi stack export`, no server needed). Both answer in CUPI's
 * field names. From the state, what the stack does not manage of a handler's children is taken to
 * be what a fresh system template gives (FRESH_CHILDREN and the tables' defaults), and an object
 * outside the stack is known by its id only.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { RESOURCES, type ChildSet } from "../resources";
import { encodeChild } from "../engine/nested";
import { CallHandler, DistributionList, FRESH_CHILDREN, Greeting, MenuEntry, Schedule, ScheduleSet, ScheduleSetMember, TransferOption, User } from "../specs";
import type { ObjectSpec } from "../specs/types";
import type { FlowSource, HandlerData } from "./graph";

type Children = Omit<HandlerData, "record">;
const lower = (v: unknown) => String(v ?? "").toLowerCase();
/** Non-primary, not built in, with an extension: a number callers dial. */
const isEntry = (r: CupiRecord) => r.IsPrimary !== true && r.Undeletable !== true && Boolean(r.DtmfAccessId);
const byKey = (spec: ObjectSpec, rows: CupiRecord[]) => Object.fromEntries(rows.map((r) => [String(r[spec.addressedBy!]), r]));

/** Remembers each answer: a handler two keys go to is read once. */
function cached<T>(f: (id: string) => Promise<T>): (id: string) => Promise<T> {
    const seen = new Map<string, Promise<T>>();
    return (id) => {
        const k = id.toLowerCase();
        if (!seen.has(k)) seen.set(k, f(id));
        return seen.get(k)!;
    };
}

/** A live server: a handler drawn out costs four GETs (itself, its greetings, rules and keys). */
export function serverSource(c: CupiClient): FlowSource {
    const handler = cached((id) => c.find(CallHandler, id));
    const name = (spec: ObjectSpec) => cached(async (id) => {
        const r = await c.find(spec, id);
        return r ? String(r.DisplayName ?? r.Alias ?? id) : undefined;
    });
    const names = { User: name(User), DistributionList: name(DistributionList), Schedule: name(Schedule) };
    return {
        origin: c.settings.origin,
        async findEntry(entry) {
            const column = /^\d+$/.test(entry) ? "DtmfAccessId" : "DisplayName";
            const rows = await c.list(CallHandler, { query: { column, value: entry } });
            const exact = rows.filter((r) => lower(r[column]) === entry.toLowerCase());
            return exact.find((r) => r.IsPrimary !== true) ?? exact[0];
        },
        defaultEntries: async () => (await c.list(CallHandler)).filter(isEntry),
        handler,
        children: cached(async (id) => ({
            greetings: byKey(Greeting, await c.list(Greeting, { parentId: id })),
            transferOptions: byKey(TransferOption, await c.list(TransferOption, { parentId: id })),
            menuEntries: byKey(MenuEntry, await c.list(MenuEntry, { parentId: id })),
        })),
        scheduleSet: cached(async (id) => {
            const set = await c.find(ScheduleSet, id);
            if (!set) return undefined;
            const members = await c.list(ScheduleSetMember, { parentId: id });
            const of = async (exclude: boolean) => Promise.all(members.filter((m) => (m.Exclude === true) === exclude).map(async (m) => (await names.Schedule(String(m.ScheduleObjectId))) ?? String(m.ScheduleObjectId)));
            return { name: String(set.DisplayName), schedules: await of(false), holidays: await of(true) };
        }),
        recipient: (kind, id) => names[kind](id),
    };
}

/** A resource of `pulumi stack export`. */
interface StateResource { urn: string; type: string; outputs?: Record<string, unknown> }

/** The resource kind of a URN's type, in either mode: `cuc:index:CallHandler`, `pulumi-nodejs:dynamic/cuc:CallHandler`. */
export function kindOf(urn: string): string | undefined {
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    return /(?:^|\/)cuc:(?:index:)?(\w+)$/.exec(type)?.[1];
}

/** A plain value of the state (a secret is an object with a ciphertext: never needed here). */
const plain = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) && "ciphertext" in v ? undefined : v);

/** A record in CUPI's names from a resource's outputs, through its definition's fields. */
function recordOf(kind: string, outs: Record<string, unknown>): CupiRecord {
    const def = RESOURCES[kind];
    const out: CupiRecord = { ObjectId: String(outs.objectId ?? "") };
    for (const f of def.spec.fields) {
        const v = plain(outs[f.name]);
        if (v !== undefined && v !== null && typeof v !== "object") out[f.cupi] = v as string | number | boolean;
    }
    return out;
}

/** A fixed set's children: a fresh template's, with what the stack manages over them. */
function childrenOf(sets: readonly ChildSet[], outs: Record<string, unknown>): Children {
    const one = (set: ChildSet) => {
        const spec = set.shape.spec;
        const defaults = Object.fromEntries(spec.fields.filter((f) => f.default !== undefined).map((f) => [f.cupi, f.default]));
        const managed = (plain(outs[set.name]) ?? {}) as Record<string, Record<string, unknown>>;
        return Object.fromEntries(Object.entries(set.keys).map(([key, cupi]) => [cupi, {
            [spec.addressedBy!]: cupi, ...defaults, ...FRESH_CHILDREN[spec.kind]?.[cupi],
            ...(managed[key] ? encodeChild(set.shape, managed[key]) : {}),
        } as CupiRecord]));
    };
    const of = (name: string) => one(sets.find((s) => s.name === name)!);
    return { transferOptions: of("transferRules"), greetings: of("greetings"), menuEntries: of("menuEntries") };
}

/** A stack's state, as `pulumi stack export` writes it (either mode; no secret needed). */
export function stateSource(exported: unknown, stack = "the stack's state"): FlowSource {
    const resources = ((exported as { deployment?: { resources?: StateResource[] } })?.deployment?.resources ?? []);
    if (!Array.isArray(resources)) throw new Error("this is not what `pulumi stack export` writes: no deployment.resources");
    const handlers = new Map<string, { record: CupiRecord; children: Children }>();
    const named = new Map<string, string>();
    const sets = new Map<string, { name: string; schedules: string[]; holidays: string[] }>();
    const setMembers = new Map<string, { schedules: string[]; holidays: string[] }>();
    for (const r of resources) {
        const kind = kindOf(r.urn), outs = r.outputs;
        if (!kind || !outs || typeof outs.objectId !== "string") continue;
        const id = outs.objectId.toLowerCase();
        const display = String(plain(outs.displayName) ?? plain(outs.alias) ?? outs.objectId);
        if (kind === "CallHandler") handlers.set(id, { record: recordOf(kind, outs), children: childrenOf(RESOURCES.CallHandler.children!, outs) });
        else if (kind === "User") {
            named.set(id, display);
            // The user's primary handler: named as the user; its children as the stack sets them.
            if (typeof outs.callHandlerId === "string") {
                handlers.set(outs.callHandlerId.toLowerCase(), {
                    record: { ObjectId: outs.callHandlerId, DisplayName: display, IsPrimary: true, ...(typeof outs.dtmfAccessId === "string" ? { DtmfAccessId: outs.dtmfAccessId } : {}) },
                    children: childrenOf(RESOURCES.User.children!, outs),
                });
            }
        } else if (kind === "DistributionList" || kind === "Schedule") named.set(id, display);
        else if (kind === "ScheduleSet") {
            const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
            setMembers.set(id, { schedules: ids(outs.schedules), holidays: ids(outs.holidays) });
            named.set(id, display);
        }
    }
    for (const [id, m] of setMembers) {
        const nameOf = (x: string) => named.get(x.toLowerCase()) ?? x;
        sets.set(id, { name: named.get(id)!, schedules: m.schedules.map(nameOf), holidays: m.holidays.map(nameOf) });
    }
    const all = [...handlers.values()].map((h) => h.record);
    return {
        origin: stack,
        async findEntry(entry) {
            const column = /^\d+$/.test(entry) ? "DtmfAccessId" : "DisplayName";
            const exact = all.filter((r) => lower(r[column]) === entry.toLowerCase());
            return exact.find((r) => r.IsPrimary !== true) ?? exact[0];
        },
        defaultEntries: async () => all.filter(isEntry),
        handler: async (id) => handlers.get(id.toLowerCase())?.record,
        children: async (id) => handlers.get(id.toLowerCase())?.children ?? { greetings: {}, transferOptions: {}, menuEntries: {} },
        scheduleSet: async (id) => sets.get(id.toLowerCase()),
        recipient: async (_kind, id) => named.get(id.toLowerCase()),
    };
}
