/** One set of Pulumi mocks for every SDK test file (setMocks is process-wide). */
import * as pulumi from "@pulumi/pulumi";
import { isRpcSecret, specialSecretSig, specialSigKey, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

export type Registered = { type: string; name: string; inputs: Record<string, unknown>; id?: string; additionalSecretOutputs?: string[] };
export const registered: Registered[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, id: args.id });
            // Echo the inputs as outputs, with an ObjectId like CUPI's; PortGroupMwi reports what it found.
            // Plain values, as a provider that does not keep secrets (both of ours) hands them back:
            // what makes an output secret is the engine applying the resource's additionalSecretOutputs (below).
            // An adopted object keeps its id, as the provider reports it.
            const adopted = typeof args.inputs.adopt === "string" ? args.inputs.adopt.split("/").pop() : undefined;
            const plain = Object.fromEntries(Object.entries(args.inputs).map(([k, v]) => [k, unwrapRpcSecret(v)]));
            const state: Record<string, unknown> = { ...plain, objectId: adopted ?? "99999999-9999-4999-8999-999999999999" };
            if (args.type.endsWith(":PortGroupMwi")) Object.assign(state, { previousMwiOnCode: "", previousMwiOffCode: "" });
            const id = args.id ?? (typeof args.inputs.adopt === "string" ? args.inputs.adopt : "99999999-9999-4999-8999-999999999999");
            return { id, state };
        },
        // Native provider functions echo their arguments; two display names stand for a failure in
        // the provider (its message) and for the engine going away (a gRPC error, with a numeric code).
        call: (args) => {
            if (!args.token.startsWith("cuc:index:")) return {};
            if (args.inputs.displayName === "Fails-In-Provider") throw new Error(`${args.token}: no object named 'Fails-In-Provider'`);
            if (args.inputs.displayName === "Engine-Gone") throw Object.assign(new Error("14 UNAVAILABLE: engine gone"), { code: 14 });
            return { ...args.inputs };
        },
    },
    "pulumi-cuc",
    "test",
    false,
);

/**
 * The engine's part, which the mock monitor leaves out: the outputs a resource lists in
 * additionalSecretOutputs come back secret. Each registration records the list it was given.
 */
type Struct = { toJavaScript(): Record<string, unknown> };
type Request = { getAdditionalsecretoutputsList(): string[] };
function withSecretOutputs(monitor: Record<string, Function>, method: string, get: string, set: string): void {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req: Request, callback: (err: unknown, res?: Record<string, Function>) => void) => {
        const secretOutputs = req.getAdditionalsecretoutputsList();
        const at = registered.length;
        original(req, (err: unknown, res?: Record<string, Function>) => {
            if (res) {
                const outputs = (res[get]() as Struct).toJavaScript();
                for (const name of secretOutputs) {
                    if (name in outputs && !isRpcSecret(outputs[name])) outputs[name] = { [specialSigKey]: specialSecretSig, value: outputs[name] };
                }
                res[set](structproto.Struct.fromJavaScript(outputs as Record<string, structproto.JavaScriptValue>));
            }
            callback(err, res);
        });
        // newResource recorded the registration as the mock monitor called it, synchronously.
        if (registered[at]) registered[at].additionalSecretOutputs = secretOutputs;
    };
}
const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, Function>;
withSecretOutputs(monitor, "registerResource", "getObject", "setObject");
withSecretOutputs(monitor, "readResource", "getProperties", "setProperties");

export const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));
