/**
 * Secret outputs of the SDK classes, dynamic and native, under pulumi.runtime.setMocks: a password
 * given as a plain string is a secret input and a secret output, because each class lists every
 * secret field (from the field tables' secret flags) in additionalSecretOutputs. The mocks hand
 * outputs back plain and apply that list as the engine does (mocks.ts).
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { isRpcSecret } from "@pulumi/pulumi/runtime/rpc";
import { RESOURCES } from "../../provider/resources";
import { registered, value } from "./mocks";

// Loaded after setMocks so the resources register with the mock monitor.
/* eslint-disable @typescript-eslint/no-require-imports */
const dynamic = require("../../sdk") as Record<string, new (name: string, args: object) => pulumi.CustomResource>;
const native = require("../../sdk/native") as Record<string, new (name: string, args: object) => pulumi.CustomResource>;
/* eslint-enable @typescript-eslint/no-require-imports */

const isSecret = (o: pulumi.Output<unknown>): Promise<boolean> => (o as unknown as { isSecret: Promise<boolean> }).isSecret;
const output = (r: pulumi.CustomResource, name: string) => (r as unknown as Record<string, pulumi.Output<unknown>>)[name];

/** The kinds with secret fields, and those fields, from the tables' flags. */
const WITH_SECRETS = Object.values(RESOURCES)
    .map((def) => ({ def, secrets: def.spec.fields.filter((f) => f.secret).map((f) => f.name) }))
    .filter(({ secrets }) => secrets.length > 0);

describe("sdk secret outputs (setMocks)", () => {
    it("the tables declare secret fields on the kinds that hold passwords", () => {
        expect(WITH_SECRETS.flatMap(({ def, secrets }) => secrets.map((s) => `${def.kind}.${s}`)))
            .to.include.members(["AxlServer.ccmAxlPassword", "ExternalService.servicePassword", "ExternalService.clientSecret", "HttpsLink.remotePassword"]);
    });

    for (const [mode, classes, extra] of [["dynamic", dynamic, ["connection"]], ["native", native, []]] as const) {
        for (const { def, secrets } of WITH_SECRETS) {
            it(`${mode} ${def.kind}: plain-string ${secrets.join(", ")} are secret inputs and secret outputs; additionalSecretOutputs lists exactly the secret fields`, async () => {
                const name = `secrets-${mode}-${def.kind}`;
                // A non-secret string beside them, which must stay readable.
                const open = def.inputs.find((f) => !f.secret && f.type === "string" && f.access === "rw")!;
                const args: Record<string, unknown> = { [open.name]: "not-a-secret" };
                for (const s of secrets) args[s] = `Plain-${mode}-${s}-81`;
                const resource = new classes[def.kind](name, args);

                for (const s of secrets) {
                    expect(await value(output(resource, s)), s).to.equal(args[s]);
                    expect(await isSecret(output(resource, s)), `${s} is a secret output`).to.equal(true);
                }
                expect(await value(output(resource, open.name))).to.equal("not-a-secret");
                expect(await isSecret(output(resource, open.name)), `${open.name} stays readable`).to.equal(false);

                // The last registration of that name: a test may run again in the same process (Stryker).
                const entry = registered.filter((r) => r.name === name).at(-1)!;
                for (const s of secrets) expect(isRpcSecret(entry.inputs[s]), `${s} is sent as a secret input`).to.equal(true);
                expect(isRpcSecret(entry.inputs[open.name])).to.equal(false);
                expect([...(entry.additionalSecretOutputs ?? [])].sort()).to.deep.equal([...secrets, ...extra].sort());
                // A dynamic resource has its own connection; a native one is reached through its Provider.
                expect(Object.keys(resource).includes("connection"), "connection output").to.equal(mode === "dynamic");
            });
        }
    }

    it("native provider functions: arguments as given or as Outputs; a provider's failure ends the program in one line, an engine error is left to Pulumi", async () => {
        const fns = native as unknown as Record<string, (args?: object) => Promise<Record<string, unknown>>>;
        const outputs = native as unknown as Record<string, (args?: object) => pulumi.Output<Record<string, unknown>>>;
        expect(await fns.getPortGroup({ displayName: "Main" })).to.deep.equal({ displayName: "Main" });
        expect(await fns.getPortGroups()).to.deep.equal({});
        expect(await value(outputs.getPortGroupOutput({ displayName: pulumi.output("Main") }))).to.deep.equal({ displayName: "Main" });
        // (The mock monitor passes on no message of a failed call; the engine passes the provider's.)
        const failed = await fns.getPortGroup({ displayName: "Fails-In-Provider" }).catch((e: unknown) => e);
        expect(pulumi.RunError.isInstance(failed), "a RunError").to.equal(true);
        const gone = await fns.getPortGroup({ displayName: "Engine-Gone" }).catch((e: unknown) => e);
        expect(pulumi.RunError.isInstance(gone), "left to Pulumi").to.equal(false);
        expect((gone as { code?: number }).code).to.equal(14);
    });

    it("an explicit native Provider sends the password as a secret, and no password it was not given", async () => {
        const Provider = native.Provider as unknown as new (name: string, args: object) => pulumi.ProviderResource;
        new Provider("explicit-with", { server: "cuc-a.example.com", username: "admin", password: "Provider-Pass-61" });
        new Provider("explicit-without", { server: "cuc-b.example.com" });
        const last = (name: string) => registered.filter((r) => r.name === name).at(-1)!;
        // Registrations are sent asynchronously: wait for both.
        for (let i = 0; i < 100 && !(last("explicit-with") && last("explicit-without")); i++) await new Promise((r) => setTimeout(r, 10));
        expect(isRpcSecret(last("explicit-with").inputs.password)).to.equal(true);
        expect(last("explicit-with").inputs.server).to.equal("cuc-a.example.com");
        expect(last("explicit-without").inputs).to.not.have.property("password");
    });
});
