/** The codec on Cisco's corrected example payloads, and XML/JSON producing the same objects. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeCollection, decodeErrors, decodeObject, encodeCollection, encodeObject } from "../../provider/client/codec";
import { SPECS } from "../../provider/specs";

/** The spec whose element or collection is `element` (what the codec's callers pass by hand). */
const specForElement = (element: string) => Object.values(SPECS).find((s) => s.element === element || s.collection === element);
import { FIXTURES } from "../helpers";

const read = (f: string) => fs.readFileSync(path.join(FIXTURES, f), "utf8");

describe("codec", () => {
    it("parses the phone system fixture to typed values", () => {
        expect(decodeObject(SPECS.PhoneSystem, read("phonesystem.xml"), "xml")).to.deep.equal({
            URI: "/vmrest/phonesystems/aa6d3f45-ccdf-4fa2-8170-e5c94b51813a",
            ObjectId: "aa6d3f45-ccdf-4fa2-8170-e5c94b51813a",
            DisplayName: "PhoneSystem",
            MwiAlwaysUpdate: false, MwiPortMemory: false, CallLoopSupervisedTransferDetect: false,
            CallLoopForwardNotificationDetect: false, CallLoopDTMF: "A", CallLoopGuardTimeMs: 2500, PortCount: 0,
            EnablePhoneApplications: false, DefaultTRaPSwitch: true, MwiForceOff: false, RestrictDialUnconditional: false,
            RestrictDialScheduled: false, RestrictDialStartTime: 0, RestrictDialEndTime: 0, CallLoopExtensionDetect: true,
            AXLServerURI: "/vmrest/phonesystems/aa6d3f45-ccdf-4fa2-8170-e5c94b51813a/axlservers",
            PhoneSystemAssociationURI: "/vmrest/phonesystems/aa6d3f45-ccdf-4fa2-8170-e5c94b51813a/phonesystemassociations",
        });
    });

    it("parses every collection fixture: arrays always, numeric total, empty elements as ''", () => {
        const cases: [string, string, number][] = [
            ["phonesystems-list.xml", "PhoneSystem", 1], ["axlservers-list.xml", "AxlServer", 2],
            ["phonesystemassociations-list.xml", "PhoneSystemAssociation", 2], ["portgroups-list.xml", "PortGroup", 1],
            ["ports-list.xml", "Port", 2], ["externalservices-list.xml", "ExternalService", 3], ["httpslinks-list.xml", "HttpsLink", 1],
            ["empty-list.xml", "PhoneSystem", 0],
        ];
        for (const [file, kind, n] of cases) {
            const c = decodeCollection(SPECS[kind], read(file), "xml");
            expect(c.total, file).to.equal(n);
            expect(c.items, file).to.be.an("array").with.length(n);
        }
        const axl = decodeCollection(SPECS.AxlServer, read("axlservers-list.xml"), "xml").items[0];
        expect(axl).to.include({ CcmAXLPassword: "", Port: 0, IsPinSyncEnabled: false, HostOrIPAddressV6: "0:0:0:0:0:0:0:1" });
        const pg = decodeCollection(SPECS.PortGroup, read("portgroups-list.xml"), "xml").items[0];
        expect(pg).to.include({ MwiOnCode: "", MwiOffCode: "", EnableMWI: true, PortCount: 2, TelephonyIntegrationMethodEnum: 1 });
        const es = decodeCollection(SPECS.ExternalService, read("externalservices-list.xml"), "xml").items;
        expect(es.map((e) => e.ServerType)).to.deep.equal([4, 5, 1]);
        expect(es[2]).not.to.have.property("AuthenticationMode");
        expect(es[1]).to.include({ ProxyServer: "", ServicePassword: "" });
    });

    it("JSON and XML fixtures of the same link decode to the same shape", () => {
        const fromJson = decodeCollection(SPECS.HttpsLink, read("httpslinks-list.json"), "json");
        expect(fromJson.total).to.equal(1);
        expect(fromJson.items).to.have.length(1); // a one-member JSON collection is an object on the wire
        expect(fromJson.items[0]).to.include({ LastUsn: 114, UseSSL: true, Deleted: false, DisplayName: "qa-ks-vm-482" });
        const single = decodeObject(SPECS.HttpsLink, read("httpslink.json"), "json");
        expect(single).to.deep.equal(fromJson.items[0]);
        const fromXml = decodeObject(SPECS.HttpsLink, read("httpslink.xml"), "xml");
        expect(Object.keys(fromXml).sort()).to.deep.equal(Object.keys(single).sort());
        for (const [k, v] of Object.entries(fromXml)) expect(typeof single[k], k).to.equal(typeof v);
    });

    it("reads ErrorDetails and the 201 body", () => {
        expect(decodeErrors(read("error-404.xml"), "xml")).to.deep.equal([{ code: "NOT_FOUND", message: "phonesystem - ObjectId=aa6d3f45-ccdf-4fa2-8170-e5c94b51813a" }]);
        expect(decodeErrors(read("error-400.xml"), "xml")).to.deep.equal([{ code: "DATA_EXCEPTION", message: "PhoneSystem not found" }]);
        expect(decodeErrors('{"errors":[{"code":"A","message":"x"},{"code":"B","message":"y"}]}', "json")).to.have.length(2);
        expect(decodeErrors('{"errors":{"code":"C","error":["p","q"]}}', "json")).to.deep.equal([{ code: "C", message: "p; q" }]);
        expect(read("phonesystem-created.txt").split("/").pop()).to.equal("aa6d3f45-ccdf-4fa2-8170-e5c94b51813a");
    });

    it("round-trips: encode then decode gives back the same objects in both formats", () => {
        const items = decodeCollection(SPECS.Port, read("ports-list.xml"), "xml").items;
        for (const format of ["xml", "json"] as const) {
            expect(decodeCollection(SPECS.Port, encodeCollection(SPECS.Port, items, 2, format), format)).to.deep.equal({ total: 2, items });
            expect(decodeCollection(SPECS.Port, encodeCollection(SPECS.Port, items.slice(0, 1), 1, format), format).items).to.deep.equal(items.slice(0, 1));
            expect(decodeObject(SPECS.Port, encodeObject(SPECS.Port, items[0], format), format)).to.deep.equal(items[0]);
        }
        expect(encodeCollection(SPECS.Port, [], 0, "json")).to.equal('{"@total":"0"}');
        expect(encodeCollection(SPECS.Port, [], 0, "xml")).to.match(/<Ports total="0"\/>$/);
    });

    it("sends only the given fields, in CUPI's names; empty strings self-close; XML is escaped", () => {
        const body = encodeObject(SPECS.PortGroup, { MwiOnCode: "", MwiOffCode: "<&>" }, "xml");
        expect(body).to.match(/<PortGroup><MwiOnCode\/><MwiOffCode>&lt;&amp;&gt;<\/MwiOffCode><\/PortGroup>$/);
        expect(encodeObject(SPECS.PhoneSystem, { DisplayName: "a", MwiForceOff: true }, "json")).to.equal('{"DisplayName":"a","MwiForceOff":"true"}');
        expect(decodeObject(SPECS.PortGroup, body, "xml")).to.deep.equal({ MwiOnCode: "", MwiOffCode: "<&>" });
    });

    it("tolerates a JSON object wrapped in its type name and unknown fields", () => {
        const r = decodeObject(SPECS.PhoneSystem, '{"PhoneSystem":{"DisplayName":"x","NewField":"7","PortCount":"3"}}', "json");
        expect(r).to.deep.equal({ DisplayName: "x", NewField: "7", PortCount: 3 });
    });

    it("element and path identify one spec each: only singletons share an element (a user's PIN and web password are both Credential)", () => {
        const specs = Object.values(SPECS);
        const pairs = specs.map((s) => `${s.element} ${s.path}`);
        expect(new Set(pairs).size).to.equal(pairs.length);
        const names = specs.filter((s) => !s.singleton).flatMap((s) => [s.element, s.collection]);
        expect(new Set(names).size).to.equal(names.length);
        const shared = specs.filter((s) => specs.some((o) => o !== s && o.element === s.element));
        expect(shared.map((s) => `${s.kind} ${s.singleton}`).sort()).to.deep.equal(["UserPin true", "UserTemplatePin true", "UserTemplateWebPassword true", "UserWebPassword true"]);
        expect(shared.every((s) => !names.includes(s.element))).to.equal(true);
        expect(specForElement("AXLServers")?.kind).to.equal("AxlServer");
        expect(specForElement("Nope")).to.equal(undefined);
    });
});
