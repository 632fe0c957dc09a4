/**
 * The SDK classes in a Pulumi program run against pulumi.runtime.setMocks: type tokens, inputs,
 * outputs, secret passwords, the refusal of `import`, and Resource.get.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import { FUNCTIONS_TARGET, NATIVE_TARGET, README, render, renderFunctions, renderNative, renderSchema, SCHEMA_TARGET, renderReadme, renderTypes, TARGET, TYPES_TARGET } from "../../scripts/gen-sdk";

import { unknownSettings } from "../../provider/client/settings";
import { sim } from "../helpers";
import { registered, value } from "./mocks";

// Loaded after setMocks so the resources register with the mock monitor.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cuc = require("../../sdk") as typeof import("../../sdk");

const isSecret = (o: pulumi.Output<unknown>): Promise<boolean> => (o as unknown as { isSecret: Promise<boolean> }).isSecret;

describe("sdk (setMocks)", () => {
    it("registers readable type tokens and passes inputs with the serialized shim", async () => {
        const ps = new cuc.PhoneSystem("cucm", { mwiAlwaysUpdate: true });
        const axl = new cuc.AxlServer("pub", { phoneSystemId: ps.objectId, hostOrIpAddress: "10.0.0.1", ccmAxlUser: "axl", ccmAxlPassword: "Axl-Secret-1" });
        expect(await value(axl.hostOrIpAddress)).to.equal("10.0.0.1");
        expect(await value(ps.mwiAlwaysUpdate)).to.equal(true);
        const types = registered.map((r) => r.type);
        expect(types).to.include("pulumi-nodejs:dynamic/cuc:PhoneSystem").and.to.include("pulumi-nodejs:dynamic/cuc:AxlServer");
        const psInputs = registered.find((r) => r.name === "cucm")!.inputs;
        expect(psInputs.__cucName).to.equal("cucm");
        expect(String(psInputs.__provider)).to.contain('require("pulumi-cuc/provider")');
        expect(String(psInputs.__provider)).not.to.contain("Axl-Secret-1");
    });

    it("marks passwords and connections secret", async () => {
        const es = new cuc.ExternalService("um", { serverType: "Office 365", serviceAlias: "svc", servicePassword: "Svc-Secret-2", server: "outlook.office365.com" });
        const link = new cuc.HttpsLink("b", { remoteServer: "cuc-b", remoteUsername: "admin", remotePassword: "Remote-Secret-3", connection: { server: "cuc-a", username: "admin", password: "Conn-Secret-4" } });
        expect(await isSecret(es.servicePassword)).to.equal(true);
        expect(await isSecret(link.remotePassword)).to.equal(true);
        expect(await isSecret(link.connection as unknown as pulumi.Output<unknown>)).to.equal(true);
        expect(await isSecret(es.displayName)).to.equal(false);
        expect(await value(es.serverType)).to.equal("Office 365");
    });

    it("refuses the import option with a pointer to adoption and Resource.get", () => {
        expect(() => new cuc.PhoneSystem("imported", {}, { import: "05186ad4-572c-48d1-aaa6-ac22280c8702" }))
            .to.throw(/cannot work with dynamic providers.*pulumi\/pulumi#16175.*adopt.*PhoneSystem\.get.*or use the native provider \(pulumi-cuc\/native\), which can import\.$/s);
    });

    it("takes no stack trace per promise while the SDK builds a resource, and restores the limit, also when the constructor throws", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const native = require("../../sdk/native") as typeof import("../../sdk/native");
        const saved = Error.stackTraceLimit;
        try {
            Error.stackTraceLimit = 17;
            const during: number[] = [];
            // A transformation runs inside the SDK's constructor, where it makes the outputs' promises.
            const seen: pulumi.ResourceTransformation = () => void during.push(Error.stackTraceLimit);
            new cuc.Partition("traces-dynamic", { name: "Traces" }, { transformations: [seen] });
            new native.Partition("traces-native", { name: "Traces" }, { transformations: [seen] });
            expect(during).to.deep.equal([0, 0]);
            expect(Error.stackTraceLimit, "restored").to.equal(17);
            const fails: pulumi.ResourceTransformation = () => {
                throw new Error("transformation failed");
            };
            expect(() => new cuc.Partition("traces-fail", { name: "Traces" }, { transformations: [fails] })).to.throw("transformation failed");
            expect(() => new native.Partition("traces-fail-native", { name: "Traces" }, { transformations: [fails] })).to.throw("transformation failed");
            expect(Error.stackTraceLimit, "restored after a throw").to.equal(17);
        } finally {
            Error.stackTraceLimit = saved;
        }
    });

    it("Resource.get reads an object by id without managing it", async () => {
        const got = cuc.PortGroupMwi.get("pg", "035853ce-f4e6-4de2-bda2-84acf827a555");
        expect(await value(got.id)).to.equal("035853ce-f4e6-4de2-bda2-84acf827a555");
        const entry = registered.find((r) => r.name === "pg")!;
        expect(entry.type).to.equal("pulumi-nodejs:dynamic/cuc:PortGroupMwi");
        expect(entry.inputs.__cucName).to.equal(undefined);
    });

    it("a cuc:* key that is not a setting ends the program before any request: one RunError naming it and the closest setting", async () => {
        const s = await sim();
        const saved = pulumi.runtime.allConfig();
        const count = registered.length;
        const caught = (fn: () => unknown) => { try { fn(); return undefined; } catch (e) { return e; } };
        try {
            pulumi.runtime.setConfig("cuc:serverr", "cuc-pub.example.com");
            const first = caught(() => new cuc.PhoneSystem("misspelt-config", { mwiForceOff: true }));
            expect(pulumi.RunError.isInstance(first), String(first)).to.equal(true);
            const message = (first as Error).message;
            expect(message).to.equal(`pulumi-cuc: ${unknownSettings(["serverr"])}`); // CheckConfig's words in native mode
            expect(message).to.contain("cuc:serverr is not a setting").and.to.contain("did you mean cuc:server?").and.to.contain("cuc:server, cuc:username, cuc:password");
            expect(message).not.to.contain("\n");
            // The same error object each time: Pulumi reports an error once, not once per resource.
            expect(caught(() => new cuc.AxlServer("misspelt-config-axl", { phoneSystemId: "05186ad4-572c-48d1-aaa6-ac22280c8702", hostOrIpAddress: "cucm" }))).to.equal(first);
            const connection = { server: s.url, username: s.user, password: s.password };
            expect(await cuc.getPhoneSystems({ connection }).then(() => undefined, (e: unknown) => e)).to.equal(first);
            expect(caught(() => cuc.getPhoneSystemsOutput({ connection })), "in the program's flow, not in an apply").to.equal(first);
            expect(registered.length, "nothing registered").to.equal(count);
            expect(s.stats().requests, "nothing sent").to.equal(0);
        } finally {
            pulumi.runtime.setAllConfig(saved);
            await s.close();
        }
        // Fixed: the program runs again.
        expect(await value(new cuc.PhoneSystem("spelt-right", { mwiForceOff: true }).mwiForceOff)).to.equal(true);
        expect(registered.map((r) => r.name)).to.include("spelt-right").and.not.to.include("misspelt-config");
    });

    it("the generated classes and data-source functions are up to date with the tables", () => {
        expect(fs.readFileSync(TARGET, "utf8")).to.equal(render(), "run `npm run gen`");
        expect(fs.readFileSync(TYPES_TARGET, "utf8")).to.equal(renderTypes(), "run `npm run gen`");
        expect(fs.readFileSync(FUNCTIONS_TARGET, "utf8")).to.equal(renderFunctions(), "run `npm run gen`");
        expect(fs.readFileSync(NATIVE_TARGET, "utf8")).to.equal(renderNative(), "run `npm run gen`");
        expect(fs.readFileSync(SCHEMA_TARGET, "utf8")).to.equal(renderSchema(), "run `npm run gen`");
        const readme = fs.readFileSync(README, "utf8");
        // The README links the reference (docs/, held to the tables by docs.test.ts) instead of holding it.
        expect(readme).to.contain("[PhoneSystem](docs/resources/PhoneSystem.md)").and.to.contain("[`getPorts`](docs/functions/getPorts.md#getports)");
        expect(readme).to.equal(renderReadme(readme), "run `npm run gen`");
    });
});
