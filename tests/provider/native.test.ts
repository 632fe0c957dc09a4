/**
 * The native plugin's protocol methods in-process (NativeProvider.service, the calls the engine
 * makes over gRPC), against the simulator: auto-names from what the engine gives (resource name,
 * stack, pulumi:autonaming), unknown configuration keys, and the hint after a refused password.
 */
import { expect } from "chai";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { CupiClient, resolveSettings } from "../../provider/client";
import { unknownSettings } from "../../provider/client/settings";
import { NativeProvider } from "../../provider/hosts/native/server";
import { RESOURCES } from "../../provider/resources";
import { PhoneSystem } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { sim } from "../helpers";
import { contextOf, exampleInputs, type Context, type Props } from "./examples";

const PASSWORD = "Native-Unit-Pass-41";
const Mode = provproto.CheckRequest.AutonamingOptions.Mode;
const struct = (v: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Record<string, structproto.JavaScriptValue>);

/** One protocol method, called as the gRPC server would. */
function call<Res>(np: NativeProvider, method: string, request: unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
        const fn = np.service[method] as (c: { request: unknown }, cb: (err: { details?: string } | null, res?: Res) => void) => void;
        fn({ request }, (err, res) => (err ? reject(new Error(err.details)) : resolve(res as Res)));
    });
}

type Failures = { property: string; reason: string }[];

/** Check as the engine sends it: URN, name, random seed, and the stack's pulumi:autonaming if any. */
async function check(np: NativeProvider, kind: string, name: string, o: { stack?: string; seed?: string; olds?: Props; news?: Props; autonaming?: [number, string] } = {}) {
    const req = new provproto.CheckRequest();
    req.setUrn(`urn:pulumi:${o.stack ?? "dev"}::cuc-app::cuc:index:${kind}::${name}`);
    req.setName(name);
    req.setType(`cuc:index:${kind}`);
    req.setRandomseed(Buffer.from(o.seed ?? "seed-1"));
    req.setOlds(struct(o.olds ?? {}));
    req.setNews(struct(o.news ?? {}));
    if (o.autonaming) req.setAutonaming(new provproto.CheckRequest.AutonamingOptions().setMode(o.autonaming[0]).setProposedName(o.autonaming[1]));
    const res = await call<provproto.CheckResponse>(np, "check", req);
    const failures: Failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    return { inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props, failures };
}

async function checkConfig(np: NativeProvider, config: Props): Promise<Failures> {
    const req = new provproto.CheckRequest().setUrn("urn:pulumi:dev::cuc-app::pulumi:providers:cuc::default").setNews(struct(config));
    const res = await call<provproto.CheckResponse>(np, "checkConfig", req);
    return res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}

function configure(np: NativeProvider, config: Props): Promise<provproto.ConfigureResponse> {
    return call(np, "configure", new provproto.ConfigureRequest().setArgs(struct(config)));
}

describe("native provider in-process (NativeProvider)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let settings: Props;
    /** The objects the examples hang off. */
    let ctx: Context;

    before(async () => {
        s = await sim({ password: PASSWORD });
        settings = { server: s.url, username: s.user, password: PASSWORD, retryBaseMs: "5" };
        ctx = await contextOf(s);
    });
    after(async () => {
        await s.close();
    });

    describe("auto-names from the engine (any language, no hidden inputs)", () => {
        const autoNamed = Object.values(RESOURCES).filter((d) => d.autoName);
        /** A valid program without our SDK's hidden inputs, as Pulumi YAML sends it. */
        const program = (kind: string): Props => {
            const { __cucName: _sdkOnly, ...news } = exampleInputs(RESOURCES[kind], "minimal", ctx);
            return news;
        };
        let np: NativeProvider;
        let configured: provproto.ConfigureResponse;
        before(async () => {
            np = new NativeProvider();
            configured = await configure(np, settings);
        });

        it("Configure asks the engine for the stack's pulumi:autonaming (it is sent only to providers that ask)", () => {
            expect(configured.getSupportsAutonamingConfiguration()).to.equal(true);
        });

        it("differ per resource name and per stack; the same resource gets the same name whatever the seed (preview, then up)", async () => {
            expect(autoNamed.map((d) => d.kind)).to.include.members(["PhoneSystem", "ExternalService"]);
            for (const def of autoNamed) {
                const name = async (resource: string, stack?: string, seed?: string) => {
                    const r = await check(np, def.kind, resource, { stack, seed, news: program(def.kind) });
                    expect(r.failures, def.kind).to.deep.equal([]);
                    expect(r.inputs.__autoNamed).to.equal(true);
                    return r.inputs.displayName;
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
            const first = await check(np, "PhoneSystem", "kept", { news: program("PhoneSystem") });
            const update = await check(np, "PhoneSystem", "kept", { olds: first.inputs, news: { mwiForceOff: true }, seed: "seed-2" });
            expect(update.inputs.displayName).to.equal(first.inputs.displayName);
            const replacement = await check(np, "PhoneSystem", "kept", { news: { mwiForceOff: true }, seed: "seed-2" });
            expect(replacement.inputs.displayName).to.match(/^kept-[0-9a-f]{7}$/).and.not.to.equal(first.inputs.displayName);
        });

        it("pulumi:autonaming: enforce and propose give the proposed name; disable makes displayName required", async () => {
            for (const def of autoNamed) {
                for (const mode of [Mode.ENFORCE, Mode.PROPOSE]) {
                    const r = await check(np, def.kind, "patterned", { news: program(def.kind), autonaming: [mode, `cuc-dev-patterned-${mode}`] });
                    expect(r.failures, def.kind).to.deep.equal([]);
                    expect(r.inputs).to.include({ displayName: `cuc-dev-patterned-${mode}`, __autoNamed: true });
                }
                const disabled = await check(np, def.kind, "unnamed", { news: program(def.kind), autonaming: [Mode.DISABLE, ""] });
                expect(disabled.failures.map((f) => f.property), def.kind).to.deep.equal(["displayName"]);
                expect(disabled.failures[0].reason).to.contain("displayName is required").and.to.contain("auto-naming is disabled");
                const named = await check(np, def.kind, "unnamed", { news: { ...program(def.kind), displayName: "Given-Name" }, autonaming: [Mode.DISABLE, ""] });
                expect(named.failures, def.kind).to.deep.equal([]);
                expect(named.inputs.displayName).to.equal("Given-Name");
                expect(named.inputs.__autoNamed).to.equal(undefined);
            }
            // An existing auto-named object keeps its name whatever the stack's pattern says now.
            const first = await check(np, "PhoneSystem", "before-pattern", { news: program("PhoneSystem") });
            const later = await check(np, "PhoneSystem", "before-pattern", { olds: first.inputs, news: {}, autonaming: [Mode.ENFORCE, "something-else"] });
            expect(later.inputs.displayName).to.equal(first.inputs.displayName);
        });
    });

    it("CheckConfig names an unknown key with the closest setting, in the words of the dynamic program's check, without its value", async () => {
        const np = new NativeProvider();
        const failures = await checkConfig(np, { ...settings, serverr: "cuc.example.com" });
        // An empty property: the engine prints a failed property's value, and `cuc:passwd` would hold a password.
        expect(failures).to.deep.equal([{ property: "", reason: unknownSettings(["serverr"]) }]);
        expect(failures[0].reason).to.contain("cuc:serverr is not a setting of this provider").and.to.contain("did you mean cuc:server?")
            .and.to.contain("cuc:username, cuc:password");
    });

    it("a refused password: from the state, the hint is --run-program; with the program run, the configured password was refused", async () => {
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        const id = await direct.create(PhoneSystem, { DisplayName: "Refused-Hint" });
        const read = async (np: NativeProvider) => {
            const req = new provproto.ReadRequest().setId(id).setUrn("urn:pulumi:dev::cuc-app::cuc:index:PhoneSystem::ps")
                .setProperties(struct({ displayName: "Refused-Hint", __managed: ["displayName"], cucServer: s.url }));
            return call(np, "read", req).then(() => "ok", (e: Error) => e.message);
        };
        try {
            // refresh/destroy without the program: the engine only configures the provider from the state.
            const fromState = new NativeProvider();
            await configure(fromState, { ...settings, password: "Stored-Old-Pass-1" });
            const stale = await read(fromState);
            expect(stale).to.contain("HTTP 401").and.to.contain("--run-program").and.to.contain("pulumi up");
            // up, or --run-program: the engine checks the program's configuration first.
            const fromProgram = new NativeProvider();
            expect(await checkConfig(fromProgram, { ...settings, password: "Configured-Bad-Pass-2" })).to.deep.equal([]);
            await configure(fromProgram, { ...settings, password: "Configured-Bad-Pass-2" });
            const refused = await read(fromProgram);
            expect(refused).to.contain("401").and.to.contain("the configured password itself was refused").and.to.contain("cuc:password");
            expect(refused).not.to.contain("--run-program");
            for (const message of [stale, refused]) expect(message).not.to.contain("Stored-Old-Pass-1").and.not.to.contain("Configured-Bad-Pass-2");
        } finally {
            await direct.delete(PhoneSystem, id);
            direct.close();
        }
    });
});
