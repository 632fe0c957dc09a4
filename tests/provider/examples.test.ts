/**
 * The example inputs the loops over every kind are built from (./examples.ts): each kind's parent
 * and existing object come from its definition, found in the simulator's dataset or made from
 * the parent resource's own example; a suffix makes one object of many.
 */
import { expect } from "chai";
import { RESOURCES } from "../../provider/resources";
import { generateDataset, type Simulator } from "../../simulator";
import { sim } from "../helpers";
import { anchorsOf, contextOf, createExample, DATASET_CONTEXT, exampleInputs } from "./examples";

describe("example inputs", function () {
    this.timeout(20_000);
    const sims: Simulator[] = [];
    const start = async (options: Parameters<typeof sim>[0] = {}) => {
        const s = await sim(options);
        sims.push(s);
        return s;
    };
    after(() => Promise.all(sims.map((s) => s.close())));

    it("give every kind the objects its definition says it hangs off, found in the dataset", async () => {
        const s = await start();
        const before = s.stats().requests;
        const ctx = await contextOf(s);
        // The dataset's users are built-ins, which tests leave alone: a user of their own is made (a POST and its GET).
        expect(s.stats().byMethod, "the dataset has the rest: nothing else is created").to.deep.equal({ POST: 1, GET: 1 });
        expect(s.stats().requests - before).to.equal(2);
        const covered: string[] = [];
        for (const def of Object.values(RESOURCES)) {
            for (const mode of ["minimal", "full"] as const) {
                const inputs = exampleInputs(def, mode, ctx);
                for (const a of anchorsOf(def)) {
                    expect(inputs[a.input], `${def.kind}.${a.input}`).to.equal(ctx[a.kind]);
                    expect(s.store.has(a.kind, ctx[a.kind]), `${def.kind}.${a.input} names a ${a.kind} on the simulator`).to.equal(true);
                }
            }
            covered.push(def.kind);
        }
        expect(covered).to.have.length.greaterThan(0);
        expect(covered).to.deep.equal(Object.keys(RESOURCES));
        // As the definitions declare them today: an AXL server under a phone system, an MWI patch on a port group.
        expect(anchorsOf(RESOURCES.AxlServer)).to.deep.equal([{ input: "phoneSystemId", kind: "PhoneSystem", maker: RESOURCES.PhoneSystem }]);
        expect(anchorsOf(RESOURCES.PortGroupMwi)).to.deep.equal([{ input: "portGroupId", kind: "PortGroup" }]);
        expect(ctx).to.deep.equal({ ...DATASET_CONTEXT, User: ctx.User });
        expect(s.store.render("User", ctx.User)?.Undeletable, "not a built-in").to.equal(false);
    });

    it("make a parent that a resource creates from that resource's example when the dataset has none", async () => {
        const s = await start({ data: { PortGroup: generateDataset().PortGroup } });
        expect(s.store.list("PhoneSystem")).to.deep.equal([]);
        const ctx = await contextOf(s, [RESOURCES.AxlServer]);
        const made = s.store.list("PhoneSystem");
        expect(made.map((p) => p.ObjectId)).to.deep.equal([ctx.PhoneSystem]);
        expect(String(made[0].DisplayName)).to.match(/^phonesystem-parent-[0-9a-f]{7}$/);
        expect(s.stats().byMethod).to.deep.equal({ POST: 1, GET: 1 });
        // A child then lives under it.
        const axl = await createExample(s, RESOURCES.AxlServer, ctx, "-child");
        expect(axl.id).to.equal(`${ctx.PhoneSystem}/${axl.objectId}`);
        expect(s.store.list("AxlServer", ctx.PhoneSystem).map((a) => a.ObjectId)).to.deep.equal([axl.objectId]);
    });

    it("refuse, naming the kind and the input, an existing object the dataset lacks and no resource creates", async () => {
        const s = await start({ data: {} });
        const e = await contextOf(s).then(() => undefined, (x: Error) => x);
        expect(e?.message).to.equal("PortGroupMwi.portGroupId needs a PortGroup: the simulator's dataset has none, and no resource creates one (simulator/dataset.ts)");
        expect(() => exampleInputs(RESOURCES.AxlServer, "minimal", {})).to.throw("AxlServer.phoneSystemId names a PhoneSystem, and the context has none");
    });

    it("make one object of many with a suffix on free-text values; addresses, enums, patterns and secrets stay", () => {
        const ctx = DATASET_CONTEXT;
        const axl = exampleInputs(RESOURCES.AxlServer, "full", ctx, "-7");
        expect(axl).to.include({ ccmAxlUser: "axl-service-7", hostOrIpAddress: "10.105.255.1", hostOrIpAddressV6: "2001:db8::10", ccmAxlPassword: "axl-s3cret" });
        const link = exampleInputs(RESOURCES.HttpsLink, "full", ctx, "-7");
        expect(link).to.include({ displayName: "site-b-7", remoteServer: "cuc-b.example.com-7", remotePassword: "Remote-s3cret" });
        expect(exampleInputs(RESOURCES.ExternalService, "full", ctx, "-7")).to.include({ displayName: "Exchange-UM-7", serverType: 4, server: "mail.example.com-7" });
        expect(exampleInputs(RESOURCES.ExternalService, "full", ctx, "-7", 1)).to.include({ serverType: 1, transferExtensionDialString: "111" });
        expect(exampleInputs(RESOURCES.PortGroupMwi, "full", ctx, "-7")).to.include({ mwiOnCode: "678", portGroupId: ctx.PortGroup });
        // Without a suffix, the example values as the tables give them.
        expect(exampleInputs(RESOURCES.AxlServer, "full", ctx)).to.include({ ccmAxlUser: "axl-service" });
    });
});
