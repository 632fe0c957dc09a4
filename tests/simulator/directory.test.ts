/**
 * The directory in the simulator, over real HTTP without our client (issue 26, EVERYDAY.md §12):
 * templates, what CUC makes with a user and deletes with it, built-ins, uniqueness of keys and
 * extensions, references, memberships, credentials, quotas, fixed sets, persistence.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Simulator } from "../../simulator";
import { BUILT_IN, FIRST_PHONE_SYSTEM_ID as PS } from "../../simulator/dataset";
import { raw, sim, xml } from "../helpers";

type Body = Record<string, unknown>;
const J = "application/json";
const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const B = BUILT_IN;
const VM = "voicemailusertemplate";
const CH_TEMPLATE = `templateObjectId=${B.callHandlerTemplate}`;
const idOf = (uri: string) => uri.trim().split("/").pop()!;
const listOf = (body: Body, element: string): Body[] => {
    const v = body[element];
    return v === undefined ? [] : Array.isArray(v) ? (v as Body[]) : [v as Body];
};

/** JSON calls to a simulator, each expecting CUPI's success status, and `refused` expecting a 4xx with words in its message. */
function api(s: Simulator) {
    const send = (method: string, p: string, body?: Body) =>
        raw(s, method, p, { accept: J, body: body === undefined ? undefined : JSON.stringify(body), contentType: J });
    return {
        send,
        async get(p: string): Promise<Body> {
            const res = await send("GET", p);
            expect(res.status, `GET ${p}: ${res.body}`).to.equal(200);
            return JSON.parse(res.body) as Body;
        },
        async list(p: string, element: string): Promise<Body[]> {
            return listOf(await this.get(p), element);
        },
        async post(p: string, body: Body): Promise<string> {
            const res = await send("POST", p, body);
            expect(res.status, `POST ${p}: ${res.body}`).to.equal(201);
            return idOf(res.body);
        },
        async put(p: string, body: Body): Promise<void> {
            const res = await send("PUT", p, body);
            expect(res.status, `PUT ${p}: ${res.body}`).to.equal(204);
        },
        async del(p: string): Promise<void> {
            const res = await send("DELETE", p);
            expect(res.status, `DELETE ${p}: ${res.body}`).to.equal(204);
        },
        async refused(method: string, p: string, body: Body | undefined, status: number, ...words: string[]): Promise<string> {
            const res = await send(method, p, body);
            expect(res.status, `${method} ${p}: ${res.body}`).to.equal(status);
            const message = status === 405 ? res.body : String((JSON.parse(res.body) as { errors: { message: string } }).errors.message);
            for (const w of words) expect(message, `${method} ${p}`).to.contain(w);
            return message;
        },
        user(alias: string, ext: string, more: Body = {}, template = VM) {
            return this.post(`/vmrest/users?templateAlias=${template}`, { Alias: alias, DtmfAccessId: ext, ...more });
        },
        handler(name: string, more: Body = {}) {
            return this.post(`/vmrest/handlers/callhandlers?${CH_TEMPLATE}`, { DisplayName: name, ...more });
        },
        dl(alias: string, more: Body = {}) {
            return this.post("/vmrest/distributionlists", { Alias: alias, DisplayName: alias, ...more });
        },
    };
}

describe("simulator: the directory", function () {
    let s: Simulator;
    let c: ReturnType<typeof api>;
    beforeEach(async () => {
        s = await sim();
        c = api(s);
    });
    afterEach(() => s.close());

    describe("templates", () => {
        it("a user gets from its template what the body leaves out; the body wins; a later template change leaves it alone", async () => {
            const id = await c.user("jdoe", "1001", { DisplayName: "Jane Doe", City: "Lyon" }, "VoiceMailUserTemplate");
            let u = await c.get(`/vmrest/users/${id}`);
            expect(u).to.include({
                Alias: "jdoe", DtmfAccessId: "1001", DisplayName: "Jane Doe", City: "Lyon",
                CosObjectId: B.voiceMailCos, PartitionObjectId: B.partition, SearchByExtensionSearchSpaceObjectId: B.searchSpace,
                SearchByNameSearchSpaceObjectId: B.searchSpace, MediaSwitchObjectId: PS, ListInDirectory: "true", UseDefaultTimeZone: "true",
                Undeletable: "false", LocationObjectId: B.location, MailboxStoreName: "Unity Messaging Database - 1",
            });
            expect(u, "the user keeps no link to its template").not.to.have.property("templateAlias");
            await c.put(`/vmrest/usertemplates/${B.voiceMailTemplate}`, { City: "Paris", TimeZone: 35, UseDefaultTimeZone: false, CosObjectId: B.systemCos });
            const second = await c.user("asmith", "1002");
            expect(await c.get(`/vmrest/users/${second}`)).to.include({ City: "Paris", TimeZone: "35", UseDefaultTimeZone: "false", CosObjectId: B.systemCos });
            u = await c.get(`/vmrest/users/${id}`);
            expect(u).to.include({ City: "Lyon", CosObjectId: B.voiceMailCos, UseDefaultTimeZone: "true" });
            expect(u).not.to.have.property("TimeZone");
        });

        it("refuses an unknown template, a missing one (strict mode) and a user without Alias or DtmfAccessId", async () => {
            await c.refused("POST", "/vmrest/users?templateAlias=nosuchtemplate", { Alias: "a1", DtmfAccessId: "1001" }, 400, "nosuchtemplate", "user template");
            await c.refused("POST", "/vmrest/users", { Alias: "a1", DtmfAccessId: "1001" }, 400, "templateAlias is required");
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { Alias: "a1" }, 400, "DtmfAccessId");
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { DtmfAccessId: "1001" }, 400, "Alias");
            // A create parameter comes in the query string only; a bogus mailbox store there is refused.
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}&MailboxStoreObjectId=${UNKNOWN}`, { Alias: "a1", DtmfAccessId: "1001" }, 400, "MailboxStoreObjectId", "mailbox store");
            const id = await c.post(`/vmrest/users?templateAlias=${VM}&MailboxStoreObjectId=${B.mailboxStore}`, { Alias: "a1", DtmfAccessId: "1001", templateAlias: "ignored-in-a-body" });
            expect(await c.get(`/vmrest/users/${id}`)).to.include({ MailboxStoreName: "Unity Messaging Database - 1" });
            expect(await c.get("/vmrest/users?rowsPerPage=0")).to.deep.equal({ "@total": "3" });
        });

        it("a user template is made from another, and its credentials are its new users' first ones", async () => {
            const t = await c.post(`/vmrest/usertemplates?templateAlias=${VM}`, { Alias: "sales-template", DisplayName: "Sales users", Department: "Sales" });
            expect(await c.get(`/vmrest/usertemplates/${t}`)).to.include({
                Alias: "sales-template", DisplayName: "Sales users", Department: "Sales", CosObjectId: B.voiceMailCos,
                CallHandlerObjectId: B.callHandlerTemplate, Undeletable: "false",
            });
            await c.refused("POST", "/vmrest/usertemplates?templateAlias=nope", { Alias: "x", DisplayName: "x" }, 400, "nope");
            await c.put(`/vmrest/usertemplates/${t}/credential/pin`, { Credentials: "86420", CredMustChange: false, DoesntExpire: true });
            await c.put(`/vmrest/usertemplates/${t}/credential/password`, { Credentials: "Sales-Start-1", Locked: true });
            expect(await c.get(`/vmrest/usertemplates/${t}/credential/pin`)).to.include({ Credentials: "", CredMustChange: "false", DoesntExpire: "true" });
            const u = await c.user("seller", "1003", {}, "sales-template");
            expect(await c.get(`/vmrest/users/${u}`)).to.include({ Department: "Sales" });
            const pin = await c.get(`/vmrest/users/${u}/credential/pin`);
            expect(pin).to.include({ Credentials: "", CredMustChange: "false", DoesntExpire: "true", UserObjectId: u });
            expect(String(pin.TimeChanged)).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
            expect(await c.get(`/vmrest/users/${u}/credential/password`)).to.include({ Locked: "true", CredMustChange: "true" });
            // A user from the built-in template starts with the table's defaults (no PIN yet).
            const plain = await c.get(`/vmrest/users/${await c.user("plain", "1004")}/credential/pin`);
            expect(plain).to.include({ CredMustChange: "true", Locked: "false" });
            expect(plain).not.to.have.property("TimeChanged");
            // The data the template's PIN was copied into holds it; no answer ever shows it.
            expect(JSON.stringify(s.store.snapshot().UserPin)).to.contain("86420");
        });

        it("a contact is made from a contact template (systemcontacttemplate), a call handler from a call handler template by ObjectId", async () => {
            const contact = await c.post("/vmrest/contacts?templateAlias=systemcontacttemplate", { Alias: "acme", DisplayName: "ACME Support" });
            expect(await c.get(`/vmrest/contacts/${contact}`)).to.include({ Alias: "acme", PartitionObjectId: B.partition, ListInDirectory: "false", IsAddressable: "true" });
            await c.refused("POST", "/vmrest/contacts?templateAlias=nocontacttemplate", { Alias: "x" }, 400, "contact template");
            await c.refused("POST", "/vmrest/contacts", { Alias: "x" }, 400, "templateAlias is required");
            const h = await c.handler("Main Menu", { DtmfAccessId: "5000" });
            expect(await c.get(`/vmrest/handlers/callhandlers/${h}`)).to.include({
                DisplayName: "Main Menu", DtmfAccessId: "5000", PartitionObjectId: B.partition, IsPrimary: "false", Undeletable: "false",
                AfterMessageAction: "2", AfterMessageTargetHandlerObjectId: B.goodbye, MediaSwitchObjectId: PS,
            });
            await c.refused("POST", `/vmrest/handlers/callhandlers?templateObjectId=${UNKNOWN}`, { DisplayName: "x" }, 400, "call handler template");
            await c.refused("POST", "/vmrest/handlers/callhandlers?templateObjectId=System%20Call%20Handler%20Template", { DisplayName: "x" }, 400, "templateObjectId");
            await c.refused("POST", "/vmrest/handlers/callhandlers", { DisplayName: "x" }, 400, "templateObjectId is required");
        });
    });

    describe("what CUC makes with a user, and deletes with it", () => {
        it("a primary call handler (3 transfer options, 7 greetings, 12 menu entries), PIN and web password, mailbox attributes, the IdIndex-0 alternate extension, membership of allvoicemailusers", async () => {
            const id = await c.user("jdoe", "1001", { DisplayName: "Jane Doe" });
            const u = await c.get(`/vmrest/users/${id}`);
            const h = String(u.CallHandlerObjectId);
            expect(await c.get(`/vmrest/handlers/callhandlers/${h}`)).to.include({ IsPrimary: "true", DisplayName: "Jane Doe", RecipientSubscriberObjectId: id, PartitionObjectId: B.partition });
            const base = `/vmrest/handlers/callhandlers/${h}`;
            expect((await c.list(`${base}/transferoptions`, "TransferOption")).map((t) => [t.TransferOptionType, t.Enabled])).to.deep.equal([["Standard", "true"], ["Off Hours", "false"], ["Alternate", "false"]]);
            expect((await c.list(`${base}/greetings`, "Greeting")).map((g) => g.GreetingType)).to.deep.equal(["Standard", "Alternate", "Busy", "Error", "Internal", "Off Hours", "Holiday"]);
            expect((await c.list(`${base}/menuentries`, "MenuEntry")).map((m) => m.TouchtoneKey)).to.deep.equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"]);
            const off = await c.get(`${base}/transferoptions/Off%20Hours`);
            expect(off).to.include({ URI: `${base}/transferoptions/Off%20Hours`, TransferOptionType: "Off Hours", CallHandlerObjectId: h, TransferRings: "4" });
            expect(await c.get(`${base}/menuentries/%23`)).to.include({ TouchtoneKey: "#", Action: "0" });
            expect(await c.get(`/vmrest/users/${id}/credential/pin`)).to.include({ URI: `/vmrest/users/${id}/credential/pin`, Credentials: "", CredMustChange: "true" });
            expect(await c.get(`/vmrest/users/${id}/credential/password`)).to.include({ Credentials: "", UserObjectId: id });
            expect(await c.get(`/vmrest/users/${id}/mailboxattributes`)).to.include({ UserObjectId: id, ReceiveQuota: "-2", SendQuota: "-2", WarningQuota: "-2", NumMessages: "0" });
            const [primary] = await c.list(`/vmrest/users/${id}/alternateextensions`, "AlternateExtension");
            expect(primary).to.include({ IdIndex: "0", DtmfAccessId: "1001", PartitionObjectId: B.partition, UserObjectId: id });
            const members = await c.list(`/vmrest/distributionlists/${B.allUsersList}/distributionlistmembers?query=(MemberUserObjectId%20is%20${id})`, "DistributionListMember");
            expect(members.map((m) => [m.Alias, m.DisplayName, m.IsUserTemplate])).to.deep.equal([["jdoe", "Jane Doe", "false"]]);
            expect(await c.get(`/vmrest/distributionlists/${B.allUsersList}/distributionlistmembers/${members[0].ObjectId}`)).to.include({ MemberUserObjectId: id });
        });

        it("a PUT on the IdIndex-0 alternate extension changes the user's extension; it is not deleted on its own", async () => {
            const id = await c.user("jdoe", "1001");
            const [primary] = await c.list(`/vmrest/users/${id}/alternateextensions`, "AlternateExtension");
            const uri = `/vmrest/users/${id}/alternateextensions/${primary.ObjectId}`;
            await c.put(uri, { DtmfAccessId: "1999" });
            expect(await c.get(`/vmrest/users/${id}`)).to.include({ DtmfAccessId: "1999" });
            await c.put(`/vmrest/users/${id}`, { DtmfAccessId: "1888" });
            expect(await c.get(uri)).to.include({ IdIndex: "0", DtmfAccessId: "1888" });
            await c.refused("DELETE", uri, undefined, 400, "IdIndex 0 is the user's own DtmfAccessId", "change those on the user");
            await c.refused("POST", `/vmrest/users/${id}/alternateextensions`, { IdIndex: 0, DtmfAccessId: "1777" }, 400, "IdIndex");
            // Not counted twice: the user's own extension stays its own.
            await c.put(`/vmrest/users/${id}`, { DtmfAccessId: "1888", DisplayName: "Same extension" });
        });

        it("a call handler made directly has its fixed sets too, addressed by key (URL-decoded): Enabled follows TimeExpires, Standard stays on", async () => {
            const h = await c.handler("Main Menu");
            const base = `/vmrest/handlers/callhandlers/${h}`;
            expect((await c.get(`${base}/greetings`))["@total"]).to.equal("7");
            await c.put(`${base}/greetings/Off%20Hours`, { TimeExpires: "", PlayWhat: 1 });
            expect(await c.get(`${base}/greetings/off%20hours`)).to.include({ GreetingType: "Off Hours", Enabled: "true", PlayWhat: "1" });
            await c.put(`${base}/transferoptions/Alternate`, { Action: 1, Extension: "2000", TimeExpires: "2099-01-01 00:00:00.0" });
            expect(await c.get(`${base}/transferoptions/Alternate`)).to.include({ Action: "1", Extension: "2000", Enabled: "true" });
            await c.put(`${base}/transferoptions/Alternate`, { TimeExpires: "2001-01-01T00:00:00Z" });
            expect(await c.get(`${base}/transferoptions/Alternate`)).to.include({ Enabled: "false", Extension: "2000" });
            await c.refused("PUT", `${base}/greetings/Standard`, { TimeExpires: "1999-10-11" }, 400, "Standard greeting cannot be disabled");
            await c.refused("PUT", `${base}/transferoptions/Standard`, { TimeExpires: "1972-01-01 00:00:00.0" }, 400, "Standard transfer option cannot be disabled");
            await c.refused("PUT", `${base}/greetings/Standard`, { TimeExpires: "someday" }, 400, "TimeExpires");
            await c.refused("PUT", `${base}/greetings/Standard`, { AfterGreetingAction: 3 }, 400, "AfterGreetingAction");
            await c.refused("PUT", `${base}/menuentries/0`, { Action: 2, TargetConversation: "PHTransfer", TargetHandlerObjectId: UNKNOWN }, 400, "TargetHandlerObjectId", "call handler");
            await c.put(`${base}/menuentries/0`, { Action: 2, TargetConversation: "PHTransfer", TargetHandlerObjectId: B.operatorHandler });
            expect(await c.get(`${base}/menuentries/0`)).to.include({ Action: "2", TargetHandlerObjectId: B.operatorHandler });
            // Only the set's members exist: an unknown key is 404 to GET and DATA_EXCEPTION to PUT; nothing is created or deleted.
            expect((await c.send("GET", `${base}/greetings/Weekend`)).status).to.equal(404);
            await c.refused("PUT", `${base}/greetings/Weekend`, { PlayWhat: 1 }, 400, "Greeting not found");
            await c.refused("POST", `${base}/greetings`, { GreetingType: "Weekend" }, 405);
            await c.refused("DELETE", `${base}/transferoptions/Standard`, undefined, 405);
            expect((await c.send("GET", `/vmrest/handlers/callhandlers/${UNKNOWN}/greetings/Standard`)).status).to.equal(404);
            expect((await c.send("GET", `/vmrest/users/${UNKNOWN}/credential/pin`)).status).to.equal(404);
            await c.refused("PUT", `/vmrest/users/${UNKNOWN}/mailboxattributes`, { SendQuota: -1 }, 400, "not found");
        });

        it("deleting a user deletes its call handler (with what was PUT on it), credentials, alternate extensions and list memberships", async () => {
            const id = await c.user("leaver", "1001");
            const h = String((await c.get(`/vmrest/users/${id}`)).CallHandlerObjectId);
            await c.put(`/vmrest/users/${id}/credential/pin`, { Credentials: "24680" });
            await c.put(`/vmrest/users/${id}/mailboxattributes`, { SendQuota: -1 });
            await c.put(`/vmrest/handlers/callhandlers/${h}/greetings/Alternate`, { TimeExpires: "" });
            const alt = await c.post(`/vmrest/users/${id}/alternateextensions`, { IdIndex: 5, DtmfAccessId: "0612345678" });
            const list = await c.dl("team");
            await c.post(`/vmrest/distributionlists/${list}/distributionlistmembers`, { MemberUserObjectId: id });
            await c.refused("DELETE", `/vmrest/handlers/callhandlers/${h}`, undefined, 400, "The call handler of user 'leaver' goes with its user: delete the user instead");
            await c.del(`/vmrest/users/${id}`);
            for (const p of [`/vmrest/users/${id}`, `/vmrest/handlers/callhandlers/${h}`, `/vmrest/handlers/callhandlers/${h}/greetings/Alternate`, `/vmrest/users/${id}/credential/pin`, `/vmrest/users/${id}/alternateextensions/${alt}`]) {
                expect((await c.send("GET", p)).status, p).to.equal(404);
            }
            expect(await c.list(`/vmrest/distributionlists/${list}/distributionlistmembers`, "DistributionListMember")).to.deep.equal([]);
            expect((await c.get(`/vmrest/distributionlists/${B.allUsersList}/distributionlistmembers?rowsPerPage=0`))["@total"]).to.equal("2");
            const stored = JSON.stringify(s.store.snapshot());
            expect(stored, "nothing left that names the user or its handler").not.to.contain(id).and.not.to.contain(h);
            // Its extension is free again.
            await c.user("joiner", "1001");
            await c.refused("DELETE", `/vmrest/users/${id}`, undefined, 404, id);
        });
    });

    describe("built-ins", () => {
        it("are in the default dataset, refer to one another, and are never deleted", async () => {
            const named = async (p: string, element: string, key: string) => (await c.list(p, element)).map((r) => r[key]);
            expect(await named("/vmrest/users", "User", "Alias")).to.deep.equal(["undeliverablemessagesmailbox", "operator"]);
            expect(await named("/vmrest/usertemplates", "UserTemplate", "Alias")).to.deep.equal(["voicemailusertemplate", "administratortemplate"]);
            expect(await named("/vmrest/userdefaulttemplates", "DefaultUserTemplate", "Alias")).to.deep.equal(["voicemailusertemplate", "administratortemplate"]);
            expect(await named("/vmrest/contacttemplates", "ContactTemplate", "Alias")).to.deep.equal(["systemcontacttemplate"]);
            expect(await named("/vmrest/coses", "Cos", "DisplayName")).to.deep.equal(["Voice Mail User COS", "System"]);
            expect(await named("/vmrest/partitions", "Partition", "Name")).to.deep.equal(["cuc-install-55 Partition"]);
            expect(await named("/vmrest/searchspaces", "SearchSpace", "Name")).to.deep.equal(["cuc-install-55 Search Space"]);
            expect(await named(`/vmrest/searchspaces/${B.searchSpace}/searchspacemembers`, "SearchSpaceMember", "PartitionObjectId")).to.deep.equal([B.partition]);
            expect((await c.list("/vmrest/distributionlists", "DistributionList")).map((l) => [l.Alias, l.DtmfAccessId])).to.deep.equal([
                ["undeliverablemessages", undefined], ["allvoicemailusers", "99991"], ["allvoicemailenabledcontacts", "99992"],
            ]);
            expect(await named("/vmrest/mailboxstores", "MailboxStore", "DisplayName")).to.have.length(1);
            expect(await named("/vmrest/locations/connectionlocations", "ConnectionLocation", "DisplayName")).to.deep.equal(["cuc-install-55"]);
            expect(await named("/vmrest/callhandlertemplates", "CallhandlerTemplate", "DisplayName")).to.deep.equal(["System Call Handler Template"]);
            expect(await named("/vmrest/handlers/callhandlers?query=(IsPrimary%20is%200)", "Callhandler", "DisplayName")).to.deep.equal(["Opening Greeting", "Operator", "Goodbye"]);
            // Consistent: every reference a built-in holds names an object that is there.
            const operator = await c.get(`/vmrest/users/${B.operator}`);
            expect(operator).to.include({ Undeletable: "true", CosObjectId: B.systemCos, PartitionObjectId: B.partition, MediaSwitchObjectId: PS });
            for (const p of [`/vmrest/coses/${operator.CosObjectId}`, `/vmrest/partitions/${operator.PartitionObjectId}`, `/vmrest/searchspaces/${operator.SearchByExtensionSearchSpaceObjectId}`, `/vmrest/handlers/callhandlers/${operator.CallHandlerObjectId}`]) await c.get(p);
            expect(await c.get(`/vmrest/handlers/callhandlers/${B.operatorHandler}`)).to.include({ RecipientSubscriberObjectId: B.operator, Undeletable: "true" });
            expect(await named(`/vmrest/distributionlists/${B.undeliverableList}/distributionlistmembers`, "DistributionListMember", "Alias")).to.deep.equal(["undeliverablemessagesmailbox"]);
            const undeletable: [string, string][] = [
                ["user 'operator'", `/vmrest/users/${B.operator}`], ["user 'undeliverablemessagesmailbox'", `/vmrest/users/${B.undeliverableMailbox}`],
                ["user template 'voicemailusertemplate'", `/vmrest/usertemplates/${B.voiceMailTemplate}`], ["user template 'administratortemplate'", `/vmrest/usertemplates/${B.administratorTemplate}`],
                ["class of service 'Voice Mail User COS'", `/vmrest/coses/${B.voiceMailCos}`], ["class of service 'System'", `/vmrest/coses/${B.systemCos}`],
                ["partition 'cuc-install-55 Partition'", `/vmrest/partitions/${B.partition}`], ["search space 'cuc-install-55 Search Space'", `/vmrest/searchspaces/${B.searchSpace}`],
                ["distribution list 'undeliverablemessages'", `/vmrest/distributionlists/${B.undeliverableList}`], ["distribution list 'allvoicemailusers'", `/vmrest/distributionlists/${B.allUsersList}`],
                ["distribution list 'allvoicemailenabledcontacts'", `/vmrest/distributionlists/${B.allContactsList}`],
                ["call handler 'Opening Greeting'", `/vmrest/handlers/callhandlers/${B.openingGreeting}`], ["call handler 'Operator'", `/vmrest/handlers/callhandlers/${B.operatorHandler}`],
                ["call handler 'Goodbye'", `/vmrest/handlers/callhandlers/${B.goodbye}`],
            ];
            for (const [what, p] of undeletable) await c.refused("DELETE", p, undefined, 400, `${what[0].toUpperCase()}${what.slice(1)} is built in (Undeletable)`);
            // What CUPI serves read-only has no DELETE at all.
            for (const p of [`/vmrest/contacttemplates/${B.contactTemplate}`, `/vmrest/callhandlertemplates/${B.callHandlerTemplate}`, `/vmrest/mailboxstores/${B.mailboxStore}`, `/vmrest/locations/connectionlocations/${B.location}`]) {
                await c.refused("DELETE", p, undefined, 405);
            }
            // Built-ins can be changed.
            await c.put(`/vmrest/coses/${B.voiceMailCos}`, { MaxMsgLength: 600 });
            expect(await c.get(`/vmrest/coses/${B.voiceMailCos}`)).to.include({ MaxMsgLength: "600", Undeletable: "true" });
        });
    });

    describe("uniqueness", () => {
        it("natural keys: per kind and case-insensitively; alternate extensions' IdIndex per user", async () => {
            const a = await c.user("jdoe", "1001");
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { Alias: "JDoe", DtmfAccessId: "1002" }, 400, "Alias 'JDoe' is already used by another user");
            const b = await c.user("asmith", "1002");
            await c.refused("PUT", `/vmrest/users/${b}`, { Alias: "JDOE" }, 400, "already used");
            await c.post(`/vmrest/usertemplates?templateAlias=${VM}`, { Alias: "jdoe", DisplayName: "A template may share a user's alias" });
            await c.refused("POST", "/vmrest/coses", { DisplayName: "system" }, 400, "DisplayName 'system' is already used by another class of service");
            await c.refused("POST", "/vmrest/partitions", { Name: "CUC-INSTALL-55 partition" }, 400, "already used by another partition");
            await c.refused("POST", `/vmrest/handlers/callhandlers?${CH_TEMPLATE}`, { DisplayName: "goodbye" }, 400, "already used by another call handler");
            // A primary call handler is named after its user, whose display name need not be unique.
            await c.user("goodbye-user", "1003", { DisplayName: "Goodbye" });
            await c.user("second-jane", "1004", { DisplayName: "Goodbye" });
            await c.post(`/vmrest/users/${a}/alternateextensions`, { IdIndex: 5, DtmfAccessId: "0611111111" });
            await c.refused("POST", `/vmrest/users/${a}/alternateextensions`, { IdIndex: 5, DtmfAccessId: "0622222222" }, 400, "IdIndex '5' is already used by another alternate extension of user 'jdoe'");
            await c.post(`/vmrest/users/${b}/alternateextensions`, { IdIndex: 5, DtmfAccessId: "0622222222" });
            await c.refused("POST", `/vmrest/users/${b}/alternateextensions`, { IdIndex: 49, DtmfAccessId: "0633333333" }, 400, "IdIndex");
        });

        it("extensions: unique within a partition across users, alternate extensions, contacts, lists and handlers; free in another partition", async () => {
            const other = await c.post("/vmrest/partitions", { Name: "Branch Partition" });
            await c.user("owner", "3001");
            const inDefault = "in partition 'cuc-install-55 Partition' by user 'owner'";
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { Alias: "u2", DtmfAccessId: "3001" }, 400, "DtmfAccessId 3001 is already in use", inDefault);
            await c.refused("POST", "/vmrest/contacts?templateAlias=systemcontacttemplate", { Alias: "c1", DtmfAccessId: "3001" }, 400, inDefault);
            await c.refused("POST", "/vmrest/distributionlists", { Alias: "l1", DtmfAccessId: "3001" }, 400, inDefault);
            await c.refused("POST", `/vmrest/handlers/callhandlers?${CH_TEMPLATE}`, { DisplayName: "h1", DtmfAccessId: "3001" }, 400, inDefault);
            const u2 = await c.user("u2", "3002");
            await c.refused("POST", `/vmrest/users/${u2}/alternateextensions`, { IdIndex: 1, DtmfAccessId: "3001" }, 400, inDefault);
            await c.refused("POST", `/vmrest/users/${u2}/alternateextensions`, { IdIndex: 1, DtmfAccessId: "3002" }, 400, "by user 'u2'");
            // The same extension in another partition is another extension.
            const contact = await c.post("/vmrest/contacts?templateAlias=systemcontacttemplate", { Alias: "c1", DtmfAccessId: "3001", PartitionObjectId: other });
            const inBranch = "in partition 'Branch Partition' by contact 'c1'";
            await c.refused("POST", `/vmrest/users/${u2}/alternateextensions`, { IdIndex: 1, DtmfAccessId: "3001", PartitionObjectId: other }, 400, inBranch);
            await c.refused("POST", "/vmrest/distributionlists", { Alias: "l2", DtmfAccessId: "3001", PartitionObjectId: other }, 400, inBranch);
            await c.post(`/vmrest/users/${u2}/alternateextensions`, { IdIndex: 1, DtmfAccessId: "3002", PartitionObjectId: other });
            // Moving an extension into a partition where it is taken is a clash too.
            await c.refused("PUT", `/vmrest/contacts/${contact}`, { PartitionObjectId: B.partition }, 400, inDefault);
            const list = await c.dl("l3", { DtmfAccessId: "3003" });
            await c.refused("PUT", `/vmrest/distributionlists/${list}`, { DtmfAccessId: "3002" }, 400, "by user 'u2'");
            await c.refused("POST", `/vmrest/handlers/callhandlers?${CH_TEMPLATE}`, { DisplayName: "h2", DtmfAccessId: "99991" }, 400, "by distribution list 'allvoicemailusers'");
        });
    });

    describe("references", () => {
        it("a create or update naming an object that does not exist is refused", async () => {
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { Alias: "x", DtmfAccessId: "1001", CosObjectId: UNKNOWN }, 400, `CosObjectId ${UNKNOWN} does not name a class of service`);
            await c.refused("POST", `/vmrest/users?templateAlias=${VM}`, { Alias: "x", DtmfAccessId: "1001", CosObjectId: "Voice Mail User COS" }, 400, "CosObjectId");
            const u = await c.user("x", "1001");
            await c.refused("PUT", `/vmrest/users/${u}`, { PartitionObjectId: UNKNOWN }, 400, "does not name a partition");
            await c.refused("PUT", `/vmrest/users/${u}`, { SearchByNameSearchSpaceObjectId: B.partition }, 400, "does not name a search space");
            await c.refused("POST", "/vmrest/distributionlists", { Alias: "l", PartitionObjectId: UNKNOWN }, 400, "does not name a partition");
            await c.refused("POST", `/vmrest/handlers/callhandlers?${CH_TEMPLATE}`, { DisplayName: "h", RecipientSubscriberObjectId: UNKNOWN }, 400, "does not name a user");
            await c.refused("POST", `/vmrest/users/${u}/alternateextensions`, { IdIndex: 2, DtmfAccessId: "1002", PartitionObjectId: UNKNOWN }, 400, "does not name a partition");
            await c.put(`/vmrest/users/${u}`, { CosObjectId: B.systemCos });
        });

        it("a user referred to is not deleted: the 400 names each referrer; subscriberdependencies lists them", async () => {
            const u = await c.user("target", "1001", { DisplayName: "Target User" });
            const own = String((await c.get(`/vmrest/users/${u}`)).CallHandlerObjectId);
            const recipient = await c.handler("Sales Line", { RecipientSubscriberObjectId: u });
            const owned = await c.handler("Support Line");
            const owner = await c.post(`/vmrest/handlers/callhandlers/${owned}/callhandlerowners`, { UserObjectId: u });
            const greeter = await c.handler("Front Desk");
            await c.put(`/vmrest/handlers/callhandlers/${greeter}/greetings/Standard`, { AfterGreetingAction: 2, AfterGreetingTargetConversation: "PHTransfer", AfterGreetingTargetHandlerObjectId: own });
            const message = await c.refused("DELETE", `/vmrest/users/${u}`, undefined, 400,
                "Cannot delete user 'target'", "call handler 'Sales Line' (RecipientSubscriberObjectId)", "a call handler owner of call handler 'Support Line' (UserObjectId)",
                "the Standard greeting of call handler 'Front Desk' (AfterGreetingTargetHandlerObjectId)");
            expect(message, "its own call handler is not in its way").not.to.contain("Target User");
            const deps = await c.list(`/vmrest/subscriberdependencies/${u}`, "SubscriberDependency");
            expect(deps.map((d) => [d.DependentEntityOwnerType, d.DependentEntityOwnerName, d.DependentEntityOwnerObjectId, d.DependencyType]).sort()).to.deep.equal([
                ["Callhandler", "Front Desk", greeter, "Standard Greeting"], ["Callhandler", "Sales Line", recipient, "Recipient"], ["Callhandler", "Support Line", owned, "Owner"],
            ]);
            expect(deps.every((d) => d.SubscriberObjectId === u)).to.equal(true);
            expect((await c.get(`/vmrest/subscriberdependencies/${B.operator}`))["@total"]).to.equal("1"); // the Operator handler's recipient
            // Re-pointed, the user goes.
            await c.put(`/vmrest/handlers/callhandlers/${recipient}`, { RecipientSubscriberObjectId: B.operator });
            await c.del(`/vmrest/handlers/callhandlers/${owned}/callhandlerowners/${owner}`);
            await c.put(`/vmrest/handlers/callhandlers/${greeter}/greetings/Standard`, { AfterGreetingAction: 4, AfterGreetingTargetHandlerObjectId: "" });
            expect((await c.get(`/vmrest/subscriberdependencies/${u}`))).to.deep.equal({ "@total": "0" });
            await c.del(`/vmrest/users/${u}`);
        });

        it("a list that is a member elsewhere or a handler's recipient, and a class of service, partition or search space in use, are not deleted", async () => {
            const inner = await c.dl("inner");
            const outer = await c.dl("outer");
            await c.post(`/vmrest/distributionlists/${outer}/distributionlistmembers`, { MemberDistributionListObjectId: inner });
            const handler = await c.handler("Escalation", { RecipientDistributionListObjectId: inner });
            await c.refused("DELETE", `/vmrest/distributionlists/${inner}`, undefined, 400,
                "a distribution list member of distribution list 'outer' (MemberDistributionListObjectId)", "call handler 'Escalation' (RecipientDistributionListObjectId)");
            // The list that holds members goes with its membership rows.
            await c.del(`/vmrest/distributionlists/${outer}`);
            await c.del(`/vmrest/handlers/callhandlers/${handler}`);
            await c.del(`/vmrest/distributionlists/${inner}`);

            const cos = await c.post("/vmrest/coses", { DisplayName: "Sales COS" });
            const partition = await c.post("/vmrest/partitions", { Name: "Sales Partition" });
            const space = await c.post("/vmrest/searchspaces", { Name: "Sales Search Space" });
            await c.post(`/vmrest/searchspaces/${space}/searchspacemembers`, { PartitionObjectId: partition, SortOrder: 1 });
            const u = await c.user("sales1", "4001", { CosObjectId: cos, PartitionObjectId: partition, SearchByExtensionSearchSpaceObjectId: space });
            await c.refused("DELETE", `/vmrest/coses/${cos}`, undefined, 400, "1 user(s) are associated with it (user 'sales1' (CosObjectId))");
            await c.refused("DELETE", `/vmrest/partitions/${partition}`, undefined, 400, "user 'sales1' (PartitionObjectId)", "a search space member of search space 'Sales Search Space' (PartitionObjectId)");
            await c.refused("DELETE", `/vmrest/searchspaces/${space}`, undefined, 400, "user 'sales1' (SearchByExtensionSearchSpaceObjectId)");
            await c.del(`/vmrest/users/${u}`);
            await c.del(`/vmrest/coses/${cos}`);
            await c.del(`/vmrest/searchspaces/${space}`); // its members go with it
            await c.del(`/vmrest/partitions/${partition}`);
        });
    });

    describe("memberships", () => {
        it("distribution list members: users, templates, contacts where allowed, lists; once each; no list in itself; DELETE by the membership's ObjectId", async () => {
            const list = await c.dl("sales");
            const members = `/vmrest/distributionlists/${list}/distributionlistmembers`;
            const u = await c.user("seller", "1001", { DisplayName: "Sam Seller" });
            const row = await c.post(members, { MemberUserObjectId: u });
            // A list of one member: the JSON collection holds it as an object, every scalar a string.
            const one = await c.get(members);
            expect(one["@total"]).to.equal("1");
            expect(one.DistributionListMember).to.be.an("object").and.not.to.be.an("array");
            expect(one.DistributionListMember).to.include({ ObjectId: row, Alias: "seller", DisplayName: "Sam Seller", IsUserTemplate: "false", MemberUserObjectId: u, DistributionListObjectId: list });
            const xmlList = await raw(s, "GET", members);
            expect(xmlList.body).to.match(/<DistributionListMembers total="1"><DistributionListMember>/);
            await c.post(members, { MemberUserObjectId: B.voiceMailTemplate });
            expect((await c.list(`${members}?query=(MemberUserObjectId%20is%20${B.voiceMailTemplate})`, "DistributionListMember"))[0]).to.include({ Alias: "voicemailusertemplate", IsUserTemplate: "true" });
            await c.refused("POST", members, { MemberUserObjectId: u }, 400, "User 'seller' is already a member of distribution list 'sales'");
            const contact = await c.post("/vmrest/contacts?templateAlias=systemcontacttemplate", { Alias: "partner" });
            await c.refused("POST", members, { MemberContactObjectId: contact }, 400, "distribution list 'sales' does not take it", "AllowContacts");
            await c.put(`/vmrest/distributionlists/${list}`, { AllowContacts: true });
            await c.post(members, { MemberContactObjectId: contact });
            await c.refused("POST", members, { MemberDistributionListObjectId: list }, 400, "cannot be a member of itself");
            const a = await c.dl("a"), b = await c.dl("b");
            await c.post(`/vmrest/distributionlists/${a}/distributionlistmembers`, { MemberDistributionListObjectId: b });
            await c.post(`/vmrest/distributionlists/${b}/distributionlistmembers`, { MemberDistributionListObjectId: list });
            await c.refused("POST", members, { MemberDistributionListObjectId: a }, 400, "Distribution list 'a' contains distribution list 'sales'", "cycle");
            await c.refused("POST", members, {}, 400, "exactly one of");
            await c.refused("POST", members, { MemberUserObjectId: u, MemberContactObjectId: contact }, 400, "exactly one of");
            await c.refused("POST", members, { MemberUserObjectId: UNKNOWN }, 400, "does not name a user or a user template");
            await c.refused("PUT", `${members}/${row}`, { MemberUserObjectId: u }, 405);
            expect((await c.send("DELETE", `${members}/${u}`)).status, "the member's own id is no membership").to.equal(404);
            expect((await c.send("DELETE", `/vmrest/distributionlists/${a}/distributionlistmembers/${row}`)).status, "under its own list only").to.equal(404);
            await c.del(`${members}/${row}`);
            // A deleted contact leaves its lists.
            await c.del(`/vmrest/contacts/${contact}`);
            expect((await c.list(members, "DistributionListMember")).map((m) => m.Alias)).to.deep.equal(["voicemailusertemplate"]);
            // allvoicemailusers is every user: nobody is added twice or removed by hand.
            const all = `/vmrest/distributionlists/${B.allUsersList}/distributionlistmembers`;
            await c.refused("POST", all, { MemberUserObjectId: u }, 400, "already a member");
            const [derived] = await c.list(`${all}?query=(MemberUserObjectId%20is%20${u})`, "DistributionListMember");
            await c.refused("DELETE", `${all}/${derived.ObjectId}`, undefined, 400, "every user");
        });

        it("search space members: the partition must exist, once per search space; SortOrder unique per search space; no PUT", async () => {
            const p1 = await c.post("/vmrest/partitions", { Name: "P1" });
            const p2 = await c.post("/vmrest/partitions", { Name: "P2" });
            const space = await c.post("/vmrest/searchspaces", { Name: "Ordered" });
            const members = `/vmrest/searchspaces/${space}/searchspacemembers`;
            const first = await c.post(members, { PartitionObjectId: p2, SortOrder: 1 });
            await c.post(members, { PartitionObjectId: p1, SortOrder: 3 });
            await c.refused("POST", members, { PartitionObjectId: B.partition, SortOrder: 3 }, 400, "SortOrder 3 is already in use in search space 'Ordered'");
            await c.refused("POST", members, { PartitionObjectId: p1, SortOrder: 2 }, 400, "PartitionObjectId", "already in use in search space 'Ordered'");
            await c.refused("POST", members, { PartitionObjectId: UNKNOWN, SortOrder: 2 }, 400, "does not name a partition");
            await c.refused("POST", members, { PartitionObjectId: B.partition }, 400, "SortOrder");
            // Another search space has its own order.
            await c.post(`/vmrest/searchspaces/${B.searchSpace}/searchspacemembers`, { PartitionObjectId: p1, SortOrder: 3 });
            await c.refused("PUT", `${members}/${first}`, { SortOrder: 2 }, 405);
            expect((await c.list(`${members}?sort=(SortOrder%20desc)`, "SearchSpaceMember")).map((m) => [m.PartitionObjectId, m.SortOrder])).to.deep.equal([[p1, "3"], [p2, "1"]]);
            await c.del(`${members}/${first}`);
            await c.post(members, { PartitionObjectId: p2, SortOrder: 2 });
        });

        it("call handler owners: a user or a list, exactly one, once", async () => {
            const h = await c.handler("Owned");
            const owners = `/vmrest/handlers/callhandlers/${h}/callhandlerowners`;
            await c.post(owners, { UserObjectId: B.operator });
            await c.post(owners, { DistributionListObjectId: B.undeliverableList });
            await c.refused("POST", owners, { UserObjectId: B.operator }, 400, "already a member");
            await c.refused("POST", owners, { UserObjectId: B.operator, DistributionListObjectId: B.undeliverableList }, 400, "exactly one of");
            expect((await c.get(owners))["@total"]).to.equal("2");
        });
    });

    describe("credentials and mailboxes", () => {
        const PIN = "97531", PASSWORD = "Zebra-Pass-2026";

        it("a credential's GET has Credentials empty; a PUT stores it (never shown) and sets TimeChanged; empty, blank, short or non-digit PINs are refused without echo", async () => {
            const u = await c.user("secretive", "1001");
            const pin = `/vmrest/users/${u}/credential/pin`, password = `/vmrest/users/${u}/credential/password`;
            await c.put(pin, { Credentials: PIN, Locked: true, HackCount: 3, CantChange: true });
            await c.put(password, { Credentials: PASSWORD, DoesntExpire: true, CredMustChange: false });
            const shown = [await c.get(pin), await c.get(password)];
            expect(shown[0]).to.include({ Credentials: "", Locked: "true", CantChange: "true", CredMustChange: "true" });
            expect(shown[0]).not.to.have.property("HackCount"); // write-only: stored, not returned
            expect(shown[1]).to.include({ Credentials: "", DoesntExpire: "true", CredMustChange: "false" });
            for (const r of shown) expect(String(r.TimeChanged)).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
            const xmlPin = await raw(s, "GET", pin);
            expect(xmlPin.body).to.contain("<Credentials/>");
            const bad: [Body, string][] = [
                [{ Credentials: "" }, "cannot be empty"], [{ Credentials: "   " }, "cannot be empty"], [{ Credentials: "123" }, "at least 4 digits"],
                [{ Credentials: "12a45" }, "digits only"], [{ Credentials: 12 }, "at least 4"],
            ];
            for (const [body, why] of bad) {
                const message = await c.refused("PUT", pin, body, 400, why);
                expect(message).not.to.contain(String(body.Credentials).trim() || "\u0000");
            }
            await c.refused("PUT", password, { Credentials: "Short-1" }, 400, "at least 8 characters");
            // The stored credentials are those of the last accepted PUTs, and no /vmrest answer shows them.
            const data = s.store.snapshot();
            expect(data.UserPin?.find((r) => r.UserObjectId === u)).to.include({ Credentials: PIN, HackCount: 3 });
            for (const p of [`/vmrest/users/${u}`, "/vmrest/users", pin, password, `/vmrest/users/${u}/mailboxattributes`, `/vmrest/subscriberdependencies/${u}`]) {
                for (const accept of [J, "application/xml"]) {
                    const res = await raw(s, "GET", p, { accept });
                    expect(res.body, p).not.to.contain(PIN).and.not.to.contain(PASSWORD);
                }
            }
            await c.put(pin, { Locked: false, HackCount: 0 });
            expect(await c.get(pin)).to.include({ Locked: "false" });
        });

        it("mailbox quotas: -2 (system default), -1 (unlimited) or a multiple of 1024 up to 2048 MB", async () => {
            const u = await c.user("quota", "1001");
            const box = `/vmrest/users/${u}/mailboxattributes`;
            await c.put(box, { ReceiveQuota: 50 * 1024 * 1024, SendQuota: -1, WarningQuota: 2048 * 1024 * 1024 });
            expect(await c.get(box)).to.include({ ReceiveQuota: String(50 * 1024 * 1024), SendQuota: "-1", WarningQuota: String(2048 * 1024 * 1024) });
            await c.refused("PUT", box, { ReceiveQuota: 1000 }, 400, "ReceiveQuota", "multiple of 1024");
            await c.refused("PUT", box, { SendQuota: 2048 * 1024 * 1024 + 1024 }, 400, "SendQuota", "between -2 and");
            await c.refused("PUT", box, { WarningQuota: -3 }, 400, "WarningQuota");
            await c.put(box, { ByteSize: 99 }); // read-only: ignored, as CUPI ignores what it cannot write
            expect(await c.get(box)).to.include({ ReceiveQuota: String(50 * 1024 * 1024), ByteSize: "0" });
        });
    });

    it("GET and DELETE of an unknown id are 404 NOT_FOUND, a PUT is 400 DATA_EXCEPTION, for the new kinds too", async () => {
        for (const [p, element] of [["/vmrest/users", "User"], ["/vmrest/distributionlists", "DistributionList"], ["/vmrest/coses", "Cos"], ["/vmrest/handlers/callhandlers", "Callhandler"], [`/vmrest/users/${B.operator}/alternateextensions`, "AlternateExtension"]]) {
            const get = await raw(s, "GET", `${p}/${UNKNOWN}`);
            expect(get.status, p).to.equal(404);
            expect(get.body).to.contain("NOT_FOUND");
            expect((await raw(s, "DELETE", `${p}/${UNKNOWN}`)).status, p).to.equal(404);
            const put = await raw(s, "PUT", `${p}/${UNKNOWN}`, { body: xml(element, { DisplayName: "x" }) });
            expect(put.status, p).to.equal(400);
            expect(put.body).to.contain("DATA_EXCEPTION").and.to.contain(`${element} not found`);
        }
    });

    it("--state keeps the directory across a restart: users, their call handlers, what was PUT on fixed sets and credentials, memberships", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-sim-directory-"));
        const statePath = path.join(dir, "state.json");
        let p = await sim({ statePath });
        try {
            let d = api(p);
            const u = await d.user("kept", "1001");
            const h = String((await d.get(`/vmrest/users/${u}`)).CallHandlerObjectId);
            await d.put(`/vmrest/users/${u}/credential/pin`, { Credentials: "13579", CredMustChange: false });
            await d.put(`/vmrest/handlers/callhandlers/${h}/greetings/Busy`, { TimeExpires: "" });
            const list = await d.dl("kept-list");
            await d.post(`/vmrest/distributionlists/${list}/distributionlistmembers`, { MemberUserObjectId: u });
            await p.close();
            p = await sim({ statePath });
            d = api(p);
            expect(await d.get(`/vmrest/users/${u}`)).to.include({ Alias: "kept", CallHandlerObjectId: h });
            expect(await d.get(`/vmrest/users/${u}/credential/pin`)).to.include({ CredMustChange: "false", Credentials: "" });
            expect(await d.get(`/vmrest/handlers/callhandlers/${h}/greetings/Busy`)).to.include({ Enabled: "true" });
            expect((await d.list(`/vmrest/distributionlists/${list}/distributionlistmembers`, "DistributionListMember")).map((m) => m.Alias)).to.deep.equal(["kept"]);
            // What goes with what is known again: the handler is the user's, and goes with it.
            await d.refused("DELETE", `/vmrest/handlers/callhandlers/${h}`, undefined, 400, "delete the user instead");
            await d.del(`/vmrest/users/${u}`);
            expect((await d.send("GET", `/vmrest/handlers/callhandlers/${h}`)).status).to.equal(404);
        } finally {
            await p.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
