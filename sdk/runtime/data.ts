/**
 * Data sources. Pulumi's Node dynamic-provider host has no invoke, so these run in the program
 * itself, through the same client and connection settings as the resources: an explicit
 * `connection`, else the stack's `cuc:*` configuration, else the `CUC_*` variables. The functions
 * themselves are generated into functions.ts from provider/engine/datasources.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CupiClient } from "../../provider/client/client";
import { getClient } from "../../provider/client/pool";
import type { SortOrder } from "../../provider/client/query";
import { mergeSettings, resolveSettings, settingsFromConfig, type ConnectionSettings } from "../../provider/client/settings";
import { DATA_SOURCES, runList, runOne } from "../../provider/engine/datasources";
import { checkStackConfig } from "./base";
import { lookupError } from "./errors";
import type { DataConnection } from "../generated/types";

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

/** Arguments every list takes. */
export interface Listing {
    query?: Query;
    sort?: Sort;
    connection?: DataConnection;
}

/** Arguments of the `...Output` variants: the same, each value may be an Input. */
export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** The stack configuration without pulumi.Config's secret warnings: the raw values. */
const stackSettings = () => settingsFromConfig((key) => pulumi.runtime.getConfig(key));

function client(connection?: DataConnection): CupiClient {
    checkStackConfig();
    return getClient(mergeSettings(stackSettings(), connection as ConnectionSettings | undefined));
}

const byName = new Map(DATA_SOURCES.flatMap((d) => [[d.list.name, d] as const, ...(d.one ? [[d.one.name, d] as const] : [])]));
const dataSource = (name: string) => byName.get(name) ?? (() => { throw new Error(`no data source ${name}`); })();

/** A failed lookup ends the program with its message only (RunError): no "Unhandled exception", no stack trace. */
async function clean<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (e) {
        throw lookupError(e); // a RunError is kept (the same object, reported once), less its frames
    }
}

/** The list function of a DATA_SOURCES entry (functions.ts, generated, gives it its types). */
export function listFunction<A extends Listing, R>(name: string): (args?: A) => Promise<R> {
    const d = dataSource(name);
    return async (args) => {
        const a = (args ?? {}) as Listing & Record<string, unknown>;
        return clean(() => runList(client(a.connection), d, { ...a, query: a.query, sort: a.sort as SortOrder | undefined })) as Promise<R>;
    };
}

/** The single lookup of a DATA_SOURCES entry (functions.ts gives its arguments their type: objectId or the natural key). */
export function oneFunction<A extends { connection?: DataConnection }, R>(name: string): (args: A) => Promise<R> {
    const d = dataSource(name);
    return async (args) => clean(() => runOne(client(args.connection), d, args as Record<string, unknown>)) as Promise<R>;
}

/**
 * The `...Output` variant: the same function over Inputs. The stack configuration is checked at
 * the call, in the program's own flow: an error inside the apply would be reported a second time,
 * and first under the resource input it feeds (`error serializing property "portGroupId": ...`).
 * Without a `connection` argument, that configuration (and CUC_*) is all it connects with: a
 * missing server or a bad value ends the program here, with the cause as its first words.
 */
export const output = <A, R>(fn: (a: A) => Promise<R>) => (args?: Inputs<A>): pulumi.Output<R> => {
    checkStackConfig();
    if (args?.["connection" as keyof A] === undefined) {
        try {
            resolveSettings(stackSettings());
        } catch (e) {
            throw lookupError(e);
        }
    }
    return pulumi.output(args ?? ({} as Inputs<A>)).apply((a) => fn(a as unknown as A));
};

/** Arguments every single lookup takes: exactly one of objectId or its natural key (generated per function). */
export interface GetOneArgs {
    objectId?: string;
    connection?: DataConnection;
}
