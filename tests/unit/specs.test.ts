/** Field tables: names, flags and the helpers every layer reads. */
import { expect } from "chai";
import { SPECS } from "../../provider/specs";
import { camelName, defineObject, field, isMandatory, updatableFields } from "../../provider/specs/types";

describe("field tables", () => {
    it("derive readable camelCase names from CUPI names", () => {
        const cases: Record<string, string> = {
            DisplayName: "displayName", CcmAXLPassword: "ccmAxlPassword", UseSSL: "useSsl", URI: "uri", ObjectId: "objectId",
            HostOrIPAddressV6: "hostOrIpAddressV6", DefaultTRaPSwitch: "defaultTrapSwitch", CallLoopDTMF: "callLoopDtmf",
            SipDoSRTP: "sipDoSrtp", BaseFeedURL: "baseFeedUrl", numNotificationMWI: "numNotificationMwi", EnableMWI: "enableMwi",
        };
        for (const [cupi, ts] of Object.entries(cases)) expect(camelName(cupi), cupi).to.equal(ts);
    });

    it("declare every in-scope object with unique CUPI and TypeScript names", () => {
        expect(Object.keys(SPECS).sort()).to.deep.equal(["AxlServer", "ExternalService", "HttpsLink", "PhoneSystem", "PhoneSystemAssociation", "Port", "PortGroup", "Tenant"]);
        for (const spec of Object.values(SPECS)) {
            expect(spec.byName.size, spec.kind).to.equal(spec.fields.length);
            expect(spec.byCupi.has("URI"), spec.kind).to.equal(true);
            for (const f of spec.fields) expect(f.doc.length, `${spec.kind}.${f.cupi}`).to.be.greaterThan(5);
        }
    });

    it("mark passwords secret and write-only, and ServerType as replace-on-change", () => {
        const secrets = Object.values(SPECS).flatMap((s) => s.fields.filter((f) => f.secret).map((f) => `${s.kind}.${f.cupi}`));
        expect(secrets.sort()).to.deep.equal(["AxlServer.CcmAXLPassword", "ExternalService.ClientSecret", "ExternalService.ServicePassword", "HttpsLink.RemotePassword"]);
        // Secret implies write-only: defineObject refuses a readable secret when the table loads.
        const table = (access: "rw" | "wo") => () => defineObject({
            kind: "Secretive", element: "Secretive", collection: "Secretives", path: "secretives", noun: "secretive", operations: ["list"],
            fields: [field("Pin", "string", access, { secret: true, doc: "A secret PIN." })],
        });
        expect(table("rw")).to.throw("Secretive: Pin is secret, so it must be write-only");
        expect(table("wo")).to.not.throw();
        expect(SPECS.ExternalService.byCupi.get("ServerType")).to.include({ replace: true, createOnly: true });
        expect(updatableFields(SPECS.PortGroup).map((f) => f.cupi)).to.deep.equal(["MwiOnCode", "MwiOffCode"]);
        expect(updatableFields(SPECS.Port)).to.deep.equal([]);
    });

    it("know each server type's mandatory fields (seed: Exchange 8, MeetingPlace 6, Office 365 5)", () => {
        const mandatory = (t: number) => SPECS.ExternalService.fields.filter((f) => isMandatory(f, t)).map((f) => f.cupi);
        expect(mandatory(4)).to.have.members(["DisplayName", "ServerType", "ServiceAlias", "ServicePassword", "Server", "AuthenticationMode", "SecurityTransportType", "ExchServerType"]);
        expect(mandatory(1)).to.have.members(["DisplayName", "ServerType", "ServiceAlias", "ServicePassword", "Server", "TransferExtensionDialString"]);
        expect(mandatory(5)).to.have.members(["DisplayName", "ServerType", "ServiceAlias", "ServicePassword", "Server"]);
    });
});
