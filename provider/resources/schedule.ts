/**
 * Schedules and schedule sets (EVERYDAY.md §9), written the way people say them: a time block is
 * `{ days: ["mon", ..., "fri"], start: "08:30", end: "17:00" }`, a holiday `{ name: "Christmas",
 * date: "2026-12-25" }`, checked (5-minute blocks, 00:00-23:55, the end after the start, real
 * dates) and sent as CUPI's minutes, day flags and dates.
 */
import { Location, Schedule, ScheduleDetail, ScheduleSet, ScheduleSetMember } from "../specs";
import { creatableFields } from "../specs/types";
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { crud, defineResource, fields, oncePerClient, type ChildShape, type Codec } from "./types";

const DAYS = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" } as const;
type Day = keyof typeof DAYS;

/** `"08:30"` -> 510: whole minutes after midnight, on the 5-minute grid CUPI keeps (0-1435). */
function minutesOf(v: unknown): number | undefined {
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(String(v));
    if (!m) return undefined;
    const n = Number(m[1]) * 60 + Number(m[2]);
    return n % 5 === 0 ? n : undefined;
}
const hhmm = (n: number) => `${String(Math.floor(n / 60)).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`;
const isDate = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
/** CUPI's dates carry a time (`2026-12-25 00:00:00`); the program's are days. */
const dayOf = (v: unknown) => (typeof v === "string" && v ? v.slice(0, 10) : undefined);

const TIME = "a time on the 5-minute grid, 00:00 to 23:55, like 08:30";
const CODECS: readonly Codec[] = [
    {
        name: "start", type: "string", from: ["StartTime"], doc: `When the block starts: ${TIME} (default 00:00).`,
        check: (v) => (minutesOf(v) === undefined ? `must be ${TIME}` : undefined),
        encode: (v) => ({ StartTime: minutesOf(v)! }),
        decode: (r) => (typeof r.StartTime === "number" ? hhmm(r.StartTime) : undefined),
    },
    {
        name: "end", type: "string", from: ["EndTime"], doc: `When it ends: ${TIME}, or 24:00 for the end of the day (CUPI's 0; the default).`,
        check: (v) => (v === "24:00" || minutesOf(v) !== undefined ? undefined : `must be ${TIME}, or 24:00 for the end of the day`),
        encode: (v) => ({ EndTime: v === "24:00" ? 0 : minutesOf(v)! }),
        decode: (r) => (typeof r.EndTime === "number" ? (r.EndTime === 0 ? "24:00" : hhmm(r.EndTime)) : undefined),
    },
    {
        name: "days", type: "string[]", from: Object.values(DAYS).map((d) => `IsActive${d}`), doc: `The days it applies to: ${Object.keys(DAYS).join(", ")}.`,
        check: (v) => {
            const bad = (v as string[]).filter((d) => !(d.toLowerCase() in DAYS));
            return bad.length ? `has ${bad.map((d) => JSON.stringify(d)).join(", ")}: days are ${Object.keys(DAYS).join(", ")}` : new Set(v as string[]).size !== (v as string[]).length ? "lists a day twice" : undefined;
        },
        normalize: (v) => Object.keys(DAYS).filter((d) => (v as string[]).some((x) => x.toLowerCase() === d)),
        encode: (v) => Object.fromEntries(Object.entries(DAYS).map(([d, name]) => [`IsActive${name}`, (v as string[]).includes(d)])),
        decode: (r) => (Object.keys(DAYS) as Day[]).filter((d) => r[`IsActive${DAYS[d]}`] === true),
    },
    {
        name: "date", type: "string", from: ["StartDate", "EndDate"], doc: "A holiday's day, YYYY-MM-DD (it starts and ends then); or give startDate and endDate.",
        check: (v) => (isDate(v) ? undefined : "must be a date like 2026-12-25"),
        encode: (v) => ({ StartDate: `${String(v)} 00:00:00`, EndDate: `${String(v)} 00:00:00` }),
        decode: (r) => (dayOf(r.StartDate) && dayOf(r.StartDate) === dayOf(r.EndDate) ? dayOf(r.StartDate) : undefined),
    },
    {
        name: "startDate", type: "string", from: ["StartDate"], doc: "The first day of a holiday of several days, YYYY-MM-DD.",
        check: (v) => (isDate(v) ? undefined : "must be a date like 2026-12-24"),
        encode: (v) => ({ StartDate: `${String(v)} 00:00:00` }),
        // One day is `date`.
        decode: (r) => (dayOf(r.StartDate) !== dayOf(r.EndDate) ? dayOf(r.StartDate) : undefined),
    },
    {
        name: "endDate", type: "string", from: ["EndDate"], doc: "The last day of a holiday of several days, YYYY-MM-DD.",
        check: (v) => (isDate(v) ? undefined : "must be a date like 2026-12-26"),
        encode: (v) => ({ EndDate: `${String(v)} 00:00:00` }),
        decode: (r) => (dayOf(r.StartDate) !== dayOf(r.EndDate) ? dayOf(r.EndDate) : undefined),
    },
];

export const TIME_BLOCK: ChildShape = {
    type: "TimeBlock",
    spec: ScheduleDetail,
    fields: fields(ScheduleDetail, ["Subject"]),
    codecs: CODECS,
    doc: "A block of a schedule: days and times for a weekly one; a named date or dates for a holiday one.",
    rules: (b, _key, unknown) => {
        const out: string[] = [];
        const start = b.start === undefined ? 0 : minutesOf(b.start), end = b.end === undefined || b.end === "24:00" ? 1440 : minutesOf(b.end);
        if (!unknown(b.start) && !unknown(b.end) && start !== undefined && end !== undefined && end <= start) out.push(`end ${String(b.end)} must be after start ${String(b.start ?? "00:00")}`);
        if (b.date !== undefined && (b.startDate !== undefined || b.endDate !== undefined)) out.push("give date, or startDate and endDate, not both");
        if ((b.startDate === undefined) !== (b.endDate === undefined)) out.push("startDate and endDate go together");
        if (typeof b.startDate === "string" && typeof b.endDate === "string" && b.endDate < b.startDate) out.push(`endDate ${b.endDate} is before startDate ${b.startDate}`);
        if (typeof b.startDate === "string" && b.startDate === b.endDate) out.push(`a holiday of one day: give date: "${b.startDate}" instead of startDate and endDate`);
        return out;
    },
};

/** The location schedules belong to unless the program says: this server's own, looked up once per server and run. */
const thisLocation = oncePerClient(async (c) => {
    const all = await c.list(Location);
    const own = all.find((l) => l.IsPrimary === true) ?? (all.length === 1 ? all[0] : undefined);
    if (!own) throw new Error(`cannot tell this server's Connection location among ${all.length} on ${c.settings.origin}: give ownerLocationId (see getLocations)`);
    return String(own.ObjectId);
});
const owned = (spec: typeof Schedule) => ({
    ...crud(spec),
    create: async (c: CupiClient, body: CupiRecord, inputs: Record<string, unknown>, parentId?: string) =>
        crud(spec).create(c, body.OwnerLocationObjectId === undefined && body.OwnerSubscriberObjectId === undefined ? { ...body, OwnerLocationObjectId: await thisLocation(c) } : body, inputs, parentId),
});
const oneOwner = (news: Record<string, unknown>) =>
    news.ownerLocationId !== undefined && news.ownerUserId !== undefined ? [{ property: "ownerUserId", reason: "a schedule has one owner: ownerLocationId or ownerUserId, not both" }] : [];

export const ScheduleDef = defineResource({
    kind: "Schedule",
    summary: "A schedule (CUPI `/vmrest/schedules`) and its time blocks: when a handler is open, or, as a holiday schedule, the days it is closed.",
    spec: Schedule,
    inputs: creatableFields(Schedule),
    rows: [{ name: "blocks", shape: TIME_BLOCK, key: "name", doc: "The schedule's time blocks (its holidays, for a holiday schedule)" }],
    autoName: true,
    rules: (news) => {
        const failures = oneOwner(news);
        const blocks = Array.isArray(news.blocks) ? (news.blocks as Record<string, unknown>[]) : [];
        blocks.forEach((b, i) => {
            if (typeof b !== "object" || b === null) return;
            const dated = b.date !== undefined || b.startDate !== undefined;
            if (news.isHoliday === true && !dated) failures.push({ property: `blocks[${i}]`, reason: `blocks[${i}]: a holiday schedule's blocks are days: give date (or startDate and endDate)` });
            if (news.isHoliday !== true && dated) failures.push({ property: `blocks[${i}]`, reason: `blocks[${i}]: dates belong to a holiday schedule (isHoliday: true); a weekly block gives days` });
            if (news.isHoliday !== true && !Array.isArray(b.days)) failures.push({ property: `blocks[${i}]`, reason: `blocks[${i}] needs days, e.g. ["mon", "tue", "wed", "thu", "fri"]` });
        });
        return failures;
    },
    ops: owned(Schedule),
    import: { word: "schedules", label: (r) => `schedule ${String(r.DisplayName)}` },
});

export const ScheduleSetDef = defineResource({
    kind: "ScheduleSet",
    summary: "A schedule set (CUPI `/vmrest/schedulesets`): what a handler follows for standard and off hours, the schedules it includes and the holiday schedules it excludes.",
    phrase: "schedule set",
    spec: ScheduleSet,
    inputs: creatableFields(ScheduleSet),
    members: [
        { name: "schedules", spec: ScheduleSetMember, field: "ScheduleObjectId", fixed: { Exclude: false }, doc: "The schedules the set includes (open hours)" },
        { name: "holidays", spec: ScheduleSetMember, field: "ScheduleObjectId", fixed: { Exclude: true }, doc: "The holiday schedules the set excludes" },
    ],
    autoName: true,
    rules: (news) => oneOwner(news),
    ops: owned(ScheduleSet as typeof Schedule),
    import: { word: "schedulesets", label: (r) => `schedule set ${String(r.DisplayName)}` },
});
