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
    return {
        spec,
        ...rest,
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

/** Exactly one object, by ObjectId or by display name. */
export async function runOne(c: CupiClient, d: DataSourceDef, args: { objectId?: string; displayName?: string }): Promise<Record<string, unknown>> {
    const { spec } = d;
    const what = d.one?.name ?? d.list.name;
    if ((args.objectId === undefined) === (args.displayName === undefined)) {
        throw new Error(`${what}: give exactly one of objectId or displayName`);
    }
    if (args.objectId !== undefined) {
        const r = await c.find(spec, args.objectId);
        if (!r) throw new Error(`${what}: no ${spec.element} with ObjectId ${args.objectId} on ${c.settings.origin}`);
        return toInfo(spec, r);
    }
    const name = args.displayName!;
    const found = (await c.list(spec, { query: { column: "DisplayName", value: name } })).filter((r) => sameText(r.DisplayName, name));
    if (found.length === 0) throw new Error(`${what}: no ${spec.element} named '${name}' on ${c.settings.origin}`);
    if (found.length > 1) {
        throw new Error(`${what}: ${found.length} ${spec.collection} are named '${name}' on ${c.settings.origin} (${found.map((r) => r.ObjectId).join(", ")}); look it up by objectId instead`);
    }
    return toInfo(spec, found[0]);
}
