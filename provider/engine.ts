/**
 * makeProvider(def): the one engine behind every resource's dynamic provider (check, diff,
 * create, read, update, delete). The serialized provider in state is only a shim (shim.ts) that
 * loads this module by package name, so old state always runs the installed code.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { getClient, type CupiClient } from "./client/client";
import type { CupiRecord } from "./client/codec";
import { isCupiError, redact, registerSecret } from "./client/errors";
import { withRetries } from "./client/retry";
import { checkSettings, mergeSettings, normalizeServer, settingsFromConfig, type ConnectionSettings } from "./client/settings";
import type { ExtraInput, ResourceDef } from "./resources";
import { appliesTo, FORMATS, GUID_RE, isMandatory, type Field, type Scalar } from "./specs/types";

/** What an unknown input looks like to a dynamic provider during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const isUnknown = (v: unknown) => v === UNKNOWN;

/** Inputs every resource accepts besides its fields (`__cuc*`: set by the SDK, for auto-naming). */
const COMMON_INPUTS = ["connection", "__cucName", "__cucScope", "adopt", "adoptMode"];
const ADOPT_MODES = ["verify", "overwrite"];
type Props = Record<string, unknown>;
interface Failure {
    property: string;
    reason: string;
}

export interface Provider extends pulumi.dynamic.ResourceProvider {
    /** The configuration read by configure() (for tests). */
    readonly configured: ConnectionSettings;
}

const log = (message: string) => process.stderr.write(`${redact(message)}\n`);

/**
 * `pulumi refresh` and `pulumi destroy` do not run the program: the provider gets the settings
 * stored in the state by the last `pulumi up`. After a password rotation they fail with the old one.
 */
const STORED_SETTINGS_HINT =
    "; `pulumi refresh` and `pulumi destroy` use the connection settings stored in the state by the last `pulumi up`: " +
    "if the password changed since, run `pulumi up` first, or `pulumi refresh --run-program` / `pulumi destroy --run-program`";

/** Auto-names of existing objects seen by check in this process (one deployment), lower case. */
const takenNames = new Set<string>();

/** Objects adopted or patched in this process (one deployment): origin|kind|ObjectId -> who. */
const claimed = new Map<string, string>();

export function makeProvider(def: ResourceDef): Provider {
    const token = `cuc:${def.kind}`;
    const inputFields = new Map(def.inputs.map((f) => [f.name, f] as const));
    const extras = new Map((def.extraInputs ?? []).map((x) => [x.name, x] as const));
    const createOnly = new Set(def.createOnlyInputs ?? []);
    const known = new Set([...inputFields.keys(), ...extras.keys(), ...COMMON_INPUTS, "__autoNamed"]);
    let configured: ConnectionSettings = {};

    /** The client for a resource: its own `connection` over the stack configuration over CUC_*. */
    function clientFor(props: Props): CupiClient {
        const client = getClient(mergeSettings(configured, props.connection as ConnectionSettings | undefined), {
            onWarning: log,
            // CUC_DEBUG=1: one line per retry, to see throttling and flaky links.
            onRetry: process.env.CUC_DEBUG ? ({ error, attempt, delayMs }) => log(`cuc: retry ${attempt} in ${delayMs} ms after ${error.message}`) : undefined,
        });
        const recorded = props.cucServer;
        if (typeof recorded === "string" && recorded && normalizeServer(recorded) !== client.settings.origin) {
            throw new Error(
                `this ${def.kind} lives on ${recorded}, but the connection now points at ${client.settings.origin}; ` +
                    "refusing to touch another cluster. Point cuc:server (or the resource's connection) back at " +
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
                const hint = isCupiError(e, "auth") && (op === "read" || op === "delete") ? STORED_SETTINGS_HINT : "";
                const err = new Error(redact(`${token} ${op}: ${(e as Error).message ?? String(e)}${hint}`));
                err.stack = err.message;
                // A create that made the object but failed after: the host reports id and outputs.
                const partial = e as { id?: string; properties?: Props; reasons?: string[] };
                if (partial.id) Object.assign(err, { id: partial.id, properties: partial.properties, reasons: partial.reasons?.map(redact) });
                throw err;
            }
        };
    }

    // ------------------------------------------------------------------ check
    function checkField(f: Field, value: unknown, failures: Failure[]): unknown {
        const fail = (reason: string) => void failures.push({ property: f.name, reason });
        const where = `(CUPI field ${f.cupi})`;
        if (f.type === "boolean") {
            if (typeof value !== "boolean") return fail(`${f.name} must be true or false, got ${JSON.stringify(value)} ${where}`), value;
            return value;
        }
        if (f.type === "integer") {
            let v = value;
            const alias = typeof v === "string" ? def.aliases?.[f.name]?.[v.trim().toLowerCase()] : undefined;
            if (alias !== undefined) v = alias;
            const allowed = f.enum ? Object.entries(f.enum).map(([n, label]) => `${n} (${label})`).join(", ") : "";
            if (typeof v !== "number" || !Number.isInteger(v)) {
                return fail(`${f.name} must be ${f.enum ? `one of ${allowed}` : "a whole number"}, got ${JSON.stringify(value)} ${where}`), value;
            }
            if (f.enum && !(String(v) in f.enum)) return fail(`${f.name} must be one of ${allowed}, got ${v} ${where}`), value;
            if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
                return fail(`${f.name} must be between ${f.min} and ${f.max}, got ${v} ${where}`), value;
            }
            return v;
        }
        if (typeof value !== "string") return fail(`${f.name} must be a string, got ${JSON.stringify(value)} ${where}`), value;
        const v = f.secret ? value : value.trim();
        if (f.maxLength !== undefined && v.length > f.maxLength) fail(`${f.name} is ${v.length} characters long; CUPI accepts at most ${f.maxLength} ${where}`);
        // eslint-disable-next-line no-control-regex
        else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) fail(`${f.name} contains control characters, which CUPI refuses ${where}`);
        else if (/\uFFFD/.test(v)) fail(`${f.name} contains a replacement character (U+FFFD): the text was not valid UTF-8 ${where}`);
        else if (f.pattern && !f.pattern.test(v)) fail(`${f.name} ${JSON.stringify(v)} is not valid: ${f.doc} ${where}`);
        else if (f.format && v !== "" && !FORMATS[f.format].test(v)) fail(`${f.name} ${JSON.stringify(v)} is not ${FORMATS[f.format].expected} ${where}`);
        else if (f.mandatory === true && v === "" && !f.secret) fail(`${f.name} must not be empty ${where}`);
        return v;
    }

    function checkExtra(x: ExtraInput, value: unknown, failures: Failure[]): unknown {
        if (x.type === "boolean" && typeof value !== "boolean") failures.push({ property: x.name, reason: `${x.name} must be true or false, got ${JSON.stringify(value)}` });
        if (x.type === "string" && typeof value !== "string") failures.push({ property: x.name, reason: `${x.name} must be a string, got ${JSON.stringify(value)}` });
        else if (x.guid && typeof value === "string" && !GUID_RE.test(value.trim())) {
            failures.push({ property: x.name, reason: `${x.name} '${value}' is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555)` });
        }
        return typeof value === "string" ? value.trim().toLowerCase() : value;
    }

    function checkConnection(value: unknown, failures: Failure[]): unknown {
        if (isUnknown(value)) return value;
        if (!value || typeof value !== "object" || Array.isArray(value)) {
            failures.push({ property: "connection", reason: "connection must be an object like { server, username, password }" });
            return value;
        }
        for (const { key, reason } of checkSettings(value as Props, isUnknown)) failures.push({ property: `connection.${key}`, reason });
        const password = (value as Props).password;
        if (typeof password === "string") registerSecret(password);
        return value;
    }

    async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
        const failures: Failure[] = [];
        const inputs: Props = {};
        for (const [key, value] of Object.entries(news)) {
            if (key === "__provider" || value === undefined || value === null) continue;
            if (!known.has(key)) {
                const hint = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
                failures.push({ property: key, reason: `${def.kind} has no input '${key}'${hint ? `; did you mean '${hint}'?` : ""}` });
                continue;
            }
            const f = inputFields.get(key);
            const x = extras.get(key);
            if (f?.secret && typeof value === "string") registerSecret(value);
            inputs[key] = isUnknown(value) ? value
                : f ? checkField(f, value, failures)
                : x ? checkExtra(x, value, failures)
                : key === "connection" ? checkConnection(value, failures)
                : value;
        }
        const parent = def.parentInput;
        const adopting = inputs.adopt !== undefined;
        if (adopting && !isUnknown(inputs.adopt)) {
            const parsed = typeof inputs.adopt === "string" ? def.parseId(inputs.adopt.trim()) : undefined;
            if (!parsed) {
                failures.push({ property: "adopt", reason: `adopt '${String(inputs.adopt)}' is not the id of an existing ${def.kind}: expected ${def.idFormat}` });
            } else {
                inputs.adopt = def.makeId(parsed.objectId, parsed.parentId);
                // An adopted AXL server names its phone system in the id.
                if (parent && parsed.parentId && inputs[parent] === undefined) inputs[parent] = parsed.parentId;
                if (parent && parsed.parentId && typeof inputs[parent] === "string" && !isUnknown(inputs[parent]) && String(inputs[parent]).toLowerCase() !== parsed.parentId) {
                    failures.push({ property: "adopt", reason: `adopt names phone system ${parsed.parentId}, but ${parent} is ${String(inputs[parent])}` });
                }
                if (def.kind === "PortGroupMwi" && inputs.portGroupId === undefined) inputs.portGroupId = parsed.objectId;
            }
        }
        if (inputs.adoptMode !== undefined && !isUnknown(inputs.adoptMode) && !ADOPT_MODES.includes(String(inputs.adoptMode))) {
            failures.push({ property: "adoptMode", reason: `adoptMode must be "verify" (fail on any difference) or "overwrite" (PUT the program's values), not ${JSON.stringify(inputs.adoptMode)}` });
        }
        if (parent && typeof inputs[parent] === "string" && !isUnknown(inputs[parent])) {
            const v = String(inputs[parent]).trim().toLowerCase();
            if (!GUID_RE.test(v)) failures.push({ property: parent, reason: `${parent} '${inputs[parent]}' is not a phone system ObjectId (a GUID); pass a PhoneSystem's objectId` });
            inputs[parent] = v;
        }
        // Mandatory fields, per server type where CUPI makes them so.
        const discField = def.spec.discriminator ? def.spec.byCupi.get(def.spec.discriminator) : undefined;
        const disc = discField ? inputs[discField.name] : undefined;
        const discValue = typeof disc === "number" ? disc : undefined;
        const discLabel = discField?.enum && discValue !== undefined ? ` for ${discField.enum[String(discValue)]} (${discField.name} ${discValue})` : "";
        for (const f of def.inputs) {
            if (inputs[f.name] !== undefined) {
                if (discValue !== undefined && !appliesTo(f, discValue)) {
                    failures.push({ property: f.name, reason: `${f.name} does not apply${discLabel}; remove it (CUPI field ${f.cupi})` });
                }
            } else if (!adopting && !(def.autoName && f.cupi === "DisplayName") && isMandatory(f, discValue) && (f.mandatory === true || !isUnknown(disc))) {
                failures.push({ property: f.name, reason: `${f.name} is required${f.mandatory === true ? "" : discLabel}: ${f.doc} (CUPI field ${f.cupi})` });
            }
        }
        for (const x of extras.values()) {
            if (x.mandatory && inputs[x.name] === undefined) failures.push({ property: x.name, reason: `${x.name} is required: ${x.doc}` });
        }
        if (parent && inputs[parent] === undefined) failures.push({ property: parent, reason: `${parent} is required: the ObjectId of the phone system this ${def.kind} belongs to` });
        if (def.rules) failures.push(...def.rules(inputs, olds, isUnknown));
        // Auto-naming: keep the generated name across updates; a fresh one for a new object.
        // (An adopted object keeps the name it has unless the program sets one.)
        const isNew = !Object.keys(olds).some((k) => k !== "__provider");
        if (def.autoName && inputs.displayName === undefined && !adopting && (isNew || olds.__autoNamed === true)) {
            const prefix = typeof news.__cucName === "string" && news.__cucName ? news.__cucName : def.kind.toLowerCase();
            const keep = olds.__autoNamed === true && typeof olds.displayName === "string" && olds.__cucName === news.__cucName;
            inputs.displayName = keep ? olds.displayName : autoName(prefix, news.__cucScope);
            if (keep) takenNames.add(String(olds.displayName).toLowerCase());
            inputs.__autoNamed = true;
        } else {
            delete inputs.__autoNamed;
        }
        return { inputs, failures };
    }

    /**
     * `<prefix>-<7 hex digits>`, the same in preview and up: the Node dynamic-provider host gives
     * check no random seed, so the suffix is a hash of the stack, kind and resource name. A
     * replacement (checked again with no olds right after the check that kept the old name)
     * takes the next candidate, so it never collides with the object it replaces.
     */
    function autoName(prefix: string, scope: unknown): string {
        for (let n = 0; ; n++) {
            const suffix = createHash("sha256").update(`${String(scope ?? "")}|${def.kind}|${prefix}|${n}`).digest("hex").slice(0, 7);
            const name = `${prefix.slice(0, 55)}-${suffix}`;
            if (!takenNames.has(name.toLowerCase())) return name;
        }
    }

    // ------------------------------------------------------------------ diff
    /** Managed inputs present in `news` whose value differs from the old outputs. */
    function changedKeys(olds: Props, news: Props): string[] {
        const changed: string[] = [];
        for (const key of [...inputFields.keys(), ...extras.keys()]) {
            if (createOnly.has(key) || news[key] === undefined) continue;
            if (isUnknown(news[key]) || !same(news[key], olds[key])) changed.push(key);
        }
        const conn = news.connection as Props | undefined;
        if (conn && (isUnknown(conn) || !same(conn, olds.connection))) changed.push("connection");
        else if (!conn && olds.connection) changed.push("connection");
        return changed;
    }

    function replaceKeys(olds: Props, news: Props, changed: string[]): string[] {
        return changed.filter((key) => {
            if (key === def.parentInput) return true;
            if (key === "connection") {
                // Moving to another cluster is a new object; new credentials for the same one are not.
                const conn = news.connection as Props | undefined;
                if (isUnknown(conn) || isUnknown(conn?.server)) return true;
                const server = (conn?.server as string | undefined) ?? configured.server ?? process.env.CUC_SERVER;
                const origin = server ? safeOrigin(server) : undefined;
                return Boolean(olds.cucServer && origin && origin !== olds.cucServer);
            }
            return Boolean(inputFields.get(key)?.replace || extras.get(key)?.replace);
        });
    }

    async function diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        const changed = changedKeys(olds, news);
        const replaces = replaceKeys(olds, news, changed);
        // A unique DisplayName the user chose would collide with the object being replaced.
        const deleteBeforeReplace = replaces.length > 0 && Boolean(def.spec.uniqueDisplayName) && news.__autoNamed !== true &&
            String(news.displayName ?? "").toLowerCase() === String(olds.displayName ?? "").toLowerCase();
        return { changes: changed.length > 0, replaces, deleteBeforeReplace, stables: ["objectId", "uri", "cucServer"] };
    }

    // ------------------------------------------------------------------ outputs
    function cupiBody(inputs: Props, keys: Iterable<string>): CupiRecord {
        const body: CupiRecord = {};
        for (const key of keys) {
            const f = inputFields.get(key);
            const v = inputs[key];
            if (f && v !== undefined && !isUnknown(v)) body[f.cupi] = v as Scalar;
        }
        return body;
    }

    /** Managed inputs present in `values`, in a stable order. */
    const managedIn = (values: Props) => [...inputFields.keys(), ...extras.keys()].filter((k) => values[k] !== undefined).sort();

    /**
     * Outputs: what the server holds, plus the managed inputs it cannot return (write-only
     * secrets, join-time values), so the engine's old outputs can be diffed against new inputs.
     */
    function outputsFrom(record: CupiRecord, values: Props, managed: string[], client: CupiClient, extra: Props = {}): Props {
        const outs: Props = {};
        for (const f of def.spec.fields) {
            if (f.access !== "wo" && record[f.cupi] !== undefined) outs[f.name] = record[f.cupi];
        }
        for (const key of managed) {
            const f = inputFields.get(key);
            if (!f || f.access === "wo" || createOnly.has(key) || outs[key] === undefined) outs[key] = values[key];
        }
        if (def.parentInput && values[def.parentInput] !== undefined) outs[def.parentInput] = values[def.parentInput];
        outs.cucServer = client.settings.origin;
        if (values.connection) outs.connection = values.connection;
        if (values.__cucName !== undefined) outs.__cucName = values.__cucName;
        if (values.__autoNamed === true) outs.__autoNamed = true;
        outs.__managed = managed;
        return { ...outs, ...extra };
    }

    function parse(id: string) {
        const parsed = def.parseId(id);
        if (!parsed) throw new Error(`'${id}' is not a valid id for ${token}: expected ${def.idFormat}`);
        return parsed;
    }

    const EXTRA_OUTPUTS = ["previousMwiOnCode", "previousMwiOffCode"];
    const carried = (props: Props) => Object.fromEntries(EXTRA_OUTPUTS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

    // ------------------------------------------------------------------ CRUD
    /**
     * Takes over an existing object instead of creating one: GET it, compare the program's
     * managed values with the server's, then fail with the differences ("verify") or PUT the
     * program's values ("overwrite"). Write-only passwords cannot be compared.
     */
    async function adopt(client: CupiClient, inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const { objectId, parentId } = parse(String(inputs.adopt));
        const mode = inputs.adoptMode === "overwrite" ? "overwrite" : "verify";
        claim(client, objectId);
        const record = await def.ops.get(client, objectId, parentId);
        if (!record) {
            throw new Error(`adopt: there is no ${def.kind} with id ${String(inputs.adopt)} on ${client.settings.origin}; check the id (cuc-import lists them) or remove adopt to create a new one`);
        }
        const differences: string[] = [];
        const body: CupiRecord = {};
        const uncompared: string[] = [];
        for (const key of managedIn(inputs)) {
            const f = inputFields.get(key);
            if (!f) continue;
            if (f.access === "wo" && f.cupi !== "RemoteServer") {
                uncompared.push(key);
                if (!createOnly.has(key)) body[f.cupi] = inputs[key] as Scalar;
                continue;
            }
            if (createOnly.has(key)) continue;
            // RemoteServer is write-only; the link's feeder URL names the host it was joined to.
            const server = f.cupi === "RemoteServer" ? /^https?:\/\/([^/]+)/.exec(String(record.BaseFeedURL ?? ""))?.[1] : record[f.cupi];
            const wanted = inputs[key];
            const equal = f.cupi === "RemoteServer" ? String(wanted).toLowerCase() === String(server ?? "").toLowerCase() : same(wanted, server);
            if (equal) continue;
            differences.push(`${key}: program ${JSON.stringify(wanted)}, server ${server === undefined ? "(not set)" : JSON.stringify(server)}`);
            if (f.replace || f.createOnly) {
                throw new Error(`adopt: ${key} of ${record.DisplayName ?? objectId} is ${JSON.stringify(server)} on the server and cannot be changed on an existing object; set ${key} to ${JSON.stringify(server)} in the program`);
            }
            body[f.cupi] = wanted as Scalar;
        }
        const name = String(record.DisplayName ?? record.HostOrIPAddress ?? objectId);
        if (mode === "verify" && differences.length) {
            throw new Error(
                `adopt: ${def.kind} ${name} (${objectId}) differs from the program in ${differences.length} field(s):\n  ` +
                    differences.join("\n  ") +
                    '\nChange the program to match, or set adoptMode: "overwrite" to write the program\'s values to the server.',
            );
        }
        if (uncompared.length) {
            log(`${token}: adopt: ${uncompared.join(", ")} cannot be read back from CUPI, so the program's values are taken as given`);
        }
        const write: CupiRecord = mode === "overwrite" ? body : {};
        if (def.kind === "HttpsLink") delete write.RemoteServer;
        if (Object.keys(write).length) await def.ops.update(client, objectId, write, parentId);
        const after = Object.keys(write).length ? await def.ops.get(client, objectId, parentId) : record;
        if (!after) throw new Error(`adopt: ${objectId} disappeared from ${client.settings.origin} while it was being adopted`);
        const extra = def.kind === "PortGroupMwi" ? { previousMwiOnCode: record.MwiOnCode ?? "", previousMwiOffCode: record.MwiOffCode ?? "" } : {};
        log(`adopted ${def.kind} ${name} (${objectId})${mode === "overwrite" && Object.keys(write).length ? `, writing ${Object.keys(write).join(", ")}` : ""}`);
        const values = { ...inputs, ...(parentId && def.parentInput ? { [def.parentInput]: parentId } : {}) };
        return { id: def.makeId(objectId, parentId), outs: outputsFrom(after, values, managedIn(values), client, extra) };
    }

    /** One resource per object per deployment: a second claim is a program error. */
    function claim(client: CupiClient, objectId: string): void {
        const key = `${client.settings.origin}|${def.spec.kind}|${objectId}`;
        if (claimed.has(key)) {
            throw new Error(`${def.kind} ${objectId} on ${client.settings.origin} is already managed by another resource in this program (${claimed.get(key)}); adopt or patch each object once`);
        }
        claimed.set(key, `${def.kind} ${objectId}`);
    }

    async function create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const client = clientFor(inputs);
        if (inputs.adopt !== undefined) return adopt(client, inputs);
        if (def.kind === "PortGroupMwi") claim(client, String(inputs.portGroupId));
        const body: CupiRecord = { ...def.createDefaults, ...cupiBody(inputs, inputFields.keys()) };
        const parentId = def.parentInput ? String(inputs[def.parentInput]) : undefined;
        const { objectId, recovered, extra, followUp } = await def.ops.create(client, body, inputs);
        const id = def.makeId(objectId, parentId);
        try {
            if (followUp && Object.keys(followUp).length) await patiently(client, () => def.ops.update(client, objectId, followUp, parentId));
            const record = await patiently(client, () => def.ops.get(client, objectId, parentId));
            if (!record) throw new Error(`created ${objectId} on ${client.settings.origin}, but it cannot be read back`);
            if (recovered) log(`${token}: the create request was interrupted; found ${record.DisplayName ?? objectId} (${objectId}) on the server and kept it instead of creating a duplicate`);
            return { id, outs: outputsFrom(record, inputs, managedIn(inputs), client, extra) };
        } catch (e) {
            // The object exists now: report it with the failure, so the engine records it and the
            // next `pulumi up` finishes the job (an update) instead of creating a duplicate.
            const partial = outputsFrom({ ObjectId: objectId, ...body }, inputs, managedIn(inputs), client, extra);
            throw Object.assign(new Error(`created ${objectId}, but could not finish: ${(e as Error).message}`), { id, properties: partial, reasons: [(e as Error).message] });
        }
    }

    async function read(id: string, props: Props = {}): Promise<pulumi.dynamic.ReadResult> {
        const { objectId, parentId } = parse(id);
        const client = clientFor(props);
        const record = await def.ops.get(client, objectId, parentId);
        if (!record) return { id: "", props: {} }; // gone: refresh drops it
        const previous: Props = { ...props };
        if (def.parentInput && parentId) previous[def.parentInput] = parentId;
        if (def.kind === "PortGroupMwi" && previous.portGroupId === undefined) previous.portGroupId = objectId;
        const managed = Array.isArray(props.__managed) ? (props.__managed as string[]) : [];
        const outs = outputsFrom(record, previous, managed, client, carried(props));
        // Inputs as the server holds them, for the fields the user manages; secrets from state.
        const inputs: Props = {};
        for (const key of managed) inputs[key] = outs[key];
        for (const key of ["connection", "__cucName", "__autoNamed"]) if (props[key] !== undefined) inputs[key] = props[key];
        if (def.parentInput && parentId) inputs[def.parentInput] = parentId;
        return { id, props: outs, inputs };
    }

    async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const { objectId, parentId } = parse(id);
        const client = clientFor({ ...news, cucServer: olds.cucServer });
        const changed = changedKeys(olds, news).filter((k) => inputFields.has(k));
        const body = cupiBody(news, changed);
        if (Object.keys(body).length) {
            try {
                await def.ops.update(client, objectId, body, parentId);
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
        const record = await def.ops.get(client, objectId, parentId);
        if (!record) throw new Error(`${objectId} disappeared from ${client.settings.origin} during the update; run \`pulumi refresh\``);
        const values = { ...news, ...(parentId && def.parentInput ? { [def.parentInput]: parentId } : {}) };
        return { outs: outputsFrom(record, values, managedIn(values), client, carried(olds)) };
    }

    async function remove(id: string, props: Props): Promise<void> {
        const { objectId, parentId } = parse(id);
        const client = clientFor(props);
        await def.ops.remove(client, objectId, { ...props, ...(parentId && def.parentInput ? { [def.parentInput]: parentId } : {}) });
        claimed.delete(`${client.settings.origin}|${def.spec.kind}|${objectId}`);
    }

    return {
        get configured() {
            return configured;
        },
        configure: async (req: pulumi.dynamic.ConfigureRequest) => {
            configured = settingsFromConfig((key) => {
                try {
                    return req.config.get(key);
                } catch {
                    return undefined;
                }
            });
            registerSecret(configured.password);
        },
        check: guard("check", check),
        diff: guard("diff", diff),
        create: guard("create", create),
        read: guard("read", read),
        update: guard("update", update),
        delete: guard("delete", remove),
    };
}

/**
 * After a successful POST the object exists, so its follow-up requests get a second retry budget
 * on top of the client's: failing here leaves a half-made object for the next `pulumi up`.
 */
function patiently<T>(client: CupiClient, fn: () => Promise<T>): Promise<T> {
    return withRetries(fn, client.retryOptions);
}

function safeOrigin(server: string): string | undefined {
    try {
        return normalizeServer(server);
    } catch {
        return undefined;
    }
}

/** Structural equality of input values (objects key-order independent). */
function same(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a === "string" && typeof b === "string") return a === b;
    if (a && b && typeof a === "object" && typeof b === "object") {
        const ka = Object.keys(a as Props).filter((k) => (a as Props)[k] !== undefined);
        const kb = Object.keys(b as Props).filter((k) => (b as Props)[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => same((a as Props)[k], (b as Props)[k]));
    }
    return false;
}
