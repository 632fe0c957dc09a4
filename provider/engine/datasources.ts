/**
 * Data sources, declared once: which object, the function names, the arguments that filter. The
 * SDK's typed functions and the README's table are generated from this table (`npm run gen`);
 * `runList` and `runOne` serve every entry and name no object.
 */
import type { CupiClient } from "../client/client";
import type { CupiRecord } from "../client/codec";
import type { QueryFilter, SortOrder } from "../client/query";
import { SPECS } from "../specs";
import { camelName, phraseOf, type ObjectSpec } from "../specs/types";
import { sameText } from "./values";

/** A data source as declared: its arguments are named after the columns they filter. */
interface DataSourceInit {
    spec: ObjectSpec;
    /** The list function (`getPortGroups`), the key of its result (`portGroups`) and its summary. */
    list: { name: string; result: string; doc: string };
    /** The single lookup by objectId or display name (`getPortGroup`), if any. */
    one?: { name: string; doc: string };
    /** Optional arguments that filter on a column (the argument is the column's name): on the server when alone, else here. */
    filters?: readonly { column: string; doc: string }[];
    /** A boolean argument: unless it is true, objects whose `column` equals `value` are left out. */
    hidden?: { arg: string; column: string; value: unknown; doc: string };
    /** What the README's table says of the result. */
    resultNote?: string;
}

export interface DataSourceDef extends Omit<DataSourceInit, "filters"> {
    filters?: readonly { arg: string; column: string; doc: string }[];
    /** A sub-collection's required argument, from the spec's parent: the parent's ObjectId (`{parent}` in the path). */
    parent?: { arg: string; doc: string };
    /** What the single lookup takes besides objectId: the natural key (`alias`, `name`), else the display name. */
    key: { arg: string; column: string };
}

/** The arguments, named as the field tables name the columns (and the parent field) they stand for; every column checked. */
function dataSource(init: DataSourceInit): DataSourceDef {
    const { spec, filters, ...rest } = init;
    const nameOf = (column: string) => {
        const f = spec.byCupi.get(column);
        if (!f) throw new Error(`${init.list.name}: ${spec.kind} has no field ${column}`);
        return f.name;
    };
    if (init.hidden) nameOf(init.hidden.column);
    const keyColumn = spec.key ?? "DisplayName";
    if (init.one) nameOf(keyColumn);
    return {
        spec,
        ...rest,
        key: { arg: spec.byCupi.get(keyColumn)?.name ?? "displayName", column: keyColumn },
        ...(filters ? { filters: filters.map((f) => ({ arg: nameOf(f.column), ...f })) } : {}),
        ...(spec.parent ? { parent: { arg: nameOf(spec.parent.field), doc: `The ${phraseOf(SPECS[spec.parent.kind])}.` } } : {}),
    };
}

const PHONE_SYSTEM_FILTER = { column: "MediaSwitchObjectId", doc: "Only those of this phone system." };

export const DATA_SOURCES: readonly DataSourceDef[] = ([
    {
        spec: SPECS.PortGroup,
        list: { name: "getPortGroups", result: "portGroups", doc: "Port groups, optionally of one phone system, searched and sorted on the server." },
        one: { name: "getPortGroup", doc: "One port group by objectId or display name; an error if none or several match." },
        filters: [PHONE_SYSTEM_FILTER],
    },
    {
        spec: SPECS.Port,
        list: { name: "getPorts", result: "ports", doc: "Voice messaging ports, optionally of one port group or phone system; every page is fetched." },
        one: { name: "getPort", doc: "One port by objectId or display name." },
        filters: [{ column: "MediaPortGroupObjectId", doc: "Only the ports of this port group." }, PHONE_SYSTEM_FILTER],
    },
    {
        spec: SPECS.PhoneSystem,
        list: { name: "getPhoneSystems", result: "phoneSystems", doc: "Phone systems, searched and sorted on the server." },
        one: { name: "getPhoneSystem", doc: "One phone system by objectId or display name." },
    },
    {
        spec: SPECS.PhoneSystemAssociation,
        list: { name: "getPhoneSystemAssociations", result: "associations", doc: "The users associated with a phone system (what blocks deleting it)." },
        resultNote: "the users that block deleting it",
    },
    {
        spec: SPECS.AxlServer,
        list: { name: "getAxlServers", result: "axlServers", doc: "The AXL servers of a phone system." },
    },
    {
        spec: SPECS.ExternalService,
        list: { name: "getExternalServices", result: "externalServices", doc: "Unified messaging services, optionally of one tenant." },
        filters: [{ column: "TenantObjectId", doc: "Only the services of this tenant (10.5(2)+)." }],
    },
    {
        spec: SPECS.HttpsLink,
        list: { name: "getHttpsLinks", result: "httpsLinks", doc: "HTTPS networking links of this site." },
        hidden: { arg: "includeDeleted", column: "Deleted", value: true, doc: "Also return links unjoined but not yet cleaned up (Deleted=true). Default false." },
    },
    {
        spec: SPECS.Tenant,
        list: { name: "getTenants", result: "tenants", doc: "Tenants (multi-tenant installs); their objectId filters external services." },
    },
    {
        spec: SPECS.User,
        list: { name: "getUsers", result: "users", doc: "Users with a mailbox, searched and sorted on the server (the list's short form: getUser reads one in full)." },
        one: { name: "getUser", doc: "One user by objectId or alias, read in full; an error if none matches." },
    },
    {
        spec: SPECS.AlternateExtension,
        list: { name: "getAlternateExtensions", result: "alternateExtensions", doc: "The alternate extensions of a user (IdIndex 0 is the primary extension)." },
    },
    {
        spec: SPECS.UserTemplate,
        list: { name: "getUserTemplates", result: "userTemplates", doc: "User templates." },
        one: { name: "getUserTemplate", doc: "One user template by objectId or alias (the built-ins: voicemailusertemplate, administratortemplate)." },
    },
    {
        spec: SPECS.Contact,
        list: { name: "getContacts", result: "contacts", doc: "Contacts." },
        one: { name: "getContact", doc: "One contact by objectId or alias." },
    },
    {
        spec: SPECS.ContactTemplate,
        list: { name: "getContactTemplates", result: "contactTemplates", doc: "Contact templates." },
        one: { name: "getContactTemplate", doc: "One contact template by objectId or alias (the built-in: systemcontacttemplate)." },
    },
    {
        spec: SPECS.DistributionList,
        list: { name: "getDistributionLists", result: "distributionLists", doc: "Distribution lists." },
        one: { name: "getDistributionList", doc: "One distribution list by objectId or alias (the system lists: allvoicemailusers, allvoicemailenabledcontacts, undeliverablemessages)." },
    },
    {
        spec: SPECS.DistributionListMember,
        list: { name: "getDistributionListMembers", result: "members", doc: "The memberships of a distribution list." },
    },
    {
        spec: SPECS.ClassOfService,
        list: { name: "getClassesOfService", result: "classesOfService", doc: "Classes of service." },
        one: { name: "getClassOfService", doc: "One class of service by objectId or display name (the built-ins: Voice Mail User COS, System)." },
    },
    {
        spec: SPECS.Partition,
        list: { name: "getPartitions", result: "partitions", doc: "Partitions." },
        one: { name: "getPartition", doc: "One partition by objectId or name (the server's default: `<server> Partition`)." },
    },
    {
        spec: SPECS.SearchSpace,
        list: { name: "getSearchSpaces", result: "searchSpaces", doc: "Search spaces." },
        one: { name: "getSearchSpace", doc: "One search space by objectId or name (the server's default: `<server> Search Space`)." },
    },
    {
        spec: SPECS.SearchSpaceMember,
        list: { name: "getSearchSpaceMembers", result: "members", doc: "The partitions of a search space, with their order (SortOrder)." },
    },
    {
        spec: SPECS.MailboxStore,
        list: { name: "getMailboxStores", result: "mailboxStores", doc: "Mailbox stores (where a new user's mailbox goes: User.mailboxStoreId)." },
        one: { name: "getMailboxStore", doc: "One mailbox store by objectId or display name." },
    },
    {
        spec: SPECS.Location,
        list: { name: "getLocations", result: "locations", doc: "Connection locations (this server's own has isPrimary true)." },
        one: { name: "getLocation", doc: "One Connection location by objectId or display name." },
    },
    {
        spec: SPECS.CallHandler,
        list: { name: "getCallHandlers", result: "callHandlers", doc: "Call handlers: the audio-text application's, without users' primary ones unless includePrimary." },
        one: { name: "getCallHandler", doc: "One call handler by objectId or display name (the system's: Opening Greeting, Operator, Goodbye); by name, not a user's primary handler (the user's callHandlerId)." },
        // A site's thousands of users each have one; and the operator user's is named Operator too.
        hidden: { arg: "includePrimary", column: "IsPrimary", value: true, doc: "Also return users' primary call handlers (isPrimary true). Default false." },
    },
    {
        spec: SPECS.Schedule,
        list: { name: "getSchedules", result: "schedules", doc: "Schedules (the built-in: All Hours, Weekdays, Holidays)." },
        one: { name: "getSchedule", doc: "One schedule by objectId or display name." },
    },
    {
        spec: SPECS.ScheduleSet,
        list: { name: "getScheduleSets", result: "scheduleSets", doc: "Schedule sets (the built-in: All Hours, Weekdays)." },
        one: { name: "getScheduleSet", doc: "One schedule set by objectId or display name (what a handler's scheduleSetId names)." },
    },
    {
        spec: SPECS.CallHandlerTemplate,
        list: { name: "getCallHandlerTemplates", result: "callHandlerTemplates", doc: "Call handler templates." },
        one: { name: "getCallHandlerTemplate", doc: "One call handler template by objectId or display name (the built-in: System Call Handler Template)." },
    },
] satisfies DataSourceInit[]).map(dataSource);

/** Arguments every list takes besides its filters. */
export interface ListArgs {
    query?: QueryFilter;
    sort?: SortOrder;
    [arg: string]: unknown;
}

/** CUPI record -> result with our field names; secrets left out; unknown fields kept in camelCase. */
export function toInfo(spec: ObjectSpec, r: CupiRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(r)) {
        const f = spec.byCupi.get(key);
        if (f?.secret) continue;
        out[f ? f.name : camelName(key)] = value;
    }
    return out;
}

/**
 * One list: CUPI takes one search per request, so the first filter given goes to the server
 * unless the caller gave a query of its own; the others are applied here.
 */
export async function runList(c: CupiClient, d: DataSourceDef, args: ListArgs): Promise<Record<string, unknown>> {
    const given = (d.filters ?? []).filter((f) => args[f.arg] !== undefined && args[f.arg] !== "");
    let query = args.query;
    let local = given;
    if (!query && given.length) {
        query = { column: given[0].column, value: String(args[given[0].arg]) };
        local = given.slice(1);
    }
    const parentId = d.parent ? String(args[d.parent.arg]) : undefined;
    let records = await c.list(d.spec, { parentId, query, sort: args.sort });
    records = records.filter((r) => local.every((f) => sameText(r[f.column], args[f.arg])));
    if (d.hidden && args[d.hidden.arg] !== true) records = records.filter((r) => r[d.hidden!.column] !== d.hidden!.value);
    return { [d.list.result]: records.map((r) => toInfo(d.spec, r)) };
}

/** Exactly one object, by ObjectId or by its natural key (alias, name; else display name); a key lookup reads the object in full. */
export async function runOne(c: CupiClient, d: DataSourceDef, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { spec } = d;
    const what = d.one?.name ?? d.list.name;
    const { arg, column } = d.key;
    if ((args.objectId === undefined) === (args[arg] === undefined)) {
        throw new Error(`${what}: give exactly one of objectId or ${arg}`);
    }
    if (args.objectId !== undefined) {
        const r = await c.find(spec, String(args.objectId));
        if (!r) throw new Error(`${what}: no ${spec.element} with ObjectId ${String(args.objectId)} on ${c.settings.origin}`);
        return toInfo(spec, r);
    }
    const name = String(args[arg]);
    // `is` may match more than one row (case, CUPI's own matching): the exact ones count (EVERYDAY.md §1.2).
    const found = (await c.list(spec, { query: { column, value: name } })).filter((r) => sameText(r[column], name) && !(d.hidden && r[d.hidden.column] === d.hidden.value));
    const called = arg === "displayName" || arg === "name" ? `named '${name}'` : `with ${arg} '${name}'`;
    if (found.length === 0) throw new Error(`${what}: no ${spec.element} ${called} on ${c.settings.origin}`);
    if (found.length > 1) {
        throw new Error(`${what}: ${found.length} ${spec.collection} are ${called.replace("with", "of")} on ${c.settings.origin} (${found.map((r) => r.ObjectId).join(", ")}); look it up by objectId instead`);
    }
    // A list row may be a short form (users): the object itself has every field.
    return toInfo(spec, (spec.shortList ? await c.find(spec, String(found[0].ObjectId)) : undefined) ?? found[0]);
}
