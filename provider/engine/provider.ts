/**
 * makeProvider(def): the one engine behind every resource's dynamic provider: diff, create,
 * read, update and delete, with check (check.ts) and adoption (adopt.ts) beside it. It knows no
 * resource by name: what differs lives in the definitions (resources/). The serialized provider
 * in state is only a shim (hosts/dynamic/shim.ts) that loads this module by package name, so old state always
 * runs the installed code.
 */
import type * as pulumi from "@pulumi/pulumi";
import { adopt, type AdoptContext } from "./adopt";
import { makeCheck } from "./check";
import type { Naming } from "./naming";
import type { ClientEvents, CupiClient } from "../client/client";
import { getClient } from "../client/pool";
import type { CupiRecord } from "../client/codec";
import { isCupiError, redact } from "../client/cupi-error";
import { configKey, dynamicToken, PACKAGE } from "../client/package";
import { checkSettings, mergeSettings, normalizeServer, registerSecretSettings, settingLabel, settingsFromConfig, SETTINGS, type ConnectionSettings, type SettingName } from "../client/settings";
import { byKey, type ResourceDef } from "../resources";
import type { Scalar } from "../specs/types";
import { childrenChanged, ownerOf, readChildren, readRows, restoreAll, sameRows, syncRows, writeChildren, type Before } from "./nested";
import { makeObjects, memberIds, sameMembers } from "./objects";
import { isUnknown, same, UNKNOWN, type Props } from "./values";

export { UNKNOWN } from "./values";

/** How much a message matters: a warning (TLS verification off) or information (a retry, an adoption). */
export type LogLevel = "info" | "warning";
export type LogSink = (message: string, level: LogLevel) => void;
/** Where the engine's messages go: stderr (the dynamic host shows it); a native host sends them to Pulumi's engine, at their level. */
let sink: LogSink = (message) => void process.stderr.write(`${message}\n`);
/** Sets where the messages go; returns where they went before (an in-process plugin gives it back). */
export function setLogSink(fn: LogSink): LogSink {
    const previous = sink;
    sink = fn;
    return previous;
}
const log = (message: string, level: LogLevel = "info") => sink(redact(message), level);

/**
 * Pulumi's dynamic-provider host writes every error a provider method throws to its stderr as
 * `${e}: ${e.stack}`, besides returning it to the engine, which then shows it twice: once as the
 * resource's `error: <message>`, once more as `Error: <message>: ` among the stack's messages.
 * The errors made here (guard) are reported once: that echo of them is dropped; any other line is
 * written as before. (The native host never writes them.)
 */
const echoes = new Set<unknown>();
let echoFilter = false;
function reportedOnce(err: Error): Error {
    if (!echoFilter) {
        echoFilter = true;
        const write = console.error.bind(console);
        console.error = (...args: unknown[]) => {
            if (args.length === 1 && echoes.delete(args[0])) return;
            write(...args);
        };
    }
    echoes.add(`${err}: ${err.stack}`);
    // Stryker disable next-line all: a bound on the remembered echoes; a native host never prints them
    if (echoes.size > 100) echoes.delete(echoes.values().next().value!);
    return err;
}

/**
 * What a shared client reports, to wherever messages go: its warnings, and with CUC_DEBUG=1 one
 * line per retry (to see throttling and flaky links). The pool keeps the events of the first
 * caller, so everything that makes clients in a native plugin (resources, functions) passes these.
 */
export const clientEvents = (): ClientEvents => ({
    onWarning: (message) => log(message, "warning"),
    // CUC_DEBUG=1: one line per retry, to see throttling and flaky links.
    onRetry: process.env.CUC_DEBUG ? ({ error, attempt, delayMs }) => log(`${PACKAGE}: retry ${attempt} in ${delayMs} ms after ${error.message}`) : undefined,
});

/**
 * Where the settings of a refused password came from, and what to do about it. `pulumi refresh` and
 * `pulumi destroy` do not run the program: the provider gets the settings stored in the state by
 * the last `pulumi up`, so after a rotation they fail with the old password. With the program run
 * (`up`, `--run-program`) the configured password itself was refused. The native host knows which
 * (the engine checks the configuration only when the program runs); the dynamic host does not.
 */
export type SettingsSource = "program" | "state";
/**
 * In the words of each host: "program" and "state" only come from the native host, whose resources
 * reach another cluster through an explicit `cuc.Provider`; "unknown" is the dynamic host, whose
 * resources have a `connection` input instead.
 */
const REFUSED_HINT: Record<SettingsSource | "unknown", string> = {
    state: "; `pulumi refresh` and `pulumi destroy` use the connection settings stored in the state by the last `pulumi up`: " +
        "if the password changed since, run `pulumi up` first, or `pulumi refresh --run-program` / `pulumi destroy --run-program`",
    program: "; the program ran, so these are the current settings, not those stored in the state: the configured password itself was refused " +
        `(${configKey("password")}, or the password of the explicit \`cuc.Provider\` that reaches this server); check it, and whether CUC has locked the account after failed logins`,
    unknown: "; without --run-program, `pulumi refresh` and `pulumi destroy` use the connection settings stored in the state by the last `pulumi up`: " +
        "if the password changed since, run `pulumi up` first, or `pulumi refresh --run-program` / `pulumi destroy --run-program`; " +
        `with the program run, the configured password itself was refused: check ${configKey("password")} (or the resource's \`connection\`) and whether CUC has locked the account`,
};

/** The engine's providers: the dynamic provider interface, whose check also takes what a native host knows for auto-names. */
export interface Provider extends pulumi.dynamic.ResourceProvider {
    check(olds: Props, news: Props, naming?: Naming): Promise<pulumi.dynamic.CheckResult>;
}

/** A configure request; a native host also says where the settings come from. */
export type ConfigureRequest = pulumi.dynamic.ConfigureRequest & { source?: SettingsSource };

/** Objects adopted or patched in this process (one deployment): origin|kind|ObjectId -> who. */
const claimed = new Map<string, string>();

export function makeProvider(def: ResourceDef): Provider {
    const token = dynamicToken(def.kind);
    const inputFields = new Map(def.inputs.map((f) => [f.name, f] as const));
    const extras = new Map((def.extraInputs ?? []).map((x) => [x.name, x] as const));
    const lists = new Map((def.members ?? []).map((m) => [m.name, m] as const));
    const childSets = new Map((def.children ?? []).map((c) => [c.name, c] as const));
    const rowLists = new Map((def.rows ?? []).map((r) => [r.name, r] as const));
    /** Inputs held outside the object's own fields: member lists, children, rows. */
    const nested = (key: string) => lists.has(key) || childSets.has(key) || rowLists.has(key);
    /** The output that names where children live (`callHandlerId` for a user's primary handler). */
    const exposedName = (cupi?: string) => (cupi ? def.spec.byCupi.get(cupi)?.name : undefined);
    const ignored = new Set(def.ignoreChanges ?? []);
    /** Inputs written only with another (appliesWith): their own changes are no change. */
    const withs = def.appliesWith ?? {};
    /** The input holding the natural key, when the program manages it (its uniqueness decides deleteBeforeReplace). */
    const keyInput = def.spec.key ? def.inputs.find((f) => f.cupi === def.spec.key && !def.partOf.has(f.name))?.name : undefined;
    /** The output that is true on a built-in object. */
    const builtInFlag = def.spec.undeletable ? def.spec.byCupi.get(def.spec.undeletable)?.name : undefined;
    const objects = makeObjects(def);
    const check = makeCheck(def);
    let configured: ConnectionSettings = {};
    let source: SettingsSource | undefined;

    /** The origin a resource's connection points at now: its own `connection` over the stack configuration over CUC_*. */
    const originOf = (props: Props) => {
        const conn = props.connection as ConnectionSettings | undefined;
        const server = conn?.server ?? configured.server ?? process.env[SETTINGS.server.env];
        return typeof server === "string" && !isUnknown(server) ? safeOrigin(server) : undefined;
    };

    /** The client for a resource: its own `connection` over the stack configuration over CUC_*. */
    function clientFor(props: Props): CupiClient {
        const client = getClient(mergeSettings(configured, props.connection as ConnectionSettings | undefined), clientEvents());
        const recorded = props.cucServer;
        if (typeof recorded === "string" && recorded && normalizeServer(recorded) !== client.settings.origin) {
            throw new Error(
                `this ${def.kind} lives on ${recorded}, but the connection now points at ${client.settings.origin}; ` +
                    `refusing to touch another cluster. Point ${configKey("server")} (or the resource's connection) back at ` +
                    `${recorded}, or drop the resource from the state with \`pulumi state delete\``,
            );
        }
        return client;
    }

    /** Wraps a provider method: errors carry the type token and never a secret. */
    function guard<A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
        return async (...args: A) => {
            try {
                return await fn(...args);
            } catch (e) {
                const hint = isCupiError(e, "auth") && (op === "read" || op === "delete") ? REFUSED_HINT[source ?? "unknown"] : "";
                const err = new Error(redact(`${token} ${op}: ${(e as Error).message ?? String(e)}${hint}`));
                // No frames: the message says it all (and the dynamic host's echo of it is dropped).
                err.stack = "";
                reportedOnce(err);
                // A create that made the object but failed after: the host reports id and outputs.
                const partial = e as { id?: string; properties?: Props; reasons?: string[] };
                if (partial.id) Object.assign(err, { id: partial.id, properties: partial.properties, reasons: partial.reasons?.map(redact) });
                throw err;
            }
        };
    }

    /** How messages name the object a resource manages: its natural key (or display name), else its id. */
    const nameIn = (props: Props, objectId: string) => String(props[keyInput ?? ""] ?? props.displayName ?? objectId);

    // ------------------------------------------------------------------ diff
    /** Whether an input's new value equals the old output: member lists as sets (or in order). */
    function sameInput(key: string, a: unknown, b: unknown): boolean {
        const m = lists.get(key);
        // Stryker disable next-line ConditionalExpression,MethodExpression: the old outputs never hold the unknown sentinel, so a list with one never equals them; the guard says so without relying on it
        if (m) return !Array.isArray(a) || a.some(isUnknown) ? false : sameMembers(m, a, b);
        const c = childSets.get(key);
        if (c) return !childrenChanged(c, a, b);
        const r = rowLists.get(key);
        if (r) return !JSON.stringify(a ?? null).includes(UNKNOWN) && sameRows(r, a, b);
        return same(a, b);
    }

    /** Managed inputs present in `news` whose value differs from the old outputs. */
    function changedKeys(olds: Props, news: Props): string[] {
        const changed: string[] = [];
        for (const key of [...inputFields.keys(), ...extras.keys(), ...lists.keys(), ...childSets.keys(), ...rowLists.keys()]) {
            if (ignored.has(key) || key in withs) continue;
            // Children put back when let go (a user's handler) change when the program drops them too.
            if (news[key] === undefined && !(childSets.get(key)?.restore && olds[key] !== undefined)) continue;
            if (isUnknown(news[key]) || !sameInput(key, news[key], olds[key])) changed.push(key);
        }
        const conn = news.connection as Props | undefined;
        if (conn && (isUnknown(conn) || !same(conn, olds.connection))) changed.push("connection");
        else if (!conn && olds.connection) changed.push("connection");
        return changed;
    }

    /** What an update writes: the changed inputs, and those written only with one of them (split skips those the program does not set). */
    const sendKeys = (changed: string[]) => [...changed, ...Object.entries(withs).filter(([, w]) => changed.includes(w)).map(([k]) => k)];

    function replaceKeys(olds: Props, news: Props, changed: string[]): string[] {
        return changed.filter((key) => {
            if (key === "connection") {
                // What holds data never moves (check refuses another server); new credentials are an update.
                if (def.holdsData) return false;
                // Moving to another cluster is a new object; new credentials for the same one are not.
                const conn = news.connection as Props | undefined;
                if (isUnknown(conn) || isUnknown(conn?.server)) return true;
                const origin = originOf(news);
                // Stryker disable next-line LogicalOperator: origin is undefined only for a server check() refuses, so diff never sees one
                return Boolean(olds.cucServer && origin && origin !== olds.cucServer);
            }
            return Boolean(inputFields.get(key)?.replace || extras.get(key)?.replace);
        });
    }

    /** The dynamic host's DiffResult, plus the changed inputs (the native host's detailed diff). */
    async function diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult & { changed: string[] }> {
        const changed = changedKeys(olds, news);
        const replaces = replaceKeys(olds, news, changed);
        // Another server under an existing resource (the stack's or the provider's configuration
        // changed): replacing would delete the object there to create one here. Only a resource's
        // own `connection` moving it, for what holds no data, is a replacement; anything else is refused in the plan.
        const origin = originOf(news);
        if (typeof olds.cucServer === "string" && olds.cucServer && origin && origin !== olds.cucServer && !replaces.includes("connection")) {
            throw new Error(
                `this ${def.kind} (${nameIn(olds, id)}) lives on ${olds.cucServer}, but the configuration now points at ${origin}: ` +
                    `Pulumi would delete it there to create it here${def.holdsData ? `, and with it ${def.holdsData}` : ""}. Point ${configKey("server")} ` +
                    "(or the provider's server) back, use another stack for the other server, or `pulumi state delete` the resource",
            );
        }
        // A unique name (the natural key) the user chose would collide with the object being replaced.
        const deleteBeforeReplace = replaces.length > 0 && keyInput !== undefined && news.__autoNamed !== true &&
            // Stryker disable next-line StringLiteral: either side's stand-in for "no name" is compared with the same stand-in
            String(news[keyInput] ?? "").toLowerCase() === String(olds[keyInput] ?? "").toLowerCase();
        // Inputs whose change is no change: said once per plan, so that the program's edit is not silently lost.
        const changedAlone = (k: string) => news[k] !== undefined && olds[k] !== undefined && !isUnknown(news[k]) && !same(news[k], olds[k]);
        const inert = [...[...ignored].filter(changedAlone), ...Object.keys(withs).filter((k) => changedAlone(k) && !changed.includes(withs[k]))];
        if (inert.length) {
            const why = inert.map((k) => (withs[k] ? `${k} is written only with ${withs[k]}: it takes effect the next time ${withs[k]} changes` : `${k} is used only when the ${def.phrase} is created`));
            log(`${token} ${nameIn(olds, id)}: ${why.join("; ")} (no change)`);
        }
        // The dynamic host (no source) passes no changed keys to the engine, which then shows a
        // change of a secret as nothing at all: say which secrets change (the native host shows them).
        const secrets = source ? [] : changed.filter((k) => inputFields.get(k)?.secret);
        if (secrets.length) log(`${token} ${nameIn(olds, id)}: changes the secret ${secrets.join(" and ")} (which the preview does not show)`);
        return { changes: changed.length > 0, replaces, deleteBeforeReplace, stables: ["objectId", "uri", "cucServer"], changed };
    }

    // ------------------------------------------------------------------ outputs
    /** Managed inputs present in `values`, in a stable order. */
    const managedIn = (values: Props) => [...inputFields.keys(), ...extras.keys(), ...lists.keys(), ...childSets.keys(), ...rowLists.keys()].filter((k) => values[k] !== undefined).sort();

    /** The definition's carried outputs: from the object as it was before (create, adopt), else kept. */
    const carried = (from: { before?: CupiRecord; props?: Props }): Props => Object.fromEntries((def.carried ?? []).flatMap((c) => {
        const v = from.before ? from.before[c.from] ?? "" : from.props?.[c.name];
        return v === undefined ? [] : [[c.name, v]];
    }));

    /**
     * Outputs (the definition's `outputs`): what the server holds (the object's record, and the
     * parts and member lists read with it, by name), plus the managed inputs it cannot return
     * (write-only secrets, join-time values), so the engine's old outputs can be diffed against new
     * inputs; the carried ones come from `carriedOuts`.
     */
    function outputsFrom(record: CupiRecord, values: Props, managed: string[], client: CupiClient, carriedOuts: Props = {}, extrasRead: Props = {}): Props {
        const outs: Props = {};
        for (const o of def.outputs) {
            if (o.from === "field" && record[o.field.cupi] !== undefined) outs[o.name] = record[o.field.cupi];
            else if (o.from === "part" && extrasRead[o.name] !== undefined) outs[o.name] = extrasRead[o.name];
            // A set in the program's order when the server holds the same members (a refresh then shows no change), else the server's.
            else if (o.from === "members" && extrasRead[o.name] !== undefined) outs[o.name] = sameMembers(o.members, extrasRead[o.name], values[o.name]) ? memberIds(values[o.name]) : extrasRead[o.name];
            else if (o.from === "children" && extrasRead[o.name] !== undefined) outs[o.name] = extrasRead[o.name];
            // Rows in the program's order when the server holds the same ones, else the server's.
            else if (o.from === "rows" && extrasRead[o.name] !== undefined) outs[o.name] = sameRows(o.rows, values[o.name], extrasRead[o.name]) ? values[o.name] : extrasRead[o.name];
            else if (o.from === "server") outs[o.name] = client.settings.origin;
        }
        for (const key of managed) {
            const f = inputFields.get(key);
            if (nested(key)) {
                // As read with the object, else as the program set it.
                // Stryker disable next-line ConditionalExpression: a managed list is in the values or read with the object; an unset one must never read as "no members"
                if (outs[key] === undefined && values[key] !== undefined) outs[key] = lists.has(key) ? memberIds(values[key]) : values[key];
            } else if (!f || f.access === "wo" || ignored.has(key) || key in withs || outs[key] === undefined) outs[key] = values[key];
            // A write-only value never set here (an import) as far as the server shows it.
            if (outs[key] === undefined && def.readBack?.[key]) outs[key] = def.readBack[key](record);
        }
        if (def.parent && values[def.parent.input] !== undefined) outs[def.parent.input] = values[def.parent.input];
        if (values.connection) outs.connection = values.connection;
        if (values.__cucName !== undefined) outs.__cucName = values.__cucName;
        if (values.__autoNamed === true) outs.__autoNamed = true;
        if (values.__restore !== undefined) outs.__restore = values.__restore;
        outs.__managed = managed;
        return { ...outs, ...carriedOuts };
    }

    function parse(id: string) {
        const parsed = def.parseId(id);
        if (!parsed) throw new Error(`'${id}' is not a valid id for ${token}: expected ${def.idFormat}`);
        return parsed;
    }

    /** The values with the parent's ObjectId from the resource id. */
    const withParent = (values: Props, parentId?: string): Props => (def.parent && parentId ? { ...values, [def.parent.input]: parentId } : values);

    /** One resource per object per deployment: a second claim is a program error. */
    function claim(client: CupiClient, objectId: string): void {
        const key = `${client.settings.origin}|${def.spec.kind}|${objectId}`;
        if (claimed.has(key)) {
            throw new Error(`${def.kind} ${objectId} on ${client.settings.origin} is already managed by another resource in this program (${claimed.get(key)}); adopt or patch each object once`);
        }
        claimed.set(key, `${def.kind} ${objectId}`);
    }

    /** A write CUPI refused with 400: explained by the object holding a value that must be unique, if one does. */
    async function explained<T>(client: CupiClient, body: CupiRecord, selfId: string | undefined, write: () => Promise<T>): Promise<T> {
        try {
            return await write();
        } catch (e) {
            if (!isCupiError(e, "validation")) throw e;
            const clash = await objects.explainClash(client, body, selfId);
            throw clash ? new Error(clash) : e;
        }
    }

    /**
     * Writes what the object's own request cannot carry: its parts (one PUT each) and its member
     * lists. `applied` hears every input written, so that a failure reports only those.
     */
    async function writeRest(client: CupiClient, objectId: string, values: Props, keys: string[], fresh: boolean, applied: (names: string[]) => void): Promise<void> {
        const { parts } = objects.split(values, keys);
        await objects.writeParts(client, objectId, parts, applied);
        for (const key of keys) {
            const m = lists.get(key);
            // Stryker disable next-line ConditionalExpression: the keys hold only lists the program sets; an unset one must never read as "no members"
            if (!m || values[key] === undefined) continue;
            await objects.syncMembers(client, objectId, m, memberIds(values[key]), fresh);
            applied([key]);
        }
        for (const key of keys) {
            const r = rowLists.get(key);
            if (!r || !Array.isArray(values[key])) continue;
            await syncRows(client, r, objectId, values[key] as Props[], fresh);
            applied([key]);
        }
    }

    /**
     * Writes the fixed children that changed (`olds`: what the state knew; none on create), under
     * the object they live under; returns what restore sets remember of them before (`__restore`).
     */
    async function writeKids(client: CupiClient, objectId: string, where: Props | CupiRecord, news: Props, olds: Props, keys: string[], applied: (names: string[]) => void): Promise<Props | undefined> {
        const remembered: Props = { ...(olds.__restore as Props | undefined) };
        for (const key of keys) {
            const set = childSets.get(key);
            if (!set) continue;
            const owner = ownerOf(set, objectId, where, exposedName(set.under));
            if (!owner) throw new Error(`${def.kind} ${objectId}: no ${set.under} to find its ${set.name} under`);
            const before = await writeChildren(client, set, owner, news[key], olds[key], remembered[key] as Before | undefined);
            // Only a set put back when let go remembers anything (writeChildren reads for no other).
            if (Object.keys(before).length) remembered[key] = before;
            else delete remembered[key];
            applied([key]);
        }
        return Object.keys(remembered).length ? remembered : undefined;
    }

    /** The managed children and rows as the server holds them, with the object's own record to find where the children live. */
    async function readNested(client: CupiClient, objectId: string, record: CupiRecord, managed: readonly string[], props: Props): Promise<Props> {
        const out: Props = {};
        for (const key of managed) {
            const set = childSets.get(key);
            const r = rowLists.get(key);
            if (set) {
                const owner = ownerOf(set, objectId, record, exposedName(set.under));
                if (owner) out[key] = await readChildren(client, set, owner, props[key]);
            } else if (r) out[key] = await readRows(client, r, objectId);
        }
        return out;
    }

    /**
     * The object a refused create meets: the one with the body's natural key, if every value the
     * program sets that CUPI returns is the same on it (else an error naming the differences and
     * how to adopt it); undefined when there is none.
     */
    async function madeBefore(client: CupiClient, body: CupiRecord, parentId?: string): Promise<string | undefined> {
        const key = def.spec.key;
        // Stryker disable next-line ConditionalExpression: every kind with a key requires it or names it automatically; the guard says so
        if (!key || body[key] === undefined) return undefined;
        const found = await byKey(client, def.spec, body, parentId)();
        if (!found) return undefined;
        const record = await def.ops.get(client, found, parentId);
        if (!record) return undefined;
        // What the body carries that CUPI returns, other on the server; not a part's input, nor one used only at creation.
        const other = def.inputs.filter((f) => f.access !== "wo" && body[f.cupi] !== undefined && !same(body[f.cupi], record[f.cupi]));
        // Stryker disable next-line ConditionalExpression,LogicalOperator,MethodExpression: implied today (the body holds no part's field; every ignored input is write-only), said without relying on it
        const differs = other.filter((f) => !def.partOf.has(f.name) && !ignored.has(f.name));
        if (differs.length) {
            throw new Error(
                `a ${def.phrase} with ${key} ${String(body[key])} already exists (${found}) with other values (${differs.map((f) => `${f.name}: program ${JSON.stringify(body[f.cupi])}, server ${JSON.stringify(record[f.cupi])}`).join("; ")}): ` +
                    `adopt it (adopt: "${def.makeId(found, parentId)}"), or choose another ${def.spec.byCupi.get(key)!.name}`,
            );
        }
        log(`${token}: ${def.phrase} ${String(body[key])} (${found}) already exists with the program's values, made by a run that did not save its state: taking it over`);
        return found;
    }

    const adoption: AdoptContext = {
        def, managedIn, claim, log, sameInput,
        readExtras: async (client, objectId, managed, record, values) => ({ ...(await objects.readExtras(client, objectId, managed)), ...(await readNested(client, objectId, record, managed, values)) }),
        write: async (client, objectId, parentId, values, keys) => {
            const { main } = objects.split(values, keys);
            if (Object.keys(main).length) await explained(client, main, objectId, () => def.ops.update(client, objectId, main, parentId));
            await writeRest(client, objectId, values, keys, false, () => undefined);
            // Children are written against what the server holds now; where they live is in the record.
            if (!keys.some((k) => childSets.has(k))) return undefined;
            const record = await def.ops.get(client, objectId, parentId);
            // Stryker disable next-line ConditionalExpression: adopt reads the object back next and names it gone there
            return record ? writeKids(client, objectId, record, values, await readNested(client, objectId, record, keys, values), keys, () => undefined) : undefined;
        },
        outputsFrom: (record, values, managed, client, before, extrasRead) => outputsFrom(record, values, managed, client, carried({ before }), extrasRead),
    };

    // ------------------------------------------------------------------ CRUD
    async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const client = clientFor(inputs);
        if (inputs.adopt !== undefined) return adopt(adoption, client, inputs);
        if (def.existing) claim(client, String(inputs[def.existing.input]));
        const all = managedIn(inputs);
        const { main } = objects.split(inputs, inputFields.keys());
        const body: CupiRecord = { ...def.createDefaults, ...main };
        const parentId = def.parent ? String(inputs[def.parent.input]) : undefined;
        const { objectId, recovered, before, followUp } = await explained(client, body, undefined, () => def.ops.create(client, body, inputs, parentId).catch(async (e: unknown) => {
            // CUPI refuses a second object with the same natural key. One with the program's values
            // is this resource's, made by a run that stopped before saving its state (skipped
            // checkpoints, a killed run): take it over instead of failing. Another is not ours.
            const mine = isCupiError(e, "validation") ? await madeBefore(client, body, parentId) : undefined;
            if (!mine) throw e;
            const taken: Awaited<ReturnType<typeof def.ops.create>> = { objectId: mine, recovered: true };
            return taken;
        }));
        const id = def.makeId(objectId, parentId);
        const kept = carried({ before });
        // What the POST carried is applied; the parts and member lists follow.
        const pending = new Set(all.filter((k) => def.partOf.has(k) || nested(k)));
        try {
            // One budget: the client already sends each of these up to cuc:retries + 1 times. If that
            // is not enough, the object is reported with the failure below for the next run to finish.
            if (followUp && Object.keys(followUp).length) await def.ops.update(client, objectId, followUp, parentId);
            // A recovered object may hold members an interrupted run added: read them before adding.
            await writeRest(client, objectId, inputs, [...pending], !recovered, (names) => names.forEach((n) => pending.delete(n)));
            const record = await def.ops.get(client, objectId, parentId);
            if (!record) throw new Error(`created ${objectId} on ${client.settings.origin}, but it cannot be read back`);
            // The children exist with the object (from its template): their PUTs need where they live, in the record.
            const restore = await writeKids(client, objectId, record, inputs, {}, [...pending], (names) => names.forEach((n) => pending.delete(n)));
            if (recovered) log(`${token}: the create request was interrupted; found ${def.recordName(record)} (${objectId}) on the server and kept it instead of creating a duplicate`);
            return { id, outs: outputsFrom(record, restore ? { ...inputs, __restore: restore } : inputs, all, client, kept) };
        } catch (e) {
            // The object exists now: report it with the failure, so the engine records it and the
            // next `pulumi up` finishes the job (an update of what is not applied yet, which the
            // state does not claim) instead of creating a duplicate.
            const done = all.filter((k) => !pending.has(k));
            const partial = outputsFrom({ ObjectId: objectId, ...body }, inputs, done, client, kept);
            throw Object.assign(new Error(`created ${objectId}, but could not finish: ${(e as Error).message}`), { id, properties: partial, reasons: [(e as Error).message] });
        }
    }

    async function read(id: string, props: Props = {}): Promise<pulumi.dynamic.ReadResult> {
        const { objectId, parentId } = parse(id);
        const client = clientFor(props);
        // A refresh reads every object of the stack: in pages of the kind's collection where that is cheaper.
        const record = await (def.ops.read ?? def.ops.get)(client, objectId, parentId);
        // Stryker disable next-line ObjectLiteral: both hosts read a result without an id as "gone" and ignore its props
        if (!record) return { id: "", props: {} }; // gone: refresh drops it
        const previous = { ...withParent(props, parentId) };
        if (def.existing && previous[def.existing.input] === undefined) previous[def.existing.input] = objectId;
        const managed = Array.isArray(props.__managed) ? (props.__managed as string[]) : [];
        const outs = outputsFrom(record, previous, managed, client, carried({ props }), { ...(await objects.readExtras(client, objectId, managed)), ...(await readNested(client, objectId, record, managed, props)) });
        // Inputs as the server holds them, for the fields the user manages; secrets from state.
        const inputs: Props = {};
        for (const key of managed) inputs[key] = outs[key];
        for (const key of ["connection", "__cucName", "__autoNamed"]) if (props[key] !== undefined) inputs[key] = props[key];
        return { id, props: outs, inputs: withParent(inputs, parentId) };
    }

    async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const { objectId, parentId } = parse(id);
        const client = clientFor({ ...news, cucServer: olds.cucServer });
        const keys = sendKeys(changedKeys(olds, news));
        const { main } = objects.split(news, keys);
        if (Object.keys(main).length) {
            try {
                await explained(client, main, objectId, () => def.ops.update(client, objectId, main, parentId));
            } catch (e) {
                // CUPI answers a PUT to a deleted object 404, or 400 DATA_EXCEPTION "... not found".
                if (!isCupiError(e, "not-found") && !isCupiError(e, "validation")) throw e;
                if (await def.ops.get(client, objectId, parentId)) throw e;
                throw new Error(
                    `${def.kind} ${objectId} no longer exists on ${client.settings.origin} (deleted outside Pulumi?): ` +
                        "run `pulumi refresh` to drop it from the state, or `pulumi up --refresh` to create it again",
                );
            }
        }
        await writeRest(client, objectId, news, keys, false, () => undefined);
        // Where the children live is known from the state (an exposed output) before the object is read again.
        const restore = await writeKids(client, objectId, olds, news, olds, keys, () => undefined);
        const record = await def.ops.get(client, objectId, parentId);
        if (!record) throw new Error(`${objectId} disappeared from ${client.settings.origin} during the update; run \`pulumi refresh\``);
        const values = withParent(restore ? { ...news, __restore: restore } : news, parentId);
        // A part, list or nested set not written equals what the state knew (diff compared them), so the inputs say it.
        return { outs: outputsFrom(record, values, managedIn(values), client, carried({ props: olds })) };
    }

    async function remove(id: string, props: Props): Promise<void> {
        const { objectId, parentId } = parse(id);
        const client = clientFor(props);
        const name = nameIn(props, objectId);
        if (builtInFlag && props[builtInFlag] === true) {
            // Built into Connection (Undeletable): CUPI would refuse, and the system needs it.
            log(`warning: ${token} ${name} (${objectId}) is built into Connection and is never deleted; it is only removed from the stack`);
            // What the program changed of its children goes back to what it was.
            for (const set of def.children ?? []) {
                const remembered = (props.__restore as Props | undefined)?.[set.name] as Before | undefined;
                const owner = ownerOf(set, objectId, props, exposedName(set.under));
                if (set.restore && remembered && owner) await restoreAll(client, set, owner, remembered);
            }
            return;
        }
        try {
            await def.ops.remove(client, objectId, withParent(props, parentId), parentId);
        } catch (e) {
            // CUPI refuses to delete what others still refer to: name them, and how to get past it.
            if (!def.dependents || !isCupiError(e, "validation")) throw e;
            const who = await def.dependents(client, objectId).catch(() => [] as string[]);
            if (!who.length) throw e;
            throw new Error(
                `${def.phrase} ${name} (${objectId}) is still referred to by ${who.join("; ")}: CUPI refuses to delete it. ` +
                    `Point those at another ${def.phrase} first, or keep it (remove it from the program with the retainOnDelete option, or \`pulumi state delete\`)`,
            );
        }
        claimed.delete(`${client.settings.origin}|${def.spec.kind}|${objectId}`);
    }

    return {
        configure: async (req: ConfigureRequest) => {
            configured = settingsFromConfig((key) => req.config.get(key));
            source = req.source;
            // A bad value in the stack's configuration is named here, not as an odd failure later.
            const problems = checkSettings(configured as Props, undefined, (k) => settingLabel(k as SettingName));
            if (problems.length) {
                const err = new Error(redact(`${token}: the stack configuration is not usable: ${problems.map((p) => p.reason).join("; ")}`));
                err.stack = "";
                throw reportedOnce(err);
            }
            registerSecretSettings(configured);
        },
        check: guard("check", async (olds: Props, news: Props, naming?: Naming) => {
            const { warnings, ...result } = check(olds, news, naming);
            for (const w of warnings) log(`${token} ${nameIn(result.inputs, naming?.name ?? def.kind)}: ${w}`, "warning");
            if (def.holdsData && typeof olds.cucServer === "string" && olds.cucServer) {
                // What a delete would destroy never moves: the object on the other server would be a new one.
                const target = originOf(result.inputs);
                if (target && target !== olds.cucServer) {
                    result.failures.push({
                        property: "connection",
                        reason: `this ${def.kind} lives on ${olds.cucServer} and holds ${def.holdsData}: it cannot move to ${target} (a new one there, and the old one deleted, would lose it). ` +
                            "Point the connection back, or make a new resource for the other server",
                    });
                }
            }
            // The engine prints a failed property's value with its message, secrets included:
            // a failure on a secret value that is there names the field in the reason only. A
            // reason may quote a value that holds a secret (a password pasted into another setting).
            const hide = (f: { property: string }) => inputFields.get(f.property)?.secret && news[f.property] !== undefined;
            return { ...result, failures: result.failures.map((f) => ({ property: hide(f) ? "" : f.property, reason: redact(f.reason) })) };
        }),
        diff: guard("diff", diff),
        create: guard("create", create),
        read: guard("read", read),
        update: guard("update", update),
        delete: guard("delete", remove),
    };
}

function safeOrigin(server: string): string | undefined {
    try {
        return normalizeServer(server);
        // Stryker disable next-line BlockStatement: an empty catch returns undefined too
    } catch {
        return undefined;
    }
}
