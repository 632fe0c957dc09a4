import { defineObject, field, OBJECT_ID, URI } from "./types";

/**
 * Schedules (EVERYDAY.md §9): a ScheduleSet (what handlers and users point at) includes schedules
 * and excludes holiday schedules through its members; a Schedule holds time blocks (details), a
 * holiday schedule the holidays' dates. Built-ins: `Weekdays`, `All Hours` (sets and schedules).
 */

/** Exactly one owner: a Connection location (the usual) or a user (SDK `Schedule.cs`, `ScheduleSet.cs`). */
const owners = () => [
    field("OwnerLocationObjectId", "string", "rw", { name: "ownerLocationId", ref: "Location", createOnly: true, replace: true, doc: "Connection location that owns it (default: this server's own, see getLocation)." }),
    field("OwnerSubscriberObjectId", "string", "rw", { name: "ownerUserId", ref: "User", createOnly: true, replace: true, doc: "User that owns it instead of a location." }),
];

export const ScheduleSet = defineObject({
    kind: "ScheduleSet",
    element: "ScheduleSet",
    collection: "ScheduleSets",
    path: "schedulesets",
    noun: "scheduleset",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "DisplayName",
    oneOf: ["OwnerLocationObjectId", "OwnerSubscriberObjectId"],
    fields: [
        URI("/vmrest/schedulesets/3a5c7e9b-1d2f-4a6b-8c0e-2f4a6c8e0b13"),
        OBJECT_ID,
        field("DisplayName", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "Business Hours", doc: "Name of the schedule set, unique on the server (SDK; the guide does not say: we make it so)." }),
        ...owners(),
        field("TenantObjectId", "string", "ro", { queryable: true, doc: "Tenant owning the set." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in set (Weekdays, All Hours): never deleted." }),
        // EVERYDAY.md §13 item 17: `ScheduleSetMembersURI`.
        field("ScheduleSetMembersURI", "string", "ro", { doc: "Path of the set's members." }),
    ],
});

/** A schedule of a set, included or excluded (`Exclude`): POST and DELETE only, no PUT (§9). */
export const ScheduleSetMember = defineObject({
    kind: "ScheduleSetMember",
    element: "ScheduleSetMember",
    collection: "ScheduleSetMembers",
    path: "schedulesets/{parent}/schedulesetmembers",
    noun: "schedulesetmember",
    operations: ["list", "get", "create", "delete"],
    parent: { kind: "ScheduleSet", field: "ScheduleSetObjectId" },
    fields: [
        URI("/vmrest/schedulesets/3a5c7e9b-1d2f-4a6b-8c0e-2f4a6c8e0b13/schedulesetmembers/5c7e9b1d-3f4a-4b6c-8e0a-4b6c8e0a2d35"),
        OBJECT_ID,
        field("ScheduleSetObjectId", "string", "ro", { name: "scheduleSetId", doc: "The set." }),
        field("ScheduleObjectId", "string", "rw", { name: "scheduleId", ref: "Schedule", mandatory: true, queryable: true, doc: "The schedule." }),
        field("Exclude", "boolean", "rw", { default: false, doc: "Excluded (a holiday schedule) rather than included." }),
    ],
});

export const Schedule = defineObject({
    kind: "Schedule",
    element: "Schedule",
    collection: "Schedules",
    path: "schedules",
    noun: "schedule",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "DisplayName",
    oneOf: ["OwnerLocationObjectId", "OwnerSubscriberObjectId"],
    fields: [
        URI("/vmrest/schedules/7e9b1d3f-5a6b-4c8e-8a2c-6c8e0a2c4f57"),
        OBJECT_ID,
        field("DisplayName", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "Office Hours", doc: "Name of the schedule, unique on the server (SDK; we make it so)." }),
        ...owners(),
        field("IsHoliday", "boolean", "rw", { default: false, createOnly: true, replace: true, queryable: true, doc: "A holiday schedule: its details are dates, and a set excludes it." }),
        field("TenantObjectId", "string", "ro", { queryable: true, doc: "Tenant owning the schedule." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in schedule (Weekdays, All Hours): never deleted." }),
        field("ScheduleDetailsURI", "string", "ro", { doc: "Path of the schedule's details." }),
    ],
});

/**
 * A time block of a schedule (`…/scheduledetails`): minutes after midnight (0–1435; EndTime 0 is
 * the end of the day) on the days flagged; a holiday also has dates. PUT, POST and DELETE.
 */
const day = (name: string) => field(`IsActive${name}`, "boolean", "rw", { default: false, doc: `Active on ${name}s.` });
export const ScheduleDetail = defineObject({
    kind: "ScheduleDetail",
    element: "ScheduleDetail",
    collection: "ScheduleDetails",
    path: "schedules/{parent}/scheduledetails",
    noun: "scheduledetail",
    operations: ["list", "get", "create", "update", "delete"],
    parent: { kind: "Schedule", field: "ScheduleObjectId" },
    fields: [
        URI("/vmrest/schedules/7e9b1d3f-5a6b-4c8e-8a2c-6c8e0a2c4f57/scheduledetails/9b1d3f5a-7c8e-4e0a-8c4e-8e0a2c4e6b79"),
        OBJECT_ID,
        field("ScheduleObjectId", "string", "ro", { name: "scheduleId", doc: "The schedule." }),
        field("Subject", "string", "rw", { name: "name", maxLength: 64, doc: "What the block is called (a holiday's name: Christmas)." }),
        field("StartTime", "integer", "rw", { default: 0, min: 0, max: 1435, doc: "Start, minutes after midnight (a multiple of 5)." }),
        field("EndTime", "integer", "rw", { default: 0, min: 0, max: 1435, doc: "End, minutes after midnight (0: the end of the day)." }),
        ...["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map(day),
        field("StartDate", "string", "rw", { doc: "First day (holidays), `YYYY-MM-DD`." }),
        field("EndDate", "string", "rw", { doc: "Last day (holidays), `YYYY-MM-DD`." }),
    ],
});
