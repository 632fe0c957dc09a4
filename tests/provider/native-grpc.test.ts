/**
 * The native plugin (`pulumi-resource-cuc`) over real gRPC, in-process: its server started on a
 * loopback port (hosts/native/server.ts `start`, as main.ts serves it), called with Pulumi's
 * generated client stubs as the engine calls it, against the simulator, with a fake Engine service
 * that records the plugin's log messages. Every request is built the way Pulumi's engine builds it
 * (sdk go/common/resource/plugin/provider_plugin.go): the plugin says acceptSecrets false, so
 * the engine sends secrets as plain values (Configure alone gets Pulumi's secret envelopes), and
 * keeps as secrets the envelopes the plugin returns: every declared secret comes back as one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { CupiClient, resolveSettings } from "../../provider/client";
import { unknownSettings } from "../../provider/client/settings";
import { DATA_SOURCES } from "../../provider/engine/datasources";
import { UNKNOWN } from "../../provider/engine/values";
import { start, type RunningPlugin } from "../../provider/hosts/native/server";
import { autoNameField, RESOURCES, type ResourceDef } from "../../provider/resources";
import { PhoneSystem } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { raw, ROOT, SECRET_SIG, sim } from "../helpers";
import { DATASET_CONTEXT, exampleInputs, type Props } from "./examples";

/* eslint-disable @typescript-eslint/no-require-imports */
const VERSION: string = require("../../../package.json").version;
/* eslint-enable @typescript-eslint/no-require-imports */

const CTX = DATASET_CONTEXT;
/** The simulator's default phone system: two users are associated with it, so CUC refuses to delete it. */
const DEFAULT_PHONE_SYSTEM = CTX.PhoneSystem;
const PASSWORD = "Native-Grpc-Pass-41";
const WRONG_PASSWORD = "Wrong-Grpc-Pass-52";
const READONLY = { user: "auditor", password: "Auditor-Grpc-Pass-63" };
const SERVICE_PASSWORD = "Ums-Grpc-Secret-74";
const NEW_SERVICE_PASSWORD = "Ums-Grpc-Secret-85";
const REMOTE_PASSWORD = "Remote-Grpc-Secret-96";
/** Passwords seen only by the test that uses them: no earlier call has registered them for redaction. */
const URL_PASSWORD_CHECK = "Url-Embedded-Pass-17";
const URL_PASSWORD_CONFIGURE = "Url-Embedded-Pass-28";
const NUMERIC_SECRET = 73914682;
/** Every secret this file sends; none may appear in an error (checked on each) or a log line. */
const SECRETS = [PASSWORD, WRONG_PASSWORD, READONLY.password, SERVICE_PASSWORD, NEW_SERVICE_PASSWORD, REMOTE_PASSWORD,
    URL_PASSWORD_CHECK, URL_PASSWORD_CONFIGURE, String(NUMERIC_SECRET), "Stored-Old-Pass-1", "Configured-Bad-Pass-2"];

const Mode = provproto.CheckRequest.AutonamingOptions.Mode;
const Changes = provproto.DiffResponse.DiffChanges;
const Kind = provproto.PropertyDiff.Kind;
/** Pulumi's secret envelope, as the engine sends a secret where it keeps secrets (Configure). */
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown): Props => ({ [SECRET_SIG]: SECRET_VALUE_SIG, value });
const struct = (v: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Record<string, structproto.JavaScriptValue>);
const js = (s: structproto.Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;
const urn = (kind: string, name: string, stack = "dev") => `urn:pulumi:${stack}::cuc-app::cuc:index:${kind}::${name}`;

/** Texts the engine prints must not hold any secret of this file. */
function noSecret(texts: string[], what: string): void {
    for (const text of texts) for (const value of SECRETS) expect(text, `a secret in ${what}`).not.to.contain(value);
}

/** A gRPC error as the engine reads it: its message (the status details), and what a create that made the object reports. */
class PluginError extends Error {
    constructor(message: string, readonly initFailed?: provproto.ErrorResourceInitFailed) {
        super(message);
    }
}

/** The error of a call; every text in it (message, status details, a failed create's reasons) is checked for secrets. */
function pluginError(e: grpc.ServiceError): PluginError {
    const texts = [e.details, e.message];
    let initFailed: provproto.ErrorResourceInitFailed | undefined;
    const bin = e.metadata?.get("grpc-status-details-bin")[0];
    if (bin) {
        const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
        texts.push(status.getMessage());
        for (const any of status.getDetailsList()) {
            if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
            initFailed = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
            texts.push(...initFailed.getReasonsList());
        }
    }
    noSecret(texts, "an error");
    return new PluginError(e.details, initFailed);
}

/** One plugin process's worth: the server in-process, and the engine's side of the connection. */
class Plugin {
    private constructor(private readonly running: RunningPlugin, private readonly client: grpc.Client) {}

    static async start(engineAddress?: string): Promise<Plugin> {
        const running = await start(engineAddress);
        // As the engine dials a plugin: messages up to 400 MB (rpcutil.MaxRPCMessageSize).
        return new Plugin(running, new provrpc.ResourceProviderClient(`127.0.0.1:${running.port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 << 20, "grpc.max_send_message_length": 400 << 20 }));
    }

    call<Res>(method: string, request: unknown): Promise<Res> {
        const fn = (this.client as unknown as Record<string, Function>)[method].bind(this.client) as (r: unknown, cb: (e: grpc.ServiceError | null, res: Res) => void) => void;
        return new Promise((resolve, reject) => fn(request, (e, res) => {
            if (!e) return resolve(res);
            try {
                reject(pluginError(e));
            } catch (leak) {
                reject(leak);
            }
        }));
    }

    /** The error of a call that must fail (a success fails the test). */
    async failure(method: string, request: unknown): Promise<PluginError> {
        const outcome = await this.call(method, request).then(() => undefined, (e: unknown) => e);
        if (outcome === undefined) expect.fail(`${method} succeeded; it must fail`);
        if (!(outcome instanceof PluginError)) throw outcome;
        return outcome;
    }

    configure(args: Props, variables: Record<string, string> = {}): Promise<provproto.ConfigureResponse> {
        const req = new provproto.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true).setSendsOldInputs(true);
        for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
        return this.call("configure", req);
    }

    async checkConfig(news: Props) {
        const req = new provproto.CheckRequest().setUrn("urn:pulumi:dev::cuc-app::pulumi:providers:cuc::default").setName("default")
            .setType("pulumi:providers:cuc").setNews(struct(news));
        const res = await this.call<provproto.CheckResponse>("checkConfig", req);
        return { inputs: js(res.getInputs()), failures: failuresOf(res) };
    }

    /** Check as the engine sends it: URN, name, random seed, and the stack's pulumi:autonaming if any. */
    async check(kind: string, name: string, o: { stack?: string; seed?: string; olds?: Props; news?: Props; autonaming?: [number, string] } = {}) {
        const req = new provproto.CheckRequest().setUrn(urn(kind, name, o.stack)).setName(name).setType(`cuc:index:${kind}`)
            .setRandomseed(Buffer.from(o.seed ?? "seed-1")).setOlds(struct(o.olds ?? {})).setNews(struct(o.news ?? {}));
        if (o.autonaming) req.setAutonaming(new provproto.CheckRequest.AutonamingOptions().setMode(o.autonaming[0]).setProposedName(o.autonaming[1]));
        const res = await this.call<provproto.CheckResponse>("check", req);
        return { inputs: js(res.getInputs()), failures: failuresOf(res) };
    }

    diff(kind: string, id: string, olds: Props, news: Props): Promise<provproto.DiffResponse> {
        return this.call("diff", new provproto.DiffRequest().setUrn(urn(kind, "r")).setId(id).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(olds)));
    }

    async create(kind: string, inputs: Props, preview = false) {
        const res = await this.call<provproto.CreateResponse>("create", this.createRequest(kind, inputs, preview));
        return { id: res.getId(), outs: js(res.getProperties()) };
    }

    createRequest(kind: string, inputs: Props, preview = false) {
        return new provproto.CreateRequest().setUrn(urn(kind, "r")).setName("r").setType(`cuc:index:${kind}`).setProperties(struct(inputs)).setPreview(preview);
    }

    async read(kind: string, id: string, props: Props, inputs: Props = {}) {
        const res = await this.call<provproto.ReadResponse>("read", this.readRequest(kind, id, props, inputs));
        return { id: res.getId(), props: js(res.getProperties()), inputs: js(res.getInputs()) };
    }

    readRequest(kind: string, id: string, props: Props, inputs: Props = {}) {
        return new provproto.ReadRequest().setUrn(urn(kind, "r")).setId(id).setProperties(struct(props)).setInputs(struct(inputs));
    }

    async update(kind: string, id: string, olds: Props, news: Props, preview = false) {
        const req = new provproto.UpdateRequest().setUrn(urn(kind, "r")).setId(id).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(olds)).setPreview(preview);
        return js((await this.call<provproto.UpdateResponse>("update", req)).getProperties());
    }

    deleteRequest(kind: string, id: string, props: Props) {
        return new provproto.DeleteRequest().setUrn(urn(kind, "r")).setId(id).setProperties(struct(props)).setOldInputs(struct(props));
    }

    async invoke(fn: string, args: Props): Promise<Props> {
        const res = await this.call<provproto.InvokeResponse>("invoke", new provproto.InvokeRequest().setTok(`cuc:index:${fn}`).setArgs(struct(args)));
        return js(res.getReturn());
    }

    async stop(): Promise<void> {
        this.client.close();
        await this.running.stop();
    }
}

/** Check failures, which the engine prints: checked for secrets. */
function failuresOf(res: provproto.CheckResponse) {
    const failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    noSecret(failures.map((f) => f.reason), "a check failure");
    return failures;
}

/** Pulumi's Engine service, as far as a provider uses it: Log. It records every message. */
async function fakeEngine() {
    const logs: engproto.LogRequest[] = [];
    const waiters: { match: (m: string) => boolean; resolve: (m: string) => void }[] = [];
    const server = new grpc.Server();
    server.addService(engrpc.EngineService as unknown as grpc.ServiceDefinition, {
        log: (call: grpc.ServerUnaryCall<engproto.LogRequest, emptyproto.Empty>, cb: grpc.sendUnaryData<emptyproto.Empty>) => {
            logs.push(call.request);
            for (const w of waiters.filter((x) => x.match(call.request.getMessage()))) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(call.request.getMessage());
            }
            cb(null, new emptyproto.Empty());
        },
    } as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    return {
        address: `127.0.0.1:${port}`,
        messages: () => logs.map((l) => l.getMessage()),
        /** The severity of every message that matches. */
        severities: (match: (m: string) => boolean) => logs.filter((l) => match(l.getMessage())).map((l) => l.getSeverity()),
        /** The first message (already received or still to come) that matches; the test's timeout bounds the wait. */
        waitFor: (match: (m: string) => boolean) => {
            const seen = logs.map((l) => l.getMessage()).find(match);
            return seen !== undefined ? Promise.resolve(seen) : new Promise<string>((resolve) => waiters.push({ match, resolve }));
        },
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}

/** A valid program for a kind without our SDK's hidden inputs, as Pulumi YAML or Go sends it. */
const program = (kind: string, suffix = ""): Props => {
    const { __cucName: _sdkOnly, ...news } = exampleInputs(RESOURCES[kind], "minimal", CTX, suffix);
    return news;
};

describe("native plugin over gRPC (pulumi-resource-cuc in-process)", function () {
    this.timeout(20_000);
    let s: Simulator;
    let engine: Awaited<ReturnType<typeof fakeEngine>>;
    let plugin: Plugin;
    /** The provider configuration as `cuc:*` keys give it (strings), quick retries for the fault tests. */
    let settings: Props;
    const data = async () => JSON.parse((await raw(s, "GET", "/__sim/data")).body) as Record<string, Props[]>;
    const stored = async (kind: string, objectId: string) => (await data())[kind]?.find((r) => String(r.ObjectId).toLowerCase() === objectId.toLowerCase());
    const requests = async () => (JSON.parse((await raw(s, "GET", "/__sim/stats")).body) as { requests: number }).requests;
    const faults = (knobs: Record<string, number>) => raw(s, "POST", "/__sim/faults", { body: JSON.stringify(knobs), contentType: "application/json" });

    before(async () => {
        s = await sim({ password: PASSWORD, readOnlyUser: READONLY });
        settings = { server: s.url, username: s.user, password: PASSWORD, retryBaseMs: "5" };
        engine = await fakeEngine();
        plugin = await Plugin.start(engine.address);
    });
    after(async () => {
        await plugin?.stop();
        await engine?.stop();
        await s?.close();
    });

    describe("GetPluginInfo and GetSchema", () => {
        it("give the package's version, and the schema shipped as schema.json, naming every resource and function", async () => {
            const info = await plugin.call<plugproto.PluginInfo>("getPluginInfo", new emptyproto.Empty());
            expect(info.getVersion()).to.equal(VERSION);
            const res = await plugin.call<provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
            const schema = JSON.parse(res.getSchema()) as { name: string; version: string; resources: Props; functions: Props; config: { variables: Record<string, { secret?: boolean }> } };
            expect(schema).to.deep.equal(JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8")));
            expect(schema.name).to.equal("cuc");
            expect(schema.version).to.equal(VERSION);
            expect(Object.keys(schema.resources).sort()).to.deep.equal(Object.keys(RESOURCES).map((k) => `cuc:index:${k}`).sort());
            expect(Object.keys(schema.functions)).to.include.members(DATA_SOURCES.map((d) => `cuc:index:${d.list.name}`));
            expect(schema.config.variables.password.secret).to.equal(true);
        });
    });

    describe("Configure", () => {
        after(async () => {
            await plugin.configure(settings);
        });

        it("declares plain values (acceptSecrets false: the engine marks secret again what comes back under the same key), previews, no references or outputs, pulumi:autonaming", async () => {
            const res = await plugin.configure(settings);
            expect(res.getAcceptsecrets()).to.equal(false);
            expect(res.getSupportspreview()).to.equal(true);
            expect(res.getAcceptresources()).to.equal(false);
            expect(res.getAcceptoutputs()).to.equal(false);
            // The engine sends the stack's pulumi:autonaming to Check only for providers that ask.
            expect(res.getSupportsAutonamingConfiguration()).to.equal(true);
        });

        it("reads its args, else the engine's variables (cuc:config:*); args win where both are given", async () => {
            const variables = (v: Props) => Object.fromEntries(Object.entries(v).map(([k, x]) => [`cuc:config:${k}`, String(x)]));
            const phoneSystems = async () => ((await plugin.invoke("getPhoneSystems", {})).phoneSystems as Props[]).map((p) => p.objectId);
            await plugin.configure({}, variables(settings));
            expect(await phoneSystems()).to.deep.equal([DEFAULT_PHONE_SYSTEM]);
            await plugin.configure(settings, variables({ ...settings, password: WRONG_PASSWORD }));
            expect(await phoneSystems()).to.deep.equal([DEFAULT_PHONE_SYSTEM]);
            await plugin.configure({ ...settings, password: WRONG_PASSWORD }, variables(settings));
            const refused = await plugin.failure("invoke", new provproto.InvokeRequest().setTok("cuc:index:getPhoneSystems").setArgs(struct({})));
            expect(refused.message).to.contain("401");
        });

        it("takes a secret password as Pulumi's secret envelope (the engine keeps secrets in Configure's args)", async () => {
            await plugin.configure({ ...settings, password: secret(PASSWORD) });
            const found = await plugin.invoke("getPhoneSystem", { displayName: "PhoneSystem" });
            expect(found.objectId).to.equal(DEFAULT_PHONE_SYSTEM);
        });

        it("refuses a bad value, naming the setting", async () => {
            const e = await plugin.failure("configure", new provproto.ConfigureRequest().setArgs(struct({ ...settings, maxConcurrent: "2.5" })));
            expect(e.message).to.equal("the cuc provider's configuration is not usable: cuc:maxConcurrent (CUC_MAX_CONCURRENT) must be a whole number >= 1, got 2.5");
        });

        it("takes a setting given as null, or not known yet, as not set", async () => {
            try {
                await plugin.configure({ ...settings, timeoutMs: UNKNOWN, caCert: null });
                expect(await plugin.invoke("getPhoneSystem", { displayName: "PhoneSystem" })).to.include({ objectId: DEFAULT_PHONE_SYSTEM });
            } finally {
                await plugin.configure(settings);
            }
        });
    });

    describe("CheckConfig", () => {
        it("without a server (none in CUC_* either) names cuc:server and how to set it", async () => {
            const saved = { CUC_SERVER: process.env.CUC_SERVER, CUC_USERNAME: process.env.CUC_USERNAME, CUC_PASSWORD: process.env.CUC_PASSWORD };
            for (const k of Object.keys(saved)) delete process.env[k];
            try {
                const { failures } = await plugin.checkConfig({ username: s.user, password: PASSWORD });
                expect(failures).to.have.length(1);
                expect(failures[0].property).to.equal("");
                expect(failures[0].reason).to.contain("cuc:server").and.to.contain("pulumi config set cuc:server");
            } finally {
                for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
            }
        });

        it("names cuc:caCert and the path of an unreadable or non-PEM CA file, never its contents", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-native-grpc-"));
            try {
                const missing = path.join(dir, "missing-ca.pem");
                const a = await plugin.checkConfig({ ...settings, caCert: missing });
                expect(a.failures).to.have.length(1);
                expect(a.failures[0].reason).to.contain("cuc:caCert").and.to.contain(missing).and.to.contain("ENOENT");
                const wrongFile = path.join(dir, "password.txt");
                fs.writeFileSync(wrongFile, `not a certificate: ${PASSWORD}\n`);
                const b = await plugin.checkConfig({ ...settings, caCert: wrongFile });
                expect(b.failures).to.have.length(1);
                expect(b.failures[0].reason).to.contain("cuc:caCert").and.to.contain(wrongFile).and.to.contain("no PEM certificate in it");
                expect(b.failures[0].reason).not.to.contain(PASSWORD).and.not.to.contain("not a certificate");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("names an unknown key with the closest setting, in the words of the dynamic program's check, without its value", async () => {
            const { failures } = await plugin.checkConfig({ ...settings, serverr: "cuc.example.com" });
            // An empty property: the engine prints a failed property's value, and `cuc:passwd` would hold a password.
            expect(failures).to.deep.equal([{ property: "", reason: unknownSettings(["serverr"]) }]);
            expect(failures[0].reason).to.contain("cuc:serverr is not a setting of this provider").and.to.contain("did you mean cuc:server?")
                .and.to.contain("cuc:username, cuc:password");
            const misspeltPassword = await plugin.checkConfig({ ...settings, passwrod: PASSWORD });
            expect(misspeltPassword.failures).to.deep.equal([{ property: "", reason: unknownSettings(["passwrod"]) }]);
            expect(misspeltPassword.failures[0].reason).to.contain("did you mean cuc:password?").and.not.to.contain(PASSWORD);
        });

        it("names a bad value by its setting: a fraction for a whole number, a word for a boolean", async () => {
            const { failures } = await plugin.checkConfig({ ...settings, maxConcurrent: "2.5", insecure: "maybe" });
            expect(failures.map((f) => f.property).sort()).to.deep.equal(["insecure", "maxConcurrent"]);
            expect(failures.find((f) => f.property === "maxConcurrent")!.reason).to.contain("cuc:maxConcurrent (CUC_MAX_CONCURRENT) must be a whole number >= 1, got 2.5");
            expect(failures.find((f) => f.property === "insecure")!.reason).to.contain("cuc:insecure").and.to.contain("boolean");
        });

        it("passes a good configuration, and an unknown value in preview, with no failure", async () => {
            expect((await plugin.checkConfig(settings)).failures).to.deep.equal([]);
            // The engine adds the plugin's version to a provider's inputs: not a misspelt setting.
            expect((await plugin.checkConfig({ ...settings, version: VERSION })).failures).to.deep.equal([]);
            const preview = await plugin.checkConfig({ ...settings, server: UNKNOWN });
            expect(preview.failures).to.deep.equal([]);
            expect(preview.inputs.server).to.equal(UNKNOWN);
        });

        it("returns the password as a secret, whether it came plain (as the engine sends it, or set without --secret) or as a secret", async () => {
            const plain = await plugin.checkConfig(settings);
            expect(plain.inputs).to.deep.equal({ ...settings, password: secret(PASSWORD) });
            const wrapped = await plugin.checkConfig({ ...settings, password: secret(PASSWORD) });
            expect(wrapped.failures).to.deep.equal([]);
            expect(wrapped.inputs).to.deep.equal({ ...settings, password: secret(PASSWORD) });
        });
    });

    describe("DiffConfig", () => {
        const diffConfig = (olds: Props, news: Props) => plugin.call<provproto.DiffResponse>("diffConfig",
            new provproto.DiffRequest().setUrn("urn:pulumi:dev::cuc-app::pulumi:providers:cuc::site").setId("provider-id").setOlds(struct(olds)).setOldInputs(struct(olds)).setNews(struct(news)));

        it("a new password updates the provider (its resources stay), shown by name only; another server never replaces it (its resources' plans refuse instead)", async () => {
            expect((await diffConfig(settings, settings)).getChanges()).to.equal(Changes.DIFF_NONE);
            const rotated = await diffConfig(settings, { ...settings, password: WRONG_PASSWORD });
            expect(rotated.getChanges()).to.equal(Changes.DIFF_SOME);
            expect(rotated.getDiffsList()).to.deep.equal(["password"]);
            expect(rotated.getReplacesList()).to.deep.equal([]);
            expect(Buffer.from(rotated.serializeBinary()).toString("latin1")).not.to.contain(PASSWORD).and.not.to.contain(WRONG_PASSWORD);
            // Replacing the provider would replace its resources: delete them where they live (users' mailboxes too).
            const moved = await diffConfig(settings, { ...settings, server: "cuc-b.example.com" });
            expect(moved.getDiffsList()).to.deep.equal(["server"]);
            expect(moved.getReplacesList()).to.deep.equal([]);
            const respelt = await diffConfig(settings, { ...settings, server: `${s.url.toUpperCase()}/vmrest` });
            expect(respelt.getDiffsList()).to.deep.equal(["server"]);
            expect(respelt.getReplacesList()).to.deep.equal([]);
            // A server not known yet, or none before (CUC_SERVER then), is a change but no replacement.
            for (const [olds, news] of [[settings, { ...settings, server: UNKNOWN }], [{ username: s.user }, settings]] as const) {
                const d = await diffConfig(olds, news);
                expect(d.getDiffsList(), JSON.stringify(news.server)).to.include("server");
                expect(d.getReplacesList(), JSON.stringify(news.server)).to.deep.equal([]);
            }
            // Two servers that are not URLs at all are still told apart.
            expect((await diffConfig({ server: "ftp://cuc-a" }, { server: "ftp://cuc-b" })).getDiffsList()).to.deep.equal(["server"]);
        });
    });

    describe("Check", () => {
        it("refuses a type it does not serve, naming those it does", async () => {
            const req = new provproto.CheckRequest().setUrn(urn("Voicemail", "vm")).setName("vm").setType("cuc:index:Voicemail").setNews(struct({}));
            const e = await plugin.failure("check", req);
            expect(e.message).to.equal(`unknown resource type cuc:index:Voicemail; this provider serves ${Object.keys(RESOURCES).join(", ")}`);
        });

        it("takes messages far larger than gRPC's 4 MB default (a long value is refused by its check, not by the transport)", async () => {
            const { failures } = await plugin.check("PhoneSystem", "huge", { news: { displayName: "x".repeat(5 << 20) } });
            expect(failures).to.have.length(1);
            expect(failures[0].reason).to.contain(`displayName is ${5 << 20} characters long`);
        });

        before(async () => {
            await plugin.configure(settings);
        });

        it("validates a resource's inputs: each failure names the field and what CUPI accepts", async () => {
            const { failures } = await plugin.check("PhoneSystem", "ps", { news: { callLoopGuardTimeMs: 99_999, callLoopDtmf: "X", mwiForceOf: true } });
            expect(failures.map((f) => f.property).sort()).to.deep.equal(["callLoopDtmf", "callLoopGuardTimeMs", "mwiForceOf"]);
            expect(failures.find((f) => f.property === "callLoopGuardTimeMs")!.reason).to.contain("between 0 and 60000").and.to.contain("CallLoopGuardTimeMs");
            expect(failures.find((f) => f.property === "mwiForceOf")!.reason).to.contain("PhoneSystem has no input 'mwiForceOf'");
            const axl = await plugin.check("AxlServer", "axl", { news: { phoneSystemId: "not-a-guid", hostOrIpAddress: "cucm-pub" } });
            expect(axl.failures.map((f) => f.property)).to.deep.equal(["phoneSystemId"]);
        });

        it("returns a write-only secret as a secret, whether it came plain (as the engine sends it, or a literal in YAML) or as a secret", async () => {
            const news = { ...program("ExternalService"), servicePassword: SERVICE_PASSWORD };
            const plain = await plugin.check("ExternalService", "es", { news });
            expect(plain.failures).to.deep.equal([]);
            expect(plain.inputs.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
            expect(plain.inputs.serviceAlias).to.equal(program("ExternalService").serviceAlias);
            const wrapped = await plugin.check("ExternalService", "es", { news: { ...news, servicePassword: secret(SERVICE_PASSWORD) } });
            expect(wrapped.failures).to.deep.equal([]);
            expect(wrapped.inputs.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
        });

        it("refuses an empty write-only secret, naming the field without a property (the engine would print the value)", async () => {
            const { failures } = await plugin.check("ExternalService", "es", { news: { ...program("ExternalService"), servicePassword: "" } });
            expect(failures).to.have.length(1);
            expect(failures[0].property).to.equal("");
            expect(failures[0].reason).to.contain("servicePassword is empty").and.to.contain("config.requireSecret");
        });

        it("names a secret of the wrong type without printing it", async () => {
            const { failures } = await plugin.check("AxlServer", "axl", { news: { phoneSystemId: CTX.PhoneSystem, hostOrIpAddress: "cucm-pub", ccmAxlPassword: NUMERIC_SECRET } });
            expect(failures).to.have.length(1);
            expect(failures[0].property).to.equal("");
            expect(failures[0].reason).to.contain("ccmAxlPassword must be a string").and.not.to.contain(String(NUMERIC_SECRET));
        });

        it("takes a PIN or an extension that Pulumi YAML sends as a number (a config value of digits) as its digits, as a secret; other fields still refuse a number", async () => {
            // pulumi/pulumi-yaml#577: `pin: ${pin}` from `pulumi config set --secret pin 3905718264` arrives as the number.
            const news = { ...program("User"), dtmfAccessId: 6001, pin: secret(3905718264) };
            const { inputs, failures } = await plugin.check("User", "jdoe", { news });
            expect(failures).to.deep.equal([]);
            expect(inputs.dtmfAccessId).to.equal("6001");
            expect(inputs.pin).to.deep.equal(secret("3905718264"));
            expect((await plugin.check("UserTemplate", "t", { news: { ...program("UserTemplate"), pin: 730426 } })).inputs.pin).to.deep.equal(secret("730426"));
            // A number that is no PIN (negative, a fraction, past 2^53 where digits are lost), or in a field without a shape, is refused as before.
            for (const pin of [-1234, 12.5, 2 ** 53]) {
                const refused = await plugin.check("User", "jdoe", { news: { ...news, pin } });
                expect(refused.failures.map((f) => f.reason), String(pin)).to.deep.equal(["pin must be a string, got a number (CUPI field Credentials)"]);
            }
            const named = await plugin.check("User", "jdoe", { news: { ...news, displayName: 1234, webPassword: 86753091 } });
            expect(named.failures.map((f) => f.reason).sort()).to.deep.equal(["displayName must be a string, got 1234 (CUPI field DisplayName)", "webPassword must be a string, got a number (CUPI field Credentials)"]);
        });

        it("passes unknown values through in preview, without failing what depends on them", async () => {
            const axl = await plugin.check("AxlServer", "axl", { news: { phoneSystemId: UNKNOWN, hostOrIpAddress: "cucm-pub", ccmAxlPassword: UNKNOWN } });
            expect(axl.failures).to.deep.equal([]);
            expect(axl.inputs).to.include({ phoneSystemId: UNKNOWN, ccmAxlPassword: UNKNOWN, hostOrIpAddress: "cucm-pub" });
            // The mandatory fields of an unknown server type cannot be known yet.
            const es = await plugin.check("ExternalService", "es", { news: { displayName: "UM", serverType: UNKNOWN, serviceAlias: "svc", servicePassword: UNKNOWN } });
            expect(es.failures).to.deep.equal([]);
            expect(es.inputs.serverType).to.equal(UNKNOWN);
        });

        describe("auto-names from the engine (any language, no hidden inputs)", () => {
            const autoNamed = Object.values(RESOURCES).filter((d) => d.autoName);
            /** The input auto-naming fills in: the natural key (a partition's name), else the display name. */
            const named = (def: ResourceDef) => def.spec.byCupi.get(autoNameField(def.spec))!.name;

            it("differ per resource name and per stack; the same resource gets the same name whatever the seed (preview, then up)", async () => {
                expect(autoNamed.map((d) => d.kind)).to.include.members(["PhoneSystem", "ExternalService"]);
                for (const def of autoNamed) {
                    const name = async (resource: string, stack?: string, seed?: string) => {
                        const r = await plugin.check(def.kind, resource, { stack, seed, news: program(def.kind) });
                        expect(r.failures, def.kind).to.deep.equal([]);
                        expect(r.inputs.__autoNamed).to.equal(true);
                        return r.inputs[named(def)];
                    };
                    const a = await name("site-a");
                    expect(a, def.kind).to.match(/^site-a-[0-9a-f]{7}$/);
                    expect(await name("site-b"), def.kind).to.match(/^site-b-[0-9a-f]{7}$/);
                    expect(await name("site-a", "prod"), `${def.kind}: another stack`).to.match(/^site-a-[0-9a-f]{7}$/).and.not.to.equal(a);
                    // The engine draws a new seed for each preview and up: the name must not depend on it.
                    expect(await name("site-a", "dev", "seed-1"), def.kind).to.equal(a);
                    expect(await name("site-a", "dev", "seed-2"), def.kind).to.equal(a);
                }
            });

            it("keep the name across updates; a replacement gets a fresh one", async () => {
                const first = await plugin.check("PhoneSystem", "kept", { news: program("PhoneSystem") });
                const update = await plugin.check("PhoneSystem", "kept", { olds: first.inputs, news: { mwiForceOff: true }, seed: "seed-2" });
                expect(update.inputs.displayName).to.equal(first.inputs.displayName);
                const replacement = await plugin.check("PhoneSystem", "kept", { news: { mwiForceOff: true }, seed: "seed-2" });
                expect(replacement.inputs.displayName).to.match(/^kept-[0-9a-f]{7}$/).and.not.to.equal(first.inputs.displayName);
            });

            it("pulumi:autonaming: enforce and propose give the proposed name; disable makes displayName required", async () => {
                for (const def of autoNamed) {
                    for (const mode of [Mode.ENFORCE, Mode.PROPOSE]) {
                        const r = await plugin.check(def.kind, "patterned", { news: program(def.kind), autonaming: [mode, `cuc-dev-patterned-${mode}`] });
                        expect(r.failures, def.kind).to.deep.equal([]);
                        expect(r.inputs).to.include({ [named(def)]: `cuc-dev-patterned-${mode}`, __autoNamed: true });
                    }
                    const disabled = await plugin.check(def.kind, "unnamed", { news: program(def.kind), autonaming: [Mode.DISABLE, ""] });
                    expect(disabled.failures.map((f) => f.property), def.kind).to.deep.equal([named(def)]);
                    expect(disabled.failures[0].reason).to.contain(`${named(def)} is required`).and.to.contain("auto-naming is disabled");
                    const given = await plugin.check(def.kind, "unnamed", { news: { ...program(def.kind), [named(def)]: "Given-Name" }, autonaming: [Mode.DISABLE, ""] });
                    expect(given.failures, def.kind).to.deep.equal([]);
                    expect(given.inputs[named(def)]).to.equal("Given-Name");
                    expect(given.inputs.__autoNamed).to.equal(undefined);
                }
                // An existing auto-named object keeps its name whatever the stack's pattern says now.
                const first = await plugin.check("PhoneSystem", "before-pattern", { news: program("PhoneSystem") });
                const later = await plugin.check("PhoneSystem", "before-pattern", { olds: first.inputs, news: {}, autonaming: [Mode.ENFORCE, "something-else"] });
                expect(later.inputs.displayName).to.equal(first.inputs.displayName);
            });
        });
    });

    describe("Diff", () => {
        const OBJECT = "5f3c84e3-8ab1-4fae-a051-bc1db938dae4";
        /** Old outputs as Create leaves them: the managed inputs, the server's fields, bookkeeping. */
        const outputs = (inputs: Props) => ({ ...inputs, objectId: OBJECT, uri: `/vmrest/x/${OBJECT}`, cucServer: new URL(s.url).origin, __managed: Object.keys(inputs).sort() });
        const detailed = (res: provproto.DiffResponse) => {
            const kinds: Record<string, number> = {};
            res.getDetaileddiffMap().forEach((d, k) => void (kinds[k] = d.getKind()));
            return kinds;
        };

        it("no change: DIFF_NONE, nothing to show", async () => {
            const inputs = { displayName: "PS-Diff", mwiForceOff: false };
            const res = await plugin.diff("PhoneSystem", OBJECT, outputs(inputs), inputs);
            expect(res.getChanges()).to.equal(Changes.DIFF_NONE);
            expect(res.getDiffsList()).to.deep.equal([]);
            expect(res.getReplacesList()).to.deep.equal([]);
        });

        it("an in-place change: the changed and the added inputs in the detailed diff, no replacement, the ids stable", async () => {
            const inputs = { displayName: "PS-Diff", mwiForceOff: false };
            const res = await plugin.diff("PhoneSystem", OBJECT, outputs(inputs), { ...inputs, mwiForceOff: true, callLoopDtmf: "B" });
            expect(res.getChanges()).to.equal(Changes.DIFF_SOME);
            expect(res.getDiffsList().sort()).to.deep.equal(["callLoopDtmf", "mwiForceOff"]);
            expect(res.getHasdetaileddiff()).to.equal(true);
            expect(detailed(res)).to.deep.equal({ mwiForceOff: Kind.UPDATE, callLoopDtmf: Kind.ADD });
            expect(res.getDetaileddiffMap().get("mwiForceOff")!.getInputdiff()).to.equal(true);
            expect(res.getReplacesList()).to.deep.equal([]);
            expect(res.getStablesList()).to.include.members(["objectId", "uri", "cucServer"]);
        });

        it("a replace-on-change field replaces; a unique name kept across the replacement deletes first", async () => {
            const axl = { phoneSystemId: CTX.PhoneSystem, hostOrIpAddress: "cucm-pub" };
            const moved = await plugin.diff("AxlServer", `${CTX.PhoneSystem}/${OBJECT}`, outputs(axl), { ...axl, phoneSystemId: "24f1171f-27b3-4ad3-a94c-66d1fb2e448b" });
            expect(moved.getReplacesList()).to.deep.equal(["phoneSystemId"]);
            expect(detailed(moved)).to.deep.equal({ phoneSystemId: Kind.UPDATE_REPLACE });
            expect(moved.getDeletebeforereplace()).to.equal(false);
            const es = { ...program("ExternalService"), displayName: "UM-Kept", servicePassword: SERVICE_PASSWORD };
            const retyped = await plugin.diff("ExternalService", OBJECT, outputs(es), { ...es, serverType: 1 });
            expect(retyped.getReplacesList()).to.deep.equal(["serverType"]);
            expect(retyped.getDeletebeforereplace()).to.equal(true);
        });

        it("the join credentials of an HTTPS link (ignoreChanges) are not a change", async () => {
            const link = { remoteServer: "cuc-b.example.com", remoteUsername: "admin", remotePassword: REMOTE_PASSWORD, useSsl: true };
            const res = await plugin.diff("HttpsLink", OBJECT, outputs(link), { ...link, remoteUsername: "other-admin", remotePassword: "Another-Remote-1" });
            expect(res.getChanges()).to.equal(Changes.DIFF_NONE);
            expect(res.getDiffsList()).to.deep.equal([]);
        });

        it("a new secret is a change shown by name only: the response holds neither value", async () => {
            const es = { ...program("ExternalService"), displayName: "UM-Secret", servicePassword: SERVICE_PASSWORD };
            const res = await plugin.diff("ExternalService", OBJECT, outputs(es), { ...es, servicePassword: NEW_SERVICE_PASSWORD });
            expect(res.getChanges()).to.equal(Changes.DIFF_SOME);
            expect(res.getDiffsList()).to.deep.equal(["servicePassword"]);
            expect(detailed(res)).to.deep.equal({ servicePassword: Kind.UPDATE });
            const bytes = Buffer.from(res.serializeBinary()).toString("latin1");
            expect(bytes).not.to.contain(SERVICE_PASSWORD).and.not.to.contain(NEW_SERVICE_PASSWORD);
        });
    });

    describe("Create, Read, Update, Delete against the simulator", () => {
        before(async () => {
            await plugin.configure(settings);
        });

        it("a preview Create sends no request: the program's inputs known, what the server computes unknown", async () => {
            const before = await requests();
            const { id, outs } = await plugin.create("PhoneSystem", { displayName: "Preview-Only", mwiForceOff: true }, true);
            expect(await requests()).to.equal(before);
            expect(id).to.equal("");
            expect(outs).to.include({ displayName: "Preview-Only", mwiForceOff: true, objectId: UNKNOWN, uri: UNKNOWN });
        });

        it("Create, Read, a preview Update (no request), Update, Delete, and a Read of the deleted object (empty id: gone)", async () => {
            const checked = await plugin.check("PhoneSystem", "r", { news: { displayName: "Grpc-Lifecycle", mwiForceOff: false } });
            expect(checked.failures).to.deep.equal([]);
            const created = await plugin.create("PhoneSystem", checked.inputs);
            expect(created.id).to.match(/^[0-9a-f-]{36}$/);
            expect(created.outs).to.include({ objectId: created.id, displayName: "Grpc-Lifecycle", mwiForceOff: false, cucServer: new URL(s.url).origin });
            expect(await stored("PhoneSystem", created.id)).to.include({ DisplayName: "Grpc-Lifecycle", MwiForceOff: false });

            const read = await plugin.read("PhoneSystem", created.id, created.outs, checked.inputs);
            expect(read.id).to.equal(created.id);
            expect(read.props).to.include({ displayName: "Grpc-Lifecycle", mwiForceOff: false, callLoopGuardTimeMs: 2500 });
            expect(read.inputs).to.deep.equal({ displayName: "Grpc-Lifecycle", mwiForceOff: false });

            const news = { ...checked.inputs, mwiForceOff: true };
            const before = await requests();
            const planned = await plugin.update("PhoneSystem", created.id, created.outs, news, true);
            expect(await requests()).to.equal(before);
            expect(planned).to.include({ objectId: created.id, mwiForceOff: true });
            const updated = await plugin.update("PhoneSystem", created.id, created.outs, news);
            expect(updated).to.include({ objectId: created.id, mwiForceOff: true });
            expect(await stored("PhoneSystem", created.id)).to.include({ MwiForceOff: true });

            await plugin.call("delete", plugin.deleteRequest("PhoneSystem", created.id, updated));
            expect(await stored("PhoneSystem", created.id)).to.equal(undefined);
            const gone = await plugin.read("PhoneSystem", created.id, updated, news);
            expect(gone.id).to.equal("");
            // Deleting what is already gone (deleted outside Pulumi too) succeeds: the engine drops it.
            await plugin.call("delete", plugin.deleteRequest("PhoneSystem", created.id, updated));
        });

        it("a write-only secret reaches the server and is a secret in every output (preview, create, read, update); import reads inputs with GETs only", async () => {
            const news = { ...program("ExternalService"), displayName: "UM-Grpc", servicePassword: SERVICE_PASSWORD };
            expect((await plugin.create("ExternalService", news, true)).outs.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
            // As the engine sends them (acceptSecrets false): plain.
            const { id, outs: sealedOuts } = await plugin.create("ExternalService", news);
            const outs = { ...sealedOuts, servicePassword: SERVICE_PASSWORD };
            try {
                expect(await stored("ExternalService", id)).to.include({ DisplayName: "UM-Grpc", ServicePassword: SERVICE_PASSWORD });
                expect(sealedOuts.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
                const read = await plugin.read("ExternalService", id, outs, news);
                expect(read.props.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
                expect(read.inputs.servicePassword).to.deep.equal(secret(SERVICE_PASSWORD));
                // A refresh's inputs are the program's, not every field the server holds (that is an import).
                expect(Object.keys(read.inputs).sort()).to.deep.equal(Object.keys(news).sort());
                const renewed = { ...news, servicePassword: NEW_SERVICE_PASSWORD };
                expect((await plugin.update("ExternalService", id, outs, renewed, true)).servicePassword).to.deep.equal(secret(NEW_SERVICE_PASSWORD));
                expect((await plugin.update("ExternalService", id, outs, renewed)).servicePassword).to.deep.equal(secret(NEW_SERVICE_PASSWORD));
                expect(await stored("ExternalService", id)).to.include({ ServicePassword: NEW_SERVICE_PASSWORD });
                const writesBefore = (JSON.parse((await raw(s, "GET", "/__sim/stats")).body) as { byMethod: Record<string, number> }).byMethod;
                const imported = await plugin.read("ExternalService", id, {}, {});
                const writesAfter = (JSON.parse((await raw(s, "GET", "/__sim/stats")).body) as { byMethod: Record<string, number> }).byMethod;
                for (const m of ["POST", "PUT", "DELETE"]) expect(writesAfter[m] ?? 0, m).to.equal(writesBefore[m] ?? 0);
                expect(imported.id).to.equal(id);
                expect(imported.inputs).to.include({ displayName: "UM-Grpc", serverType: 4 });
                // Every field the server holds a value for, and none it holds empty.
                expect(Object.keys(imported.inputs).length).to.be.greaterThan(Object.keys(news).length);
                expect(Object.values(imported.inputs)).not.to.include("");
                // Write-only: the server cannot show it, so an import leaves it out of the inputs.
                expect(imported.inputs).not.to.have.property("servicePassword");
            } finally {
                await plugin.call("delete", plugin.deleteRequest("ExternalService", id, outs));
            }
            expect(await stored("ExternalService", id)).to.equal(undefined);
        });

        it("a create that made the object but could not finish reports its id and outputs, secrets sealed (the engine records it; the next up finishes)", async () => {
            // Settings of their own (one retry), then every write is carried out and its connection dropped:
            // the join is found again after its lost answer, and the PUT of its display name never gets one.
            await plugin.configure({ ...settings, retries: "1", retryBaseMs: "1" });
            const news = { ...program("HttpsLink"), remoteServer: "cuc-partial.example.com", remotePassword: REMOTE_PASSWORD, displayName: "Link-Partial" };
            let id = "";
            try {
                await faults({ commitResetRate: 1 });
                const e = await plugin.failure("create", plugin.createRequest("HttpsLink", news));
                await faults({ commitResetRate: 0 });
                expect(e.initFailed, "ErrorResourceInitFailed in the status details").not.to.equal(undefined);
                id = e.initFailed!.getId();
                expect(await stored("HttpsLink", id)).to.include({ RemoteServer: "cuc-partial.example.com" });
                expect(js(e.initFailed!.getProperties())).to.include({ objectId: id, remoteServer: "cuc-partial.example.com" });
                expect(js(e.initFailed!.getProperties()).remotePassword).to.deep.equal(secret(REMOTE_PASSWORD));
                expect(e.message).to.contain(`created ${id}, but could not finish`);
                // The reason the engine prints beside the resource it records: what went wrong after the POST.
                expect(e.initFailed!.getReasonsList()).to.have.length(1);
                expect(e.message).to.contain(e.initFailed!.getReasonsList()[0]);
            } finally {
                await faults({ commitResetRate: 0 });
                await plugin.configure(settings);
                if (id) await plugin.call("delete", plugin.deleteRequest("HttpsLink", id, { ...news, objectId: id, cucServer: s.url }));
            }
        });

        describe("a Delete that fails is an error, and the object stays; a Read that fails is an error, never gone", () => {
            let id: string;
            let outs: Props;
            before(async () => {
                ({ id, outs } = await plugin.create("PhoneSystem", { displayName: "Grpc-Undeletable" }));
            });
            after(async () => {
                await faults({ failRate: 0 });
                await plugin.configure(settings);
                await plugin.call("delete", plugin.deleteRequest("PhoneSystem", id, outs));
                expect(await stored("PhoneSystem", id)).to.equal(undefined);
            });

            it("CUC's 400 for a phone system that users are associated with", async () => {
                const e = await plugin.failure("delete", plugin.deleteRequest("PhoneSystem", DEFAULT_PHONE_SYSTEM, { displayName: "PhoneSystem", cucServer: s.url }));
                expect(e.message).to.contain("cuc:PhoneSystem delete").and.to.contain("HTTP 400").and.to.contain("associated");
                expect(await stored("PhoneSystem", DEFAULT_PHONE_SYSTEM)).to.include({ DisplayName: "PhoneSystem" });
            });

            it("403 for an account without the administrator role", async () => {
                await plugin.configure({ ...settings, username: READONLY.user, password: READONLY.password });
                const e = await plugin.failure("delete", plugin.deleteRequest("PhoneSystem", id, outs));
                expect(e.message).to.contain("cuc:PhoneSystem delete").and.to.contain("403");
                expect(await stored("PhoneSystem", id)).to.include({ DisplayName: "Grpc-Undeletable" });
                const r = await plugin.failure("read", plugin.readRequest("PhoneSystem", id, outs));
                expect(r.message).to.contain("cuc:PhoneSystem read").and.to.contain("403");
            });

            it("5xx after the retries (each retry logged through the engine's Log service with CUC_DEBUG)", async () => {
                const debug = process.env.CUC_DEBUG;
                process.env.CUC_DEBUG = "1";
                try {
                    // Settings of their own: a new client, made while CUC_DEBUG is set.
                    await plugin.configure({ ...settings, retries: "2", retryBaseMs: "1", retryMaxMs: "3" });
                    await faults({ failRate: 1 });
                    const deletesBefore = (JSON.parse((await raw(s, "GET", "/__sim/stats")).body) as { byMethod: Record<string, number> }).byMethod.DELETE ?? 0;
                    const e = await plugin.failure("delete", plugin.deleteRequest("PhoneSystem", id, outs));
                    expect(e.message).to.contain("cuc:PhoneSystem delete").and.to.match(/HTTP 50[0234]/);
                    await faults({ failRate: 0 });
                    const deletesAfter = (JSON.parse((await raw(s, "GET", "/__sim/stats")).body) as { byMethod: Record<string, number> }).byMethod.DELETE ?? 0;
                    expect(deletesAfter - deletesBefore, "one DELETE and two retries").to.equal(3);
                    await faults({ failRate: 1 });
                    const r = await plugin.failure("read", plugin.readRequest("PhoneSystem", id, outs));
                    expect(r.message).to.contain("cuc:PhoneSystem read").and.to.match(/HTTP 50[0234]/);
                    await faults({ failRate: 0 });
                    expect(await stored("PhoneSystem", id)).to.include({ DisplayName: "Grpc-Undeletable" });
                    const retried = await engine.waitFor((m) => m.startsWith("cuc: retry 2 ") && m.includes(id));
                    expect(retried).to.match(/HTTP 50[0234]/);
                    // A retry is information, not a warning.
                    expect(new Set(engine.severities((m) => m.startsWith("cuc: retry ")))).to.deep.equal(new Set([engproto.LogSeverity.INFO]));
                    noSecret(engine.messages(), "a log line");
                } finally {
                    if (debug === undefined) delete process.env.CUC_DEBUG;
                    else process.env.CUC_DEBUG = debug;
                }
            });
        });
    });

    describe("Invoke", () => {
        before(async () => {
            await plugin.configure(settings);
        });

        it("a list function with a typed query and sort, searched on the server, no secret field in the result", async () => {
            const result = await plugin.invoke("getPortGroups", { query: { column: "displayName", op: "startswith", value: "PhoneSystem-" }, sort: { column: "displayName", direction: "desc" } });
            const groups = result.portGroups as Props[];
            expect(groups.map((g) => g.displayName)).to.deep.equal(["PhoneSystem-2", "PhoneSystem-1"]);
            expect(groups[1]).to.include({ objectId: CTX.PortGroup, phoneSystemId: CTX.PhoneSystem });
            const filtered = await plugin.invoke("getPorts", { portGroupId: CTX.PortGroup, sort: { column: "portNumInGroup", direction: "asc" } });
            expect((filtered.ports as Props[]).map((p) => p.portNumInGroup)).to.deep.equal([1, 2, 3, 4]);
        });

        it("a single lookup by display name", async () => {
            expect(await plugin.invoke("getPhoneSystem", { displayName: "PhoneSystem" })).to.include({ objectId: DEFAULT_PHONE_SYSTEM, displayName: "PhoneSystem" });
        });

        it("no match, a refused column, an unknown function: one line each, with the cause", async () => {
            const invoke = (fn: string, args: Props) => plugin.failure("invoke", new provproto.InvokeRequest().setTok(`cuc:index:${fn}`).setArgs(struct(args)));
            const none = await invoke("getPhoneSystem", { displayName: "No-Such-System" });
            expect(none.message).to.contain("getPhoneSystem: no PhoneSystem named 'No-Such-System'");
            const column = await invoke("getPortGroups", { query: { column: "skinnyDevicePrefix", value: "x" } });
            expect(column.message).to.contain("cannot be searched by").and.to.contain("DisplayName");
            const unknown = await invoke("getVoicemails", {});
            const functions = DATA_SOURCES.flatMap((d) => [d.list.name, ...(d.one ? [d.one.name] : [])]);
            expect(functions).to.include.members(["getPortGroups", "getPhoneSystem"]);
            expect(unknown.message).to.equal(`unknown function cuc:index:getVoicemails; this provider has ${functions.join(", ")}`);
            for (const e of [none, column, unknown]) expect(e.message).not.to.contain("\n");
        });

        it("a wrong password: one line naming the refusal, no password", async () => {
            await plugin.configure({ ...settings, password: WRONG_PASSWORD });
            try {
                const e = await plugin.failure("invoke", new provproto.InvokeRequest().setTok("cuc:index:getPortGroups").setArgs(struct({})));
                expect(e.message).to.contain("401").and.not.to.contain("\n");
                expect(e.message).not.to.contain(WRONG_PASSWORD).and.not.to.contain(PASSWORD);
            } finally {
                await plugin.configure(settings);
            }
        });
    });

    describe("a refused password in Read: the hint depends on where the settings came from", () => {
        it("from the state, the hint is --run-program; with the program run, the configured password was refused", async () => {
            const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
            const id = await direct.create(PhoneSystem, { DisplayName: "Refused-Hint" });
            // One plugin process each: the engine checks the configuration only when the program runs.
            const fromState = await Plugin.start();
            const fromProgram = await Plugin.start();
            const read = (p: Plugin) => p.failure("read", p.readRequest("PhoneSystem", id, { displayName: "Refused-Hint", __managed: ["displayName"], cucServer: s.url }));
            try {
                // refresh/destroy without the program: the engine only configures the provider from the state.
                await fromState.configure({ ...settings, password: "Stored-Old-Pass-1" });
                const stale = (await read(fromState)).message;
                expect(stale).to.contain("HTTP 401").and.to.contain("--run-program").and.to.contain("pulumi up");
                // up, or --run-program: the engine checks the program's configuration first.
                expect((await fromProgram.checkConfig({ ...settings, password: "Configured-Bad-Pass-2" })).failures).to.deep.equal([]);
                await fromProgram.configure({ ...settings, password: "Configured-Bad-Pass-2" });
                const refused = (await read(fromProgram)).message;
                expect(refused).to.contain("401").and.to.contain("the configured password itself was refused").and.to.contain("cuc:password");
                expect(refused).not.to.contain("--run-program");
                // In native mode's words: another cluster is an explicit cuc.Provider; resources have no `connection`.
                for (const message of [stale, refused]) expect(message).not.to.contain("connection`").and.not.to.contain("explicit Provider or");
                expect(refused).to.contain("the explicit `cuc.Provider` that reaches this server");
                for (const message of [stale, refused]) expect(message).not.to.contain("Stored-Old-Pass-1").and.not.to.contain("Configured-Bad-Pass-2");
            } finally {
                await fromState.stop();
                await fromProgram.stop();
                await direct.delete(PhoneSystem, id);
                direct.close();
                await plugin.configure(settings);
            }
        });
    });

    describe("secrets in errors and logs", () => {
        it("CheckConfig: a password inside another setting's value (credentials in an invalid server URL) is not printed", async () => {
            const { failures } = await plugin.checkConfig({ ...settings, server: `https://admin:${URL_PASSWORD_CHECK}@cuc pub.example.com`, password: URL_PASSWORD_CHECK });
            expect(failures).to.have.length(1);
            expect(failures[0].reason).to.contain("cuc:server").and.not.to.contain(URL_PASSWORD_CHECK);
        });

        it("CheckConfig: credentials in the server value that are no configured password are never quoted, and the failure names no property (the engine would print the value)", async () => {
            const inUrl = "Url-Only-Secret-8";
            for (const server of [`https://admin:${inUrl}@cuc pub.example.com`, `admin:${inUrl}@cuc:99999`, `https://admin:${inUrl}@cuc.example.com`]) {
                const { failures } = await plugin.checkConfig({ ...settings, server });
                expect(failures, server).to.have.length(1);
                expect(failures[0].property, server).to.equal("");
                expect(failures[0].reason, server).to.contain("cuc:server").and.not.to.contain(inUrl).and.not.to.contain("admin:");
            }
            // A server without credentials keeps its property.
            expect((await plugin.checkConfig({ ...settings, server: "cuc pub.example.com" })).failures.map((f) => f.property)).to.deep.equal(["server"]);
        });

        it("Configure: the same, in its error", async () => {
            const e = await plugin.failure("configure", new provproto.ConfigureRequest().setArgs(struct({ ...settings, server: `https://admin:${URL_PASSWORD_CONFIGURE}@cuc pub.example.com`, password: secret(URL_PASSWORD_CONFIGURE) })));
            expect(e.message).to.contain("cuc:server").and.not.to.contain(URL_PASSWORD_CONFIGURE);
            await plugin.configure(settings);
        });

        it("stop shuts the server down and gives the log sink back: messages go to the engine of the plugin still running", async () => {
            const other = await fakeEngine();
            const running = await start(other.address);
            const client = new provrpc.ResourceProviderClient(`127.0.0.1:${running.port}`, grpc.credentials.createInsecure());
            const info = () => new Promise<string>((resolve, reject) => client.getPluginInfo(new emptyproto.Empty(), (e, r) => (e ? reject(e) : resolve(r.getVersion()))));
            try {
                expect(await info()).to.equal(VERSION);
                const warnings = async (timeoutMs: string) => {
                    await plugin.configure({ ...settings, insecure: "true", timeoutMs });
                    await plugin.invoke("getPhoneSystem", { displayName: "PhoneSystem" });
                };
                // The last plugin started holds the sink: a new client's warning goes to its engine.
                await warnings("61001");
                expect(await other.waitFor((m) => m.includes("TLS verification is off"))).to.contain(new URL(s.url).origin);
                await running.stop();
                const refused = await info().then(() => "answered", (e: grpc.ServiceError) => e.code);
                expect(refused).to.equal(grpc.status.UNAVAILABLE);
                const before = other.messages().length;
                await warnings("61002");
                await engine.waitFor((m) => m.includes("TLS verification is off") && m.includes("61002") === false);
                expect(other.messages().length).to.equal(before);
            } finally {
                client.close();
                await plugin.configure(settings);
                await other.stop();
            }
        });

        it("the engine's messages reach its Log service (a TLS warning, when a function is the first to connect), and no log line of this file holds a secret", async () => {
            await plugin.configure({ ...settings, insecure: "true" });
            try {
                // A new client for these settings, made by the function: it warns once, through the engine,
                // and the resources that use it afterwards do not warn again.
                expect(await plugin.invoke("getPhoneSystem", { displayName: "PhoneSystem" })).to.include({ objectId: DEFAULT_PHONE_SYSTEM });
                expect(await engine.waitFor((m) => m.includes("TLS verification is off"))).to.contain(new URL(s.url).origin);
                // At the engine's WARNING severity: `pulumi up` shows it as a warning.
                expect(new Set(engine.severities((m) => m.includes("TLS verification is off")))).to.deep.equal(new Set([engproto.LogSeverity.WARNING]));
                const read = await plugin.read("PhoneSystem", DEFAULT_PHONE_SYSTEM, { displayName: "PhoneSystem", __managed: ["displayName"], cucServer: s.url });
                expect(read.id).to.equal(DEFAULT_PHONE_SYSTEM);
            } finally {
                await plugin.configure(settings);
            }
            noSecret(engine.messages(), "a log line");
        });
    });
});
