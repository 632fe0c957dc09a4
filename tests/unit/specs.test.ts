/** Field tables: names, flags and the helpers every layer reads. */
import { expect } from "chai";
import { RESOURCES } from "../../provider/resources";
import { SPECS } from "../../provider/specs";
import { camelName, defineObject, field, isMandatory, OBJECT_ID, updatableFields, URI, type Field } from "../../provider/specs/types";

describe("field tables", () => {
    it("derive readable camelCase names from CUPI names", () => {
        const cases: Record<string, string> = {
            DisplayName: "displayName", CcmAXLPassword: "ccmAxlPassword", UseSSL: "useSsl", URI: "uri", ObjectId: "objectId",
            HostOrIPAddressV6: "hostOrIpAddressV6", DefaultTRaPSwitch: "defaultTrapSwitch", CallLoopDTMF: "callLoopDtmf",
            SipDoSRTP: "sipDoSrtp", BaseFeedURL: "baseFeedUrl", numNotificationMWI: "numNotificationMwi", EnableMWI: "enableMwi",
        };
        for (const [cupi, ts] of Object.entries(cases)) expect(camelName(cupi), cupi).to.equal(ts);
    });

    it("declare every in-scope object once, under its own kind, with its own element, collection and path", () => {
        const specs = Object.entries(SPECS);
        expect(specs).to.have.length.greaterThan(0);
        for (const [kind, spec] of specs) {
            expect(spec.kind).to.equal(kind);
            expect(spec.byCupi.has("URI"), spec.kind).to.equal(true);
            expect(spec.byCupi.has("ObjectId"), spec.kind).to.equal(true);
            for (const f of spec.fields) expect(f.doc.length, `${spec.kind}.${f.cupi}`).to.be.greaterThan(5);
            if (spec.parent) expect(SPECS[spec.parent.kind], `${kind}'s parent`).to.be.an("object");
        }
        const paths = specs.map(([, s]) => s.path);
        expect(new Set(paths).size, "path").to.equal(paths.length);
        // A singleton (a user's PIN, its web password) may share its element with another: its path tells them apart.
        for (const key of ["element", "collection"] as const) {
            const values = specs.filter(([, s]) => !s.singleton).map(([, s]) => s[key]);
            expect(new Set(values).size, key).to.equal(values.length);
        }
        // Every object a resource manages, or hangs off, is one of them.
        for (const def of Object.values(RESOURCES)) {
            expect(SPECS[def.spec.kind], def.kind).to.equal(def.spec);
            if (def.parent) expect(SPECS[RESOURCES[def.parent.kind]?.spec.kind ?? def.parent.kind], `${def.kind}'s parent`).to.be.an("object");
        }
    });

    it("refuse a table that declares a field twice, by CUPI or TypeScript name, or a {parent} path without its parent field", () => {
        const table = (fields: Field[], more: { path?: string; parent?: { kind: string; field: string } } = {}) => () => defineObject({
            kind: "Thing", element: "Thing", collection: "Things", path: "things", noun: "thing", operations: ["list"],
            fields: [URI("/vmrest/things/1"), OBJECT_ID, ...fields], ...more,
        });
        const name = field("DisplayName", "string", "rw", { doc: "The name." });
        expect(table([name])).not.to.throw();
        expect(table([name, field("DisplayName", "string", "ro", { doc: "The name again." })])).to.throw("field table Thing declares a field twice");
        expect(table([name, field("Label", "string", "rw", { name: "displayName", doc: "Another name." })])).to.throw("field table Thing declares a field twice");
        const owner = field("OwnerObjectId", "string", "ro", { doc: "The owner." });
        expect(table([owner], { path: "owners/{parent}/things", parent: { kind: "PhoneSystem", field: "OwnerObjectId" } })).not.to.throw();
        expect(table([owner], { path: "owners/{parent}/things" })).to.throw("a path with {parent} needs parent { kind, field }");
        expect(table([owner], { parent: { kind: "PhoneSystem", field: "OwnerObjectId" } })).to.throw("a path with {parent} needs parent { kind, field }");
        // A pattern says what it accepts: the check names that, not the field's description.
        expect(() => field("Digit", "string", "rw", { pattern: /^[0-9]$/, doc: "A digit." })).to.throw("Digit: a pattern needs its expected text");
        expect(() => field("Digit", "string", "rw", { pattern: /^[0-9]$/, expected: "one digit", doc: "A digit." })).not.to.throw();
        expect(table([owner], { path: "owners/{parent}/things", parent: { kind: "PhoneSystem", field: "Missing" } })).to.throw("a path with {parent} needs parent { kind, field }");
    });

    it("mark passwords secret and write-only, and ServerType as replace-on-change", () => {
        const secrets = Object.values(SPECS).flatMap((s) => s.fields.filter((f) => f.secret).map((f) => `${s.kind}.${f.cupi}`));
        // Secret exactly when named a password or a secret, or a credential's Credentials (a PIN or web password), in every table.
        const named = Object.values(SPECS).flatMap((s) => s.fields.filter((f) => /(Password|Secret)$/.test(f.cupi) || (f.cupi === "Credentials" && /\/credential\//.test(s.path))).map((f) => `${s.kind}.${f.cupi}`));
        expect(secrets.sort()).to.deep.equal(named.sort());
        expect(secrets).to.include.members([
            "AxlServer.CcmAXLPassword", "ExternalService.ClientSecret", "ExternalService.ServicePassword", "HttpsLink.RemotePassword",
            "UserPin.Credentials", "UserWebPassword.Credentials", "UserTemplatePin.Credentials", "UserTemplateWebPassword.Credentials",
        ]);
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
