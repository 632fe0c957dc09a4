/**
 * The native provider plugin (`pulumi-resource-cuc`): Pulumi's ResourceProvider gRPC protocol,
 * served with the stubs in `@pulumi/pulumi/proto` (the SDK's own provider server passes no
 * configuration and has no CheckConfig/DiffConfig). It is a second host over the same engine as
 * the dynamic providers: every call goes to the engine's providers (makeProvider) or to the
 * data-source runners; this file only translates the protocol. One process serves one provider
 * (default or explicit).
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { getClient } from "../../client/pool";
import { redact, registerSecret } from "../../client/cupi-error";
import { checkSettings, mergeSettings, normalizeServer, quotableServer, resolveSettings, SECRET_SETTINGS, settingLabel, settingsFromConfig, SETTING_NAMES, unknownSettings, type ConnectionSettings, type SettingName } from "../../client/settings";
import type { Naming } from "../../engine/naming";
import { DATA_SOURCES, runList, runOne, type DataSourceDef } from "../../engine/datasources";
import { clientEvents, setLogSink, type ConfigureRequest, type Provider } from "../../engine/provider";
import { providers } from "../../engine/registry";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import { RESOURCES, type ResourceDef } from "../../resources";
import { isUnknown, UNKNOWN, type Props } from "../../engine/values";
import { configKey, nativeToken, PACKAGE } from "../../client/package";
import { buildSchema, outputProperties } from "./schema";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION: string = require("../../../../package.json").version;

type Call<Req> = grpc.ServerUnaryCall<Req, unknown>;
type Callback<Res> = (err: grpc.ServiceError | null | Partial<grpc.StatusObject>, res?: Res) => void;

/** `urn:pulumi:<stack>::<project>::<parent types$>cuc:index:<Kind>::<name>` -> Kind. */
const kindOf = (urn: string) => urn.split("::")[2].split("$").pop()!.replace(nativeToken(""), "");
/** Pulumi's signature key of a secret value in a Struct (`{ <sig>: <secret sig>, value }`). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Plain values: secrets unwrapped (this provider keeps them out of every output it writes). */
function plain(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        const o = v as Props;
        if (o[SIG] === SECRET_SIG) return plain(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}
const js = (s: structproto.Struct | undefined): Props => (s ? (plain(s.toJavaScript()) as Props) : {});
/** Struct from plain values: undefined dropped (protobuf has no such value). */
const struct = (v: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Record<string, structproto.JavaScriptValue>);

/** The provider's own settings from Configure/CheckConfig inputs (`server`, ... or `cuc:config:server`). */
function settingsOf(args: Props, variables?: Map<string, string>): ConnectionSettings {
    return settingsFromConfig((key) => {
        const name = key.slice(configKey("").length);
        const v = args[name] ?? variables?.get(configKey(`config:${name}`));
        return v === undefined || v === null || isUnknown(v) ? undefined : String(v);
    });
}

/** An error as gRPC status; a create that made the object carries it (ErrorResourceInitFailed). */
function failure(e: unknown): Partial<grpc.StatusObject> {
    const err = e as Error & { id?: string; properties?: Props; reasons?: string[] };
    const message = redact(err.message ?? String(e));
    const metadata = new grpc.Metadata();
    if (err.id) {
        const detail = new provproto.ErrorResourceInitFailed();
        detail.setId(err.id);
        detail.setProperties(struct(err.properties ?? {}));
        // Stryker disable next-line ArrayDeclaration: the engine's guard always gives a failed create's reasons
        detail.setReasonsList(err.reasons ?? []);
        const any = new anyproto.Any();
        any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status();
        status.setCode(grpc.status.UNKNOWN);
        status.setMessage(message);
        status.addDetails(any);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return { code: grpc.status.UNKNOWN, details: message, metadata };
}

function unary<Req, Res>(fn: (req: Req) => Promise<Res>) {
    return (call: Call<Req>, callback: Callback<Res>) => {
        fn(call.request).then((res) => callback(null, res), (e) => callback(failure(e)));
    };
}

/**
 * The declared secrets among values (a resource's secret fields, the secret settings) as Pulumi
 * secrets: the engine keeps them so in state whatever the program sent. It would mark again only
 * what it stripped itself (acceptSecrets is false), and a program may give a literal (YAML, imports).
 */
function sealed(values: Props, secrets: readonly string[]): Props {
    const out = { ...values };
    for (const k of secrets) if (out[k] !== undefined && !isUnknown(out[k])) out[k] = { [SIG]: SECRET_SIG, value: out[k] };
    return out;
}

/** Checked inputs, secrets sealed, and reasons with no registered secret in them (the engine prints them). */
function checkResponse(inputs: Props, failures: { property: string; reason: string }[], secrets: readonly string[]): provproto.CheckResponse {
    const resp = new provproto.CheckResponse();
    resp.setInputs(struct(sealed(inputs, secrets)));
    resp.setFailuresList(failures.map((f) => {
        const cf = new provproto.CheckFailure();
        cf.setProperty(f.property);
        cf.setReason(redact(f.reason));
        return cf;
    }));
    return resp;
}

/**
 * Auto-naming from what the engine gives, for programs in any language: the resource name, the
 * stack and project from the URN (our TypeScript SDK's scope also names the organization, which
 * the engine does not pass), and the stack's `pulumi:autonaming`. The random seed is not used:
 * the engine draws a new one for every preview and up, and a preview must show the name up creates.
 */
function namingOf(req: provproto.CheckRequest, news: Props): Naming {
    const [head, project] = req.getUrn().split("::");
    // Stryker disable next-line Regex: "urn:pulumi:" occurs once in a URN, at its start
    const stack = head.replace(/^urn:pulumi:/, "");
    const scope = typeof news.__cucScope === "string" ? news.__cucScope : `${project}/${stack}`;
    const naming: Naming = { name: req.getName() || req.getUrn().split("::").slice(3).join("::"), scope };
    const auto = req.getAutonaming();
    if (auto) {
        const Mode = provproto.CheckRequest.AutonamingOptions.Mode;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: naming.ts uses the engine's proposed name alike for enforce and propose
        const mode = auto.getMode() === Mode.DISABLE ? "disable" : auto.getMode() === Mode.ENFORCE ? "enforce" : "propose";
        naming.autonaming = { mode, proposedName: auto.getProposedName() };
    }
    return naming;
}

export class NativeProvider {
    private settings: ConnectionSettings = {};
    /** CheckConfig came before Configure: the program ran (see checkConfig). */
    private configChecked = false;

    /** The engine's provider for a kind (the same one per process the dynamic shims use), and its secret inputs. */
    private engine(kind: string): { def: ResourceDef; engine: Provider; secrets: string[] } {
        const def = RESOURCES[kind];
        if (!def) throw new Error(`unknown resource type ${nativeToken(kind)}; this provider serves ${Object.keys(RESOURCES).join(", ")}`);
        return { def, engine: providers[kind], secrets: def.inputs.filter((f) => f.secret).map((f) => f.name) };
    }

    readonly service: Record<string, unknown> = {
        getPluginInfo: unary(async () => new plugproto.PluginInfo().setVersion(VERSION)),
        getSchema: unary(async () => new provproto.GetSchemaResponse().setSchema(JSON.stringify(buildSchema(VERSION)))),
        cancel: unary(async () => new emptyproto.Empty()),
        attach: unary(async () => new emptyproto.Empty()),

        checkConfig: unary(async (req: provproto.CheckRequest) => {
            const news = js(req.getNews());
            // Settings only, unknown values left out (settingsOf).
            const typed = settingsOf(news);
            // Before any message: another setting's value may hold it (credentials in a server URL).
            registerSecret(typed.password);
            // The engine checks a provider's configuration only when the program runs (not for
            // refresh/destroy from the state): what Configure then gets is the current configuration.
            this.configChecked = true;
            const unknownKeys = Object.keys(news).filter((k) => !(SETTING_NAMES as string[]).includes(k) && k !== "version");
            const problems = checkSettings(typed as Props, undefined, (k) => settingLabel(k as SettingName));
            // With every value known, what the client would refuse at the first request is named now:
            // a missing server or credentials (none in CUC_* either), an unreadable CA file.
            if (!problems.length && Object.values(news).every((v) => !isUnknown(v))) {
                try {
                    resolveSettings(typed);
                } catch (e) {
                    problems.push({ key: "", reason: (e as Error).message });
                }
            }
            // The engine prints a failed property's value with it: not a server that carries credentials.
            const quotable = (key: string) => key !== "server" || typed.server === undefined || quotableServer(String(typed.server)) === String(typed.server);
            const failures = [
                ...problems.map((p) => ({ property: quotable(p.key) ? p.key : "", reason: p.reason })),
                // No property: the engine would print the value with it, and a misspelt key may hold a password.
                ...unknownKeys.map((k) => ({ property: "", reason: unknownSettings([k])! })),
            ];
            return checkResponse(news, failures, SECRET_SETTINGS);
        }),

        diffConfig: unary(async (req: provproto.DiffRequest) => {
            const olds = { ...js(req.getOlds()), ...js(req.getOldInputs()) };
            const news = js(req.getNews());
            const changed = SETTING_NAMES.filter((k) => String(olds[k] ?? "") !== String(news[k] ?? ""));
            // Never a replacement: the provider's resources would be deleted on the server they live on
            // (users' mailboxes with them). A resource on another server than the provider's refuses its plan instead (the engine's diff).
            const replaces: string[] = [];
            const resp = new provproto.DiffResponse();
            resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
            resp.setDiffsList(changed);
            resp.setReplacesList(replaces);
            return resp;
        }),

        configure: unary(async (req: provproto.ConfigureRequest) => {
            const variables = new Map(req.getVariablesMap().toArray() as [string, string][]);
            this.settings = settingsOf(js(req.getArgs()), variables);
            registerSecret(this.settings.password);
            const problems = checkSettings(this.settings as Props, undefined, (k) => settingLabel(k as SettingName));
            if (problems.length) throw new Error(`the ${PACKAGE} provider's configuration is not usable: ${problems.map((p) => p.reason).join("; ")}`);
            // The engine reads `cuc:*` keys: the checked configuration is handed over in that form.
            const config = { get: (key: string) => stringSetting(this.settings, key) };
            const source = this.configChecked ? "program" : "state";
            for (const engine of Object.values(providers)) await engine.configure!({ config, source } as ConfigureRequest);
            const resp = new provproto.ConfigureResponse();
            resp.setAcceptsecrets(false);
            resp.setSupportspreview(true);
            resp.setAcceptresources(false);
            resp.setAcceptoutputs(false);
            // Check then gets the stack's pulumi:autonaming for each resource (see namingOf).
            resp.setSupportsAutonamingConfiguration(true);
            return resp;
        }),

        invoke: unary(async (req: provproto.InvokeRequest) => {
            const name = req.getTok().replace(nativeToken(""), "");
            const d = DATA_SOURCES.find((x) => x.list.name === name || x.one?.name === name);
            if (!d) throw new Error(`unknown function ${req.getTok()}; this provider has ${DATA_SOURCES.flatMap((x) => [x.list.name, ...(x.one ? [x.one.name] : [])]).join(", ")}`);
            const args = js(req.getArgs());
            // Its warnings and retries reach the engine like those of resources (a function often connects first).
            const client = getClient(mergeSettings(this.settings), clientEvents());
            const result = d.one?.name === name ? await runOne(client, d as DataSourceDef, args) : await runList(client, d, args);
            return new provproto.InvokeResponse().setReturn(struct(result));
        }),

        check: unary(async (req: provproto.CheckRequest) => {
            const { engine, secrets } = this.engine(kindOf(req.getUrn()));
            const news = js(req.getNews());
            const { inputs, failures } = await engine.check(js(req.getOlds()), news, namingOf(req, news));
            return checkResponse(inputs, failures ?? [], secrets);
        }),

        diff: unary(async (req: provproto.DiffRequest) => {
            const { engine } = this.engine(kindOf(req.getUrn()));
            const olds = js(req.getOlds());
            const news = js(req.getNews());
            const r = await engine.diff!(req.getId(), olds, news);
            const resp = new provproto.DiffResponse();
            // Stryker disable ArrayDeclaration,BooleanLiteral: the engine's diff always sets changed, replaces, stables and deleteBeforeReplace
            const changed = (r as { changed?: string[] }).changed ?? [];
            resp.setChanges(r.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
            resp.setReplacesList(r.replaces ?? []);
            resp.setStablesList(r.stables ?? []);
            resp.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
            resp.setDiffsList(changed);
            const detailed = resp.getDetaileddiffMap();
            for (const key of changed) {
                const pd = new provproto.PropertyDiff();
                const replaces = (r.replaces ?? []).includes(key);
                const added = olds[key] === undefined;
                pd.setKind(added ? (replaces ? provproto.PropertyDiff.Kind.ADD_REPLACE : provproto.PropertyDiff.Kind.ADD)
                    : replaces ? provproto.PropertyDiff.Kind.UPDATE_REPLACE : provproto.PropertyDiff.Kind.UPDATE);
                // Stryker restore ArrayDeclaration,BooleanLiteral
                pd.setInputdiff(true);
                detailed.set(key, pd);
            }
            resp.setHasdetaileddiff(true);
            return resp;
        }),

        create: unary(async (req: provproto.CreateRequest) => {
            const { def, engine, secrets } = this.engine(kindOf(req.getUrn()));
            const inputs = js(req.getProperties());
            const resp = new provproto.CreateResponse();
            if (req.getPreview()) {
                // What the server will compute is unknown; what the program set is known.
                const outs: Props = Object.fromEntries(Object.keys(outputProperties(def)).map((k) => [k, UNKNOWN]));
                for (const [k, v] of Object.entries(inputs)) outs[k] = v;
                return resp.setId("").setProperties(struct(sealed(outs, secrets)));
            }
            const r = await engine.create(inputs).catch((e: { properties?: Props }) => {
                // A create that made the object reports its outputs with the error (see failure).
                // Stryker disable next-line OptionalChaining: the engine's guard always throws an Error
                if (e?.properties) e.properties = sealed(e.properties, secrets);
                throw e;
            });
            return resp.setId(r.id).setProperties(struct(sealed(r.outs ?? {}, secrets)));
        }),

        read: unary(async (req: provproto.ReadRequest) => {
            const { def, engine, secrets } = this.engine(kindOf(req.getUrn()));
            const props = js(req.getProperties());
            // `pulumi import`: no state yet; the inputs are every managed field the server holds.
            const importing = Object.keys(props).length === 0 && Object.keys(js(req.getInputs())).length === 0;
            const given = importing ? { __managed: [...def.inputs.map((f) => f.name), ...(def.members ?? []).map((m) => m.name), ...(def.extraInputs ?? []).map((x) => x.name)] } : props;
            const r = await engine.read!(req.getId(), given);
            // Stryker disable next-line all: the engine's read of a gone object gives id "" and no props; the engine reads both as gone
            const resp = new provproto.ReadResponse().setId(r.id ?? "");
            // Stryker disable next-line ConditionalExpression: see above
            if (!r.id) return resp;
            const inputs = { ...(r.inputs ?? {}) };
            // CUPI's "" for a field that is not set is no input of the program (undefined: struct drops it).
            if (importing) for (const [k, v] of Object.entries(inputs)) if (v === "") delete inputs[k];
            return resp.setProperties(struct(sealed(r.props ?? {}, secrets))).setInputs(struct(sealed(inputs, secrets)));
        }),

        update: unary(async (req: provproto.UpdateRequest) => {
            const { engine, secrets } = this.engine(kindOf(req.getUrn()));
            const olds = js(req.getOlds());
            const news = js(req.getNews());
            if (req.getPreview()) {
                // An in-place update keeps the object (and its ObjectId): the old outputs with the new inputs.
                return new provproto.UpdateResponse().setProperties(struct(sealed({ ...olds, ...news }, secrets)));
            }
            const r = await engine.update!(req.getId(), olds, news);
            return new provproto.UpdateResponse().setProperties(struct(sealed(r.outs ?? {}, secrets)));
        }),

        delete: unary(async (req: provproto.DeleteRequest) => {
            const { engine } = this.engine(kindOf(req.getUrn()));
            await engine.delete!(req.getId(), js(req.getProperties()));
            return new emptyproto.Empty();
        }),
    };
}

/** The `cuc:*` string form of a setting, as the engine's configure reads it. */
function stringSetting(s: ConnectionSettings, key: string): string | undefined {
    const v = (s as Props)[key.slice(configKey("").length)];
    return v === undefined ? undefined : String(v);
}

/** A running plugin: the loopback port it listens on, and how to stop it (and give the log sink back). */
export interface RunningPlugin {
    port: number;
    stop(): Promise<void>;
}

/**
 * Starts the protocol on a free loopback port with a provider of its own. With the engine's
 * address, the engine's messages go to its Log service until stop.
 */
export async function start(engineAddress?: string): Promise<RunningPlugin> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 1 << 30, "grpc.max_send_message_length": 1 << 30 });
    server.addService(provrpc.ResourceProviderService as unknown as grpc.ServiceDefinition, new NativeProvider().service as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    // The engine shows a plugin's messages it receives through its Log service (not its stderr).
    const engine = engineAddress ? new engrpc.EngineClient(engineAddress, grpc.credentials.createInsecure()) : undefined;
    const previousSink = engine && setLogSink((message, level) => {
        const req = new engproto.LogRequest().setSeverity(level === "warning" ? engproto.LogSeverity.WARNING : engproto.LogSeverity.INFO).setMessage(message);
        engine.log(req, () => undefined);
    });
    return {
        port,
        stop: async () => {
            await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
            if (previousSink) setLogSink(previousSink);
            engine?.close();
        },
    };
}

/** Serves the protocol and prints the port, as the engine expects (main.ts). */
export async function serve(engineAddress = process.argv[2]): Promise<void> {
    const { port } = await start(engineAddress);
    process.stdout.write(`${port}\n`);
}
