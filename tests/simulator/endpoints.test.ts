/**
 * The simulator over real HTTP, without our client: every endpoint in XML and JSON, every
 * error case of issue #2, paging, query and sort.
 */
import { expect } from "chai";
import { XMLParser } from "fast-xml-parser";
import type { Simulator } from "../../simulator";
import { SPECS, type Operation } from "../../provider/specs";
import { raw, sim, withoutRefsTo, xml } from "../helpers";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const PG = "035853ce-f4e6-4de2-bda2-84acf827a555";
const PORT = "2806ecdc-0a3d-43f3-a2c8-93d786fa506b";
const TENANT = "fe6541fb-b42c-44f2-8404-ded14cbf7438";
const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false });

type Body = Record<string, unknown>;
const JSON_ACCEPT = "application/json";

/** Reads a body in either format into `{ root, value }` (JSON has no root: use the given one). */
function parse(format: "xml" | "json", body: string): Body {
    if (format === "json") return JSON.parse(body) as Body;
    const doc = parser.parse(body) as Body;
    const root = Object.keys(doc).find((k) => !k.startsWith("?"))!;
    return doc[root] as Body;
}

function items(format: "xml" | "json", body: string, element: string): Body[] {
    const v = parse(format, body)[element];
    return v === undefined ? [] : Array.isArray(v) ? (v as Body[]) : [v as Body];
}

const idOf = (uriBody: string) => uriBody.trim().split("/").pop()!;

describe("simulator: endpoints", function () {
    let s: Simulator;
    beforeEach(async () => {
        s = await sim();
    });
    afterEach(() => s.close());

    for (const format of ["xml", "json"] as const) {
        const accept = format === "json" ? JSON_ACCEPT : undefined;
        const send = (method: string, p: string, element?: string, fields?: Record<string, string | number | boolean>) =>
            raw(s, method, p, {
                accept,
                body: element ? (format === "json" ? JSON.stringify(fields) : xml(element, fields!)) : undefined,
                contentType: format === "json" ? "application/json" : "application/xml",
            });

        describe(`in ${format}`, () => {
            it("GET /vmrest/version", async () => {
                const res = await send("GET", "/vmrest/version");
                expect(res.status).to.equal(200);
                expect(String(parse(format, res.body).version)).to.match(/^\d+\.\d+\.\d+/);
            });

            it("phone systems: list, get, create with defaults, update, delete", async () => {
                let res = await send("GET", "/vmrest/phonesystems");
                expect(res.status).to.equal(200);
                const list = parse(format, res.body);
                expect(String(list["@total"])).to.equal("1");
                // CUPI's JSON gives a one-member collection as an object and every scalar as a string.
                if (format === "json") expect(list.PhoneSystem).to.be.an("object").and.not.be.an("array");
                expect(items(format, res.body, "PhoneSystem")[0].PortCount).to.equal("8");

                res = await send("POST", "/vmrest/phonesystems", "PhoneSystem", { DisplayName: `PS-${format}` });
                expect(res.status).to.equal(201);
                expect(res.headers["content-type"]).to.match(/^text\/plain/);
                expect(res.body).to.match(/^\/vmrest\/phonesystems\/[0-9a-f-]{36}$/);
                expect(res.headers.location).to.equal(`${s.url}${res.body}`);
                const id = idOf(res.body);

                res = await send("GET", `/vmrest/phonesystems/${id}`);
                expect(res.status).to.equal(200);
                const created = parse(format, res.body);
                expect(created).to.include({
                    DisplayName: `PS-${format}`, CallLoopDTMF: "A", CallLoopGuardTimeMs: "2500", CallLoopExtensionDetect: "true",
                    MwiAlwaysUpdate: "false", DefaultTRaPSwitch: "false", PortCount: "0",
                    AXLServerURI: `/vmrest/phonesystems/${id}/axlservers`,
                });

                res = await send("PUT", `/vmrest/phonesystems/${id}`, "PhoneSystem", { MwiAlwaysUpdate: true, CallLoopGuardTimeMs: 3000, PortCount: 99 });
                expect(res.status).to.equal(204);
                expect(res.body).to.equal("");
                res = await send("GET", `/vmrest/phonesystems/${id}`);
                expect(parse(format, res.body)).to.include({ MwiAlwaysUpdate: "true", CallLoopGuardTimeMs: "3000", PortCount: "0" });

                res = await send("DELETE", `/vmrest/phonesystems/${id}`);
                expect(res.status).to.equal(204);
                res = await send("GET", `/vmrest/phonesystems/${id}`);
                expect(res.status).to.equal(404);
            });

            it("AXL servers: list, create, get, update, delete; passwords come back empty", async () => {
                let res = await send("POST", `/vmrest/phonesystems/${PS}/axlservers`, "AXLServer", {
                    MediaSwitchObjectId: PS, HostOrIPAddress: "10.105.255.1", Port: 8443, Precedence: 0, CcmAXLUser: "axl", CcmAXLPassword: "axl-pw-1",
                });
                expect(res.status).to.equal(201);
                const id = idOf(res.body);
                res = await send("GET", `/vmrest/phonesystems/${PS}/axlservers`);
                const list = items(format, res.body, "AXLServer");
                expect(list).to.have.length(1);
                // The seed's defaults for what the POST left out, the server-set SkinnyStateMachineEnum included.
                expect(list[0]).to.include({
                    HostOrIPAddress: "10.105.255.1", Port: "8443", CcmAXLPassword: "", MediaRemoteServiceEnum: "103",
                    SkinnyStateMachineEnum: "10", TlsPort: "0", IsPinSyncEnabled: "false",
                });
                expect(res.body).not.to.contain("axl-pw-1");
                res = await send("PUT", `/vmrest/phonesystems/${PS}/axlservers/${id}`, "AXLServer", { CcmAXLUser: "CiscoCCM", CcmAXLPassword: "new-pw" });
                expect(res.status).to.equal(204);
                res = await send("GET", `/vmrest/phonesystems/${PS}/axlservers/${id}`);
                expect(parse(format, res.body)).to.include({ CcmAXLUser: "CiscoCCM", CcmAXLPassword: "" });
                res = await send("DELETE", `/vmrest/phonesystems/${PS}/axlservers/${id}`);
                expect(res.status).to.equal(204);
                res = await send("DELETE", `/vmrest/phonesystems/${PS}/axlservers/${id}`);
                expect(res.status).to.equal(404);
            });

            it("users: the count-only credential check other CUPI tools use, 401 without credentials", async () => {
                let res = await send("GET", "/vmrest/users?rowsPerPage=0");
                expect(res.status).to.equal(200);
                expect(res.headers["content-type"]).to.match(format === "json" ? /^application\/json/ : /^application\/xml/);
                if (format === "json") expect(JSON.parse(res.body)).to.deep.equal({ "@total": "2" });
                else expect(res.body).to.match(/<Users total="2"\/>$/);
                // The dataset's two built-in users, operator second.
                res = await send("GET", "/vmrest/users?rowsPerPage=1&pageNumber=2");
                expect(String(parse(format, res.body)["@total"])).to.equal("2");
                const [user] = items(format, res.body, "User");
                // The list's short form (the table's shortList); the object itself has every field.
                expect(user).to.include({
                    URI: "/vmrest/users/6b455973-13d1-4b10-871e-1d1d55f160d2", ObjectId: "6b455973-13d1-4b10-871e-1d1d55f160d2",
                    Alias: "operator", DisplayName: "Operator", Undeletable: "true",
                });
                expect(Object.keys(user).filter((k) => !k.startsWith("@")).every((k) => SPECS.User.shortList!.includes(k)), Object.keys(user).join()).to.equal(true);
                res = await send("GET", String(user.URI));
                expect(res.status).to.equal(200);
                expect(parse(format, res.body)).to.include({ Alias: "operator", MediaSwitchObjectId: PS });
                res = await raw(s, "GET", "/vmrest/users?rowsPerPage=0", { accept, auth: false });
                expect(res.status).to.equal(401);
                expect(res.body).not.to.contain("total");
                res = await raw(s, "GET", "/vmrest/users?rowsPerPage=0", { accept, auth: { user: s.user, password: "wrong" } });
                expect(res.status).to.equal(401);
            });

            it("phone system associations: list; an unknown parent gives an empty list", async () => {
                let res = await send("GET", `/vmrest/phonesystems/${PS}/phonesystemassociations`);
                expect(items(format, res.body, "PhoneSystemAssociation").map((a) => a.Alias)).to.deep.equal(["undeliverablemessagesmailbox", "operator"]);
                res = await send("GET", `/vmrest/phonesystems/${UNKNOWN}/phonesystemassociations`);
                expect(res.status).to.equal(200);
                expect(String(parse(format, res.body)["@total"])).to.equal("0");
                expect(items(format, res.body, "PhoneSystemAssociation")).to.deep.equal([]);
            });

            it("port groups: list, get, search, sort; PUT changes only the MWI codes", async () => {
                let res = await send("GET", "/vmrest/portgroups?query=(DisplayName%20is%20phonesystem-2)");
                expect(items(format, res.body, "PortGroup").map((g) => g.DisplayName)).to.deep.equal(["PhoneSystem-2"]);
                res = await send("GET", "/vmrest/portgroups?query=(EnableMWI%20is%201)&sort=(DisplayName%20desc)");
                expect(items(format, res.body, "PortGroup").map((g) => g.DisplayName)).to.deep.equal(["PhoneSystem-2", "PhoneSystem-1"]);
                res = await send("PUT", `/vmrest/portgroups/${PG}`, "PortGroup", { MwiOnCode: "678", MwiOffCode: "876", DisplayName: "ignored", EnableMWI: false });
                expect(res.status).to.equal(204);
                res = await send("GET", `/vmrest/portgroups/${PG}`);
                expect(parse(format, res.body)).to.include({ MwiOnCode: "678", MwiOffCode: "876", DisplayName: "PhoneSystem-1", EnableMWI: "true", PortCount: "4" });
                res = await send("POST", "/vmrest/portgroups", "PortGroup", { DisplayName: "x" });
                expect(res.status).to.equal(405);
                res = await send("DELETE", `/vmrest/portgroups/${PG}`);
                expect(res.status).to.equal(405);
            });

            it("ports: list, get, search, sort; read-only (405 for writes)", async () => {
                let res = await send("GET", `/vmrest/ports?query=(MediaPortGroupObjectId%20is%20${PG})&sort=(DisplayName%20desc)`);
                const ports = items(format, res.body, "Port");
                expect(ports.map((p) => p.DisplayName)).to.deep.equal(["PhoneSystem-1-004", "PhoneSystem-1-003", "PhoneSystem-1-002", "PhoneSystem-1-001"]);
                expect(ports[0]).to.include({ MediaSwitchObjectId: PS, MediaPortGroupDisplayName: "PhoneSystem-1", MediaSwitchDisplayName: "PhoneSystem" });
                res = await send("GET", "/vmrest/ports?query=(DisplayName%20startswith%20PhoneSystem-2)");
                expect(String(parse(format, res.body)["@total"])).to.equal("4");
                res = await send("GET", `/vmrest/ports/${PORT}`);
                expect(parse(format, res.body)).to.include({ SkinnyDeviceName: "PhoneSystem1-VI1", PortNumInGroup: "1" });
                for (const [method, p] of [["POST", "/vmrest/ports"], ["PUT", `/vmrest/ports/${PORT}`], ["DELETE", `/vmrest/ports/${PORT}`]]) {
                    res = await send(method, p, "Port", { CapAnswer: false });
                    expect(res.status, `${method} ${p}`).to.equal(405);
                    expect(res.headers.allow).to.equal("GET");
                }
            });

            it("external services: each server type's mandatory fields, tenant query, update, both delete paths", async () => {
                const exchange = { DisplayName: `UMS-${format}`, ServiceAlias: "corp\\svc", ServicePassword: "Ums-pw-1", ServerType: 4, Server: "10.65.156.190", AuthenticationMode: 1, ExchServerType: 1, SecurityTransportType: 1, TenantObjectId: TENANT };
                const meeting = { DisplayName: `MP-${format}`, ServiceAlias: "admin", ServicePassword: "mp-pw-1", ServerType: 1, Server: "10.76.175.167", TransferExtensionDialString: "111111" };
                const o365 = { DisplayName: `O365-${format}`, ServiceAlias: "admin", ServicePassword: "o365-pw-1", ServerType: 5, Server: "outlook.office365.com" };
                const ids: string[] = [];
                for (const body of [exchange, meeting, o365]) {
                    for (const missing of Object.keys(body).filter((k) => k !== "TenantObjectId")) {
                        const partial: Record<string, string | number> = { ...body, DisplayName: `${body.DisplayName}-${missing}` };
                        delete partial[missing];
                        const res = await send("POST", "/vmrest/externalservices", "ExternalService", partial);
                        expect(res.status, `ServerType ${body.ServerType} without ${missing}`).to.equal(400);
                        expect(res.body).to.contain("DATA_EXCEPTION").and.to.contain(missing === "ServerType" ? "Missing" : missing);
                    }
                    const res = await send("POST", "/vmrest/externalservices", "ExternalService", body);
                    expect(res.status, res.body).to.equal(201);
                    ids.push(idOf(res.body));
                }
                let res = await send("GET", `/vmrest/externalservices?query=(TenantObjectId%20is%20${TENANT})`);
                expect(items(format, res.body, "ExternalService").map((e) => e.DisplayName)).to.deep.equal([exchange.DisplayName]);
                res = await send("GET", `/vmrest/externalservices/${ids[1]}`);
                const mp = parse(format, res.body);
                expect(mp).to.include({ ServerType: "1", TransferExtensionDialString: "111111", ServicePassword: "", SupportsMeetingCapability: "true" });
                expect(mp).not.to.have.property("AuthenticationMode"); // null columns are omitted
                res = await send("GET", `/vmrest/externalservices/${ids[0]}`);
                expect(parse(format, res.body)).to.include({ ExchServerType: "1", MailboxSynchEmailAction: "2", IsEnabled: "true" });
                res = await send("PUT", `/vmrest/externalservices/${ids[0]}`, "ExternalService", { Server: "mail2.example.com", ServicePassword: "Ums-pw-2" });
                expect(res.status).to.equal(204);
                res = await send("DELETE", `/vmrest/externalservices/${ids[0]}`);
                expect(res.status).to.equal(204);
                res = await send("DELETE", `/vmrest/usertemplates/externalservices/${ids[1]}`);
                expect(res.status).to.equal(204);
                res = await send("GET", "/vmrest/externalservices");
                expect(items(format, res.body, "ExternalService").map((e) => e.DisplayName)).to.deep.equal([o365.DisplayName]);
            });

            it("call handlers at the SDK's paths and at the guide's (EVERYDAY.md §13 item 4); a fresh server's schedules", async () => {
                const [template] = items(format, (await send("GET", "/vmrest/callhandlertemplates")).body, "CallhandlerTemplate");
                let res = await send("POST", `/vmrest/handlers/callhandlers?templateObjectId=${String(template.ObjectId)}`, "Callhandler", { DisplayName: "Paths Handler", DtmfAccessId: "5390" });
                expect(res.status, res.body).to.equal(201);
                const id = idOf(res.body);
                expect(parse(format, (await send("GET", `/vmrest/callhandlers/${id}`)).body)).to.include({ DisplayName: "Paths Handler" });
                res = await send("PUT", `/vmrest/callhandler/${id}/greetings/Off%20Hours`, "Greeting", { PlayWhat: 1 });
                expect(res.status, res.body).to.equal(204);
                expect(parse(format, (await send("GET", `/vmrest/handlers/callhandlers/${id}/greetings/Off%20Hours`)).body)).to.include({ PlayWhat: "1" });
                expect(items(format, (await send("GET", `/vmrest/callhandlers/${id}/menuentries`)).body, "MenuEntry")).to.have.length(12);
                res = await send("DELETE", `/vmrest/callhandlers/${id}`);
                expect(res.status).to.equal(204);
                expect((await send("GET", `/vmrest/handlers/callhandlers/${id}`)).status).to.equal(404);
                const sets = items(format, (await send("GET", "/vmrest/schedulesets")).body, "ScheduleSet").map((x) => x.DisplayName);
                expect(sets).to.include.members(["All Hours", "Weekdays"]);
                const schedules = items(format, (await send("GET", "/vmrest/schedules")).body, "Schedule");
                expect(schedules.map((x) => `${String(x.DisplayName)} ${String(x.IsHoliday)}`)).to.include.members(["All Hours false", "Weekdays false", "Holidays true"]);
                const weekdays = schedules.find((x) => x.DisplayName === "Weekdays")!;
                expect(items(format, (await send("GET", `/vmrest/schedules/${String(weekdays.ObjectId)}/scheduledetails`)).body, "ScheduleDetail")[0]).to.include({ StartTime: "480", EndTime: "1020", IsActiveMonday: "true", IsActiveSaturday: "false" });
            });

            it("tenants: list and get", async () => {
                let res = await send("GET", "/vmrest/tenants");
                expect(items(format, res.body, "Tenant")[0]).to.include({ ObjectId: TENANT, Alias: "tenant-a" });
                res = await send("GET", `/vmrest/tenants/${TENANT}`);
                expect(parse(format, res.body)).to.include({ PhoneSystemObjectId: PS });
            });

            it("HTTPS links: autojoin, get, PUT, one-way SyncDistributionLists, unjoin, purge, unjoinself", async () => {
                let res = await send("POST", "/vmrest/httpslinks/operation/autojoin", "HttpsLink", { RemoteServer: "cuc-b.example.com", RemoteUsername: "admin", RemotePassword: "remote-pw", UseSSL: false });
                expect(res.status).to.equal(400);
                expect(res.body).to.contain("UseSSL");
                for (const missing of ["RemoteServer", "RemoteUsername", "RemotePassword"]) {
                    const body: Record<string, string | boolean> = { RemoteServer: "cuc-b.example.com", RemoteUsername: "admin", RemotePassword: "remote-pw", UseSSL: true };
                    delete body[missing];
                    res = await send("POST", "/vmrest/httpslinks/operation/autojoin", "HttpsLink", body);
                    expect(res.status, missing).to.equal(400);
                    expect(res.body).to.contain(missing);
                }
                res = await send("POST", "/vmrest/httpslinks/operation/autojoin", "HttpsLink", { RemoteServer: "cuc-b.example.com", RemoteUsername: "admin", RemotePassword: "remote-pw", UseSSL: true, AcceptSelfSignedCertificates: true });
                expect(res.status).to.equal(201);
                const id = idOf(res.body);
                res = await send("POST", "/vmrest/httpslinks/operation/autojoin", "HttpsLink", { RemoteServer: "cuc-c.example.com", RemoteUsername: "admin", RemotePassword: "remote-pw" });
                const other = idOf(res.body);
                res = await send("GET", "/vmrest/httpslinks/");
                expect(items(format, res.body, "HttpsLink")).to.have.length(2);
                res = await send("GET", `/vmrest/httpslinks/${id}`);
                const link = parse(format, res.body);
                expect(link).to.include({ DisplayName: "cuc-b", BaseFeedURL: "https://cuc-b.example.com/feeder", UseSSL: "true", AcceptSelfSignedCertificates: "true", Deleted: "false" });
                expect(res.body).not.to.contain("remote-pw").and.not.to.contain("RemotePassword");
                res = await send("PUT", `/vmrest/httpslinks/${id}`, "HttpsLink", { DisplayName: "Site B", SyncDistributionLists: true, AcceptCertificateErrors: true, UseSSL: true });
                expect(res.status).to.equal(204);
                res = await send("PUT", `/vmrest/httpslinks/${id}`, "HttpsLink", { SyncDistributionLists: false });
                expect(res.status).to.equal(400);
                expect(res.body).to.contain("SyncDistributionLists");
                res = await send("POST", "/vmrest/httpslinks", "HttpsLink", { RemoteServer: "x" });
                expect(res.status).to.equal(405);
                res = await send("DELETE", `/vmrest/httpslinks/${id}`);
                expect(res.status).to.equal(405);
                res = await send("DELETE", `/vmrest/httpslinks/operation/unjoin/${id}`);
                expect(res.status).to.equal(200);
                res = await send("GET", `/vmrest/httpslinks/${id}`);
                expect(parse(format, res.body)).to.include({ Deleted: "true", DisplayName: "Site B" });
                res = await raw(s, "POST", "/__sim/purge");
                expect(JSON.parse(res.body)).to.deep.equal({ purged: 1 });
                res = await send("GET", `/vmrest/httpslinks/${id}`);
                expect(res.status).to.equal(404);
                res = await send("DELETE", "/vmrest/httpslinks/operation/unjoinself");
                expect(res.status).to.equal(200);
                res = await send("GET", `/vmrest/httpslinks/${other}`);
                expect(parse(format, res.body)).to.include({ Deleted: "true" });
            });

            it("errors: 404 NOT_FOUND on GET/DELETE, 400 DATA_EXCEPTION on PUT of unknown ids and bad input", async () => {
                let res = await send("GET", `/vmrest/phonesystems/${UNKNOWN}`);
                expect(res.status).to.equal(404);
                const err = parse(format, res.body);
                const errors = (format === "json" ? err.errors : err.errors) as Body;
                expect(errors).to.deep.equal({ code: "NOT_FOUND", message: `phonesystem - ObjectId=${UNKNOWN}` });
                res = await send("DELETE", `/vmrest/externalservices/${UNKNOWN}`);
                expect(res.status).to.equal(404);
                res = await send("GET", "/vmrest/phonesystems/bogus");
                expect(res.status).to.equal(404);
                res = await send("PUT", `/vmrest/phonesystems/${UNKNOWN}`, "PhoneSystem", { MwiForceOff: true });
                expect(res.status).to.equal(400);
                expect(parse(format, res.body).errors).to.deep.equal({ code: "DATA_EXCEPTION", message: "PhoneSystem not found" });
                const bad: [string, Record<string, string | number | boolean>, string][] = [
                    ["missing DisplayName", { MwiForceOff: true }, "DisplayName"],
                    ["duplicate DisplayName", { DisplayName: "phonesystem" }, "already used"],
                    ["bad boolean", { DisplayName: "x1", MwiForceOff: "maybe" }, "MwiForceOff"],
                    ["bad integer", { DisplayName: "x2", CallLoopGuardTimeMs: "fast" }, "CallLoopGuardTimeMs"],
                    ["bad DTMF", { DisplayName: "x3", CallLoopDTMF: "Z" }, "CallLoopDTMF"],
                ];
                for (const [what, body, needle] of bad) {
                    res = await send("POST", "/vmrest/phonesystems", "PhoneSystem", body);
                    expect(res.status, what).to.equal(400);
                    expect(res.body, what).to.contain(needle);
                }
                res = await send("POST", "/vmrest/externalservices", "ExternalService", { DisplayName: "e", ServiceAlias: "a", ServicePassword: "p", ServerType: 7, Server: "s" });
                expect(res.status).to.equal(400);
                expect(res.body).to.contain("ServerType");
                // Deleting a phone system that users still reference is refused.
                res = await send("DELETE", `/vmrest/phonesystems/${PS}`);
                expect(res.status).to.equal(400);
                expect(res.body).to.contain("associated");
            });
        });
    }

    it("singular /vmrest/phonesystem/<id> does not exist (seed typo)", async () => {
        const res = await raw(s, "GET", `/vmrest/phonesystem/${PS}`);
        expect(res.status).to.equal(404);
    });

    it("415 for a body without a usable content type, 405 for unsupported methods", async () => {
        let res = await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "n" }), contentType: null });
        expect(res.status).to.equal(415);
        res = await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "n" }), contentType: "text/plain" });
        expect(res.status).to.equal(415);
        res = await raw(s, "PATCH", `/vmrest/phonesystems/${PS}`, { body: "{}", contentType: "application/json" });
        expect(res.status).to.equal(405);
        expect(res.headers.allow).to.equal("GET, PUT, DELETE");
    });

    it("malformed XML and JSON bodies get 400", async () => {
        let res = await raw(s, "POST", "/vmrest/phonesystems", { body: "<PhoneSystem><DisplayName>x</Display", contentType: "application/xml" });
        expect(res.status).to.equal(400);
        res = await raw(s, "POST", "/vmrest/phonesystems", { body: "{\"DisplayName\":", contentType: "application/json" });
        expect(res.status).to.equal(400);
    });

    it("JSON requests accept real booleans and numbers as well as strings", async () => {
        const res = await raw(s, "POST", "/vmrest/phonesystems", { body: JSON.stringify({ DisplayName: "json-typed", MwiForceOff: true, CallLoopGuardTimeMs: 1200, RestrictDialUnconditional: "1" }), contentType: "application/json" });
        expect(res.status).to.equal(201);
        const got = await raw(s, "GET", res.body, { accept: JSON_ACCEPT });
        expect(JSON.parse(got.body)).to.include({ MwiForceOff: "true", CallLoopGuardTimeMs: "1200", RestrictDialUnconditional: "true" });
    });

    it("a phone system without users can be deleted with its port groups, ports and AXL servers", async () => {
        await raw(s, "POST", "/__sim/reset", {
            body: JSON.stringify(withoutRefsTo(JSON.parse((await raw(s, "GET", "/__sim/data")).body), "PhoneSystem")),
            contentType: "application/json",
        });
        await raw(s, "POST", `/vmrest/phonesystems/${PS}/axlservers`, { body: xml("AXLServer", { HostOrIPAddress: "cucm" }) });
        const res = await raw(s, "DELETE", `/vmrest/phonesystems/${PS}`);
        expect(res.status).to.equal(204);
        for (const p of ["/vmrest/portgroups", "/vmrest/ports"]) {
            expect((await raw(s, "GET", p)).body).to.contain('total="0"');
        }
    });

    describe("listing", () => {
        let big: Simulator;
        before(async () => {
            const { generateDataset } = await import("../../simulator");
            big = await sim({ data: generateDataset({ portGroupsPerSystem: 1, portsPerGroup: 23 }) });
        });
        after(() => big.close());

        it("pages with rowsPerPage/pageNumber (1-based) and always reports total", async () => {
            const seen: string[] = [];
            for (let n = 1; n <= 5; n++) {
                const res = await raw(big, "GET", `/vmrest/ports?rowsPerPage=5&pageNumber=${n}`);
                expect(res.body).to.contain('total="23"');
                seen.push(...items("xml", res.body, "Port").map((p) => String(p.ObjectId)));
            }
            expect(seen).to.have.length(23);
            expect(new Set(seen).size).to.equal(23);
            const past = await raw(big, "GET", "/vmrest/ports?rowsPerPage=5&pageNumber=6", { accept: JSON_ACCEPT });
            expect(JSON.parse(past.body)).to.deep.equal({ "@total": "23" });
        });

        it("rowsPerPage=0 or pageNumber=0 counts only", async () => {
            for (const q of ["rowsPerPage=0", "pageNumber=0&rowsPerPage=10"]) {
                const res = await raw(big, "GET", `/vmrest/ports?${q}`);
                expect(res.body).to.match(/<Ports total="23"\/>$/);
            }
        });

        it("rejects queries and sorts on columns CUPI cannot search or sort", async () => {
            for (const q of ["query=(HuntOrder%20is%200)", "query=(DisplayName%20contains%20x)", "query=DisplayName%20is%20x", "sort=(CapMWI%20asc)", "sort=(DisplayName%20up)", "rowsPerPage=-1"]) {
                const res = await raw(big, "GET", `/vmrest/ports?${q}`);
                expect(res.status, q).to.equal(400);
                expect(res.body, q).to.contain("DATA_EXCEPTION");
            }
        });

        it("column names are case-insensitive and values with spaces work", async () => {
            await raw(big, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "Site A (main)" }) });
            const res = await raw(big, "GET", "/vmrest/phonesystems?query=(displayname%20is%20site%20a%20(main))");
            expect(items("xml", res.body, "PhoneSystem").map((p) => p.DisplayName)).to.deep.equal(["Site A (main)"]);
        });
    });

    it("serves exactly the operations each field table declares: below the parent, a fixed set's members by key, a singleton at its path", async () => {
        const where: Record<Operation, [string, "collection" | "item"]> = {
            list: ["GET", "collection"], create: ["POST", "collection"], get: ["GET", "item"], update: ["PUT", "item"], delete: ["DELETE", "item"],
        };
        const served = async (method: string, p: string, element: string) => {
            const res = await raw(s, method, p, { body: method === "POST" || method === "PUT" ? xml(element, {}) : undefined });
            return { served: res.status !== 405 && !(res.status === 404 && res.body === "Not Found"), said: `${res.status} ${res.body.slice(0, 80)}` };
        };
        let singletons = 0, fixedSets = 0;
        for (const spec of Object.values(SPECS)) {
            const collection = `/vmrest/${spec.path.replace("{parent}", PS)}`;
            if (spec.singleton) {
                // One object per parent, at the path itself: GET and PUT there, nothing below it.
                singletons++;
                for (const [method, op] of [["GET", "get"], ["PUT", "update"], ["POST", "create"], ["DELETE", "delete"]] as const) {
                    const got = await served(method, collection, spec.element);
                    expect(got.served, `${method} of singleton ${spec.kind} (${got.said})`).to.equal(spec.operations.includes(op));
                }
                expect((await served("GET", `${collection}/${UNKNOWN}`, spec.element)).served, `below singleton ${spec.kind}`).to.equal(false);
                continue;
            }
            const key = spec.addressedBy ? Object.keys(spec.byCupi.get(spec.addressedBy)!.enum!)[0] : UNKNOWN;
            if (spec.addressedBy) fixedSets++;
            for (const [op, [method, at]] of Object.entries(where) as [Operation, [string, string]][]) {
                const got = await served(method, at === "item" ? `${collection}/${encodeURIComponent(key)}` : collection, spec.element);
                expect(got.served, `${method} ${at} of ${spec.kind} (${got.said})`).to.equal(spec.operations.includes(op));
            }
        }
        expect([singletons, fixedSets], "credentials and mailboxes; transfer options, greetings and menu entries").to.deep.equal([5, 3]);
    });
});
