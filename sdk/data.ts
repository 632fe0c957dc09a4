/**
 * Data sources. Pulumi's Node dynamic-provider host has no invoke, so these run in the program
 * itself, through the same client and connection settings as the resources: an explicit
 * `connection`, else the stack's `cuc:*` configuration, else the `CUC_*` variables.
 */
import * as pulumi from "@pulumi/pulumi";
import { getClient, type CupiClient } from "../provider/client/client";
import type { CupiRecord } from "../provider/client/codec";
import type { QueryFilter, SortOrder } from "../provider/client/query";
import { mergeSettings, settingsFromConfig, type ConnectionSettings } from "../provider/client/settings";
import { SPECS } from "../provider/specs";
import { camelName, type ObjectSpec } from "../provider/specs/types";
import type * as types from "./types";

import type { DataConnection } from "./types";

/** A search CUPI runs on the server: `(column is|startswith value)` on a searchable column. */
export interface Query {
    /** Column, in CUPI's or our spelling: `DisplayName` or `displayName`. */
    column: string;
    /** Default `is`. */
    op?: "is" | "startswith";
    value: string | number | boolean;
}

/** Order of the results: `(column asc|desc)` on a sortable column. */
export interface Sort {
    column: string;
    direction?: "asc" | "desc";
}

interface Listing {
    query?: Query;
    sort?: Sort;
    connection?: DataConnection;
}

/** Arguments of the `...Output` variants: the same, each value may be an Input. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

function client(connection?: DataConnection): CupiClient {
    // Stack configuration without pulumi.Config's secret warnings: the raw values.
    return getClient(mergeSettings(settingsFromConfig((key) => pulumi.runtime.getConfig(key)), connection as ConnectionSettings | undefined));
}

/** CUPI record -> typed result with our field names; unknown fields kept in camelCase. */
function toInfo<T>(spec: ObjectSpec, r: CupiRecord): T {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(r)) {
        const f = spec.byCupi.get(key);
        if (f?.secret) continue;
        out[f ? f.name : camelName(key)] = value;
    }
    return out as T;
}

/**
 * Lists with one server-side query (CUPI takes one per request); a second filter, such as the
 * phone system, is applied here when the caller also gave a query of its own.
 */
async function list<T>(spec: ObjectSpec, args: Listing, filter?: { column: string; value: string }, parentId?: string): Promise<T[]> {
    const c = client(args.connection);
    let query: QueryFilter | undefined = args.query;
    let local: ((r: CupiRecord) => boolean) | undefined;
    if (filter && query) local = (r) => String(r[filter.column]).toLowerCase() === filter.value.toLowerCase();
    else if (filter) query = { column: filter.column, value: filter.value };
    const records = await c.list(spec, { parentId, query, sort: args.sort as SortOrder | undefined });
    return (local ? records.filter(local) : records).map((r) => toInfo<T>(spec, r));
}

/** Exactly one object, by ObjectId or by display name. */
async function single<T>(spec: ObjectSpec, args: { objectId?: string; displayName?: string; connection?: DataConnection }, what: string): Promise<T> {
    const c = client(args.connection);
    if ((args.objectId === undefined) === (args.displayName === undefined)) {
        throw new Error(`${what}: give exactly one of objectId or displayName`);
    }
    if (args.objectId !== undefined) {
        const r = await c.find(spec, args.objectId);
        if (!r) throw new Error(`${what}: no ${spec.element} with ObjectId ${args.objectId} on ${c.settings.origin}`);
        return toInfo<T>(spec, r);
    }
    const name = args.displayName!;
    const found = (await c.list(spec, { query: { column: "DisplayName", value: name } }))
        .filter((r) => String(r.DisplayName).toLowerCase() === name.toLowerCase());
    if (found.length === 0) throw new Error(`${what}: no ${spec.element} named '${name}' on ${c.settings.origin}`);
    if (found.length > 1) {
        throw new Error(`${what}: ${found.length} ${spec.collection} are named '${name}' on ${c.settings.origin} (${found.map((r) => r.ObjectId).join(", ")}); look it up by objectId instead`);
    }
    return toInfo<T>(spec, found[0]);
}

const output = <A, R>(fn: (a: A) => Promise<R>) => (args?: Inputs<A>): pulumi.Output<R> =>
    pulumi.output(args ?? ({} as Inputs<A>)).apply((a) => fn(a as unknown as A));

// ---------------------------------------------------------------- port groups and ports

export interface GetPortGroupsArgs extends Listing {
    /** Only the port groups of this phone system. */
    phoneSystemId?: string;
}
export interface GetPortGroupsResult {
    portGroups: types.PortGroupInfo[];
}
/** Port groups, optionally of one phone system, searched and sorted on the server. */
export async function getPortGroups(args: GetPortGroupsArgs = {}): Promise<GetPortGroupsResult> {
    const filter = args.phoneSystemId ? { column: "MediaSwitchObjectId", value: args.phoneSystemId } : undefined;
    return { portGroups: await list<types.PortGroupInfo>(SPECS.PortGroup, args, filter) };
}
export const getPortGroupsOutput = output(getPortGroups);

export interface GetOneArgs {
    objectId?: string;
    displayName?: string;
    connection?: DataConnection;
}
/** One port group by objectId or display name; an error if none or several match. */
export const getPortGroup = (args: GetOneArgs) => single<types.PortGroupInfo>(SPECS.PortGroup, args, "getPortGroup");
export const getPortGroupOutput = output(getPortGroup);

export interface GetPortsArgs extends Listing {
    portGroupId?: string;
    phoneSystemId?: string;
}
export interface GetPortsResult {
    ports: types.PortInfo[];
}
/** Voice messaging ports, optionally of one port group or phone system; every page is fetched. */
export async function getPorts(args: GetPortsArgs = {}): Promise<GetPortsResult> {
    if (args.portGroupId && args.phoneSystemId) {
        const all = await list<types.PortInfo>(SPECS.Port, args, { column: "MediaPortGroupObjectId", value: args.portGroupId });
        return { ports: all.filter((p) => String(p.phoneSystemId).toLowerCase() === args.phoneSystemId!.toLowerCase()) };
    }
    const filter = args.portGroupId ? { column: "MediaPortGroupObjectId", value: args.portGroupId }
        : args.phoneSystemId ? { column: "MediaSwitchObjectId", value: args.phoneSystemId } : undefined;
    return { ports: await list<types.PortInfo>(SPECS.Port, args, filter) };
}
export const getPortsOutput = output(getPorts);

/** One port by objectId or display name. */
export const getPort = (args: GetOneArgs) => single<types.PortInfo>(SPECS.Port, args, "getPort");
export const getPortOutput = output(getPort);

// ---------------------------------------------------------------- phone systems

export interface GetPhoneSystemsResult {
    phoneSystems: types.PhoneSystemInfo[];
}
/** Phone systems, searched and sorted on the server. */
export async function getPhoneSystems(args: Listing = {}): Promise<GetPhoneSystemsResult> {
    return { phoneSystems: await list<types.PhoneSystemInfo>(SPECS.PhoneSystem, args) };
}
export const getPhoneSystemsOutput = output(getPhoneSystems);

/** One phone system by objectId or display name. */
export const getPhoneSystem = (args: GetOneArgs) => single<types.PhoneSystemInfo>(SPECS.PhoneSystem, args, "getPhoneSystem");
export const getPhoneSystemOutput = output(getPhoneSystem);

export interface ByPhoneSystemArgs extends Listing {
    phoneSystemId: string;
}
export interface GetPhoneSystemAssociationsResult {
    associations: types.PhoneSystemAssociationInfo[];
}
/** The users associated with a phone system (what blocks deleting it). */
export async function getPhoneSystemAssociations(args: ByPhoneSystemArgs): Promise<GetPhoneSystemAssociationsResult> {
    return { associations: await list<types.PhoneSystemAssociationInfo>(SPECS.PhoneSystemAssociation, args, undefined, args.phoneSystemId) };
}
export const getPhoneSystemAssociationsOutput = output(getPhoneSystemAssociations);

export interface GetAxlServersResult {
    axlServers: types.AxlServerInfo[];
}
/** The AXL servers of a phone system. */
export async function getAxlServers(args: ByPhoneSystemArgs): Promise<GetAxlServersResult> {
    return { axlServers: await list<types.AxlServerInfo>(SPECS.AxlServer, args, undefined, args.phoneSystemId) };
}
export const getAxlServersOutput = output(getAxlServers);

// ---------------------------------------------------------------- services, links, tenants

export interface GetExternalServicesArgs extends Listing {
    /** Only the services of this tenant (10.5(2)+). */
    tenantObjectId?: string;
}
export interface GetExternalServicesResult {
    externalServices: types.ExternalServiceInfo[];
}
/** Unified messaging services, optionally of one tenant. */
export async function getExternalServices(args: GetExternalServicesArgs = {}): Promise<GetExternalServicesResult> {
    const filter = args.tenantObjectId ? { column: "TenantObjectId", value: args.tenantObjectId } : undefined;
    return { externalServices: await list<types.ExternalServiceInfo>(SPECS.ExternalService, args, filter) };
}
export const getExternalServicesOutput = output(getExternalServices);

export interface GetHttpsLinksArgs extends Listing {
    /** Also return links unjoined but not yet cleaned up (Deleted=true). Default false. */
    includeDeleted?: boolean;
}
export interface GetHttpsLinksResult {
    httpsLinks: types.HttpsLinkInfo[];
}
/** HTTPS networking links of this site. */
export async function getHttpsLinks(args: GetHttpsLinksArgs = {}): Promise<GetHttpsLinksResult> {
    const links = await list<types.HttpsLinkInfo>(SPECS.HttpsLink, args);
    return { httpsLinks: args.includeDeleted ? links : links.filter((l) => l.deleted !== true) };
}
export const getHttpsLinksOutput = output(getHttpsLinks);

export interface GetTenantsResult {
    tenants: types.TenantInfo[];
}
/** Tenants (multi-tenant installs); their objectId filters external services. */
export async function getTenants(args: Listing = {}): Promise<GetTenantsResult> {
    return { tenants: await list<types.TenantInfo>(SPECS.Tenant, args) };
}
export const getTenantsOutput = output(getTenants);
