/**
 * A definition's `ignoreChanges` (HttpsLink's join credentials and join-time switches), through
 * Pulumi's dynamic-provider host: a change of such an input alone is no change in diff and sends
 * no PUT; with another change, the PUT carries the other field only. The host talks to the
 * simulator through a recording proxy, so the requests' bodies can be read.
 */
import { expect } from "chai";
import { RESOURCES } from "../../provider/resources";
import { GUID_RE, type Scalar } from "../../provider/specs/types";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim } from "../helpers";
import { Host } from "../host";
import { DATASET_CONTEXT, exampleInputs, oneChange } from "./examples";

const CTX = DATASET_CONTEXT;
const PASSWORD = "Ignore-Changes-Pass-61";

/** Another valid value: a boolean flipped, a string extended. */
const changed = (v: unknown): Scalar =>
    typeof v === "boolean" ? !v
    // An ObjectId stays one (another object's).
    : GUID_RE.test(String(v)) ? "035853ce-f4e6-4de2-bda2-84acf827a555"
    : `${String(v)}-changed`;

describe("ignoreChanges through the dynamic-provider host", function () {
    this.timeout(60_000);
    let s: Simulator;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    let host: Host;

    before(async () => {
        s = await sim({ password: PASSWORD });
        proxy = await recordingProxy(s.url);
        host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        await host.configure({ "cuc:server": proxy.url, "cuc:username": s.user, "cuc:password": PASSWORD, "cuc:retryBaseMs": "5" });
    });
    after(async () => {
        expect(host.output.join("")).not.to.contain(PASSWORD);
        await host.close();
        await proxy.close();
        await s.close();
    });

    const ignoring = Object.values(RESOURCES).filter((d) => d.ignoreChanges?.length);
    it("some definition ignores changes (else this suite tests nothing)", () => {
        expect(ignoring.map((d) => d.kind)).to.include("HttpsLink");
        expect(RESOURCES.HttpsLink.ignoreChanges).to.include.members(["remoteUsername", "remotePassword"]);
    });

    for (const def of ignoring) {
        for (const name of def.ignoreChanges!) {
            it(`${def.kind}.${name}: a change alone is no change in diff and sends no PUT; beside another change it is left out of the PUT`, async () => {
                const f = def.inputs.find((i) => i.name === name)!;
                const program = exampleInputs(def, "full", CTX, `-ign-${name.toLowerCase()}`);
                expect(program[name], `the example program sets ${name}`).not.to.equal(undefined);
                const { id, outs } = await host.create(def.kind, (await host.check(def.kind, {}, program)).inputs);

                const edited = { ...program, [name]: changed(program[name]) };
                const checked = await host.check(def.kind, outs, edited);
                expect(checked.failures).to.deep.equal([]);
                expect(await host.diff(def.kind, id, outs, checked.inputs)).to.deep.equal({ changes: "none", replaces: [], deleteBeforeReplace: false });
                // Even if the engine updated it (another resource option, an old engine), nothing is written.
                proxy.seen.length = 0;
                await host.update(def.kind, id, outs, checked.inputs);
                expect(proxy.seen.filter((r) => r.method !== "GET"), "no write").to.deep.equal([]);

                // Beside a change the server takes, the PUT carries that field and not the ignored one.
                const other = oneChange(def, program);
                const both = (await host.check(def.kind, outs, { ...edited, [other.key]: other.value })).inputs;
                expect(await host.diff(def.kind, id, outs, both)).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
                proxy.seen.length = 0;
                const updated = await host.update(def.kind, id, outs, both);
                const puts = proxy.seen.filter((r) => r.method === "PUT");
                expect(puts, "one PUT").to.have.length(1);
                const otherCupi = def.inputs.find((i) => i.name === other.key)!.cupi;
                expect(puts[0].body).to.contain(otherCupi).and.not.to.contain(f.cupi);
                if (f.type === "string") expect(puts[0].body, "the new value").not.to.contain(String(edited[name]));
                expect(proxy.seen.filter((r) => r.method !== "GET" && r.method !== "PUT"), "nothing else written").to.deep.equal([]);

                await host.delete(def.kind, id, updated);
            });
        }
    }
});
