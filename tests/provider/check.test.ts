/**
 * check (engine/check.ts) and auto-names (engine/naming.ts) through the providers' own check: the
 * words of each refusal, what a number in place of digits becomes, member lists, requiredness that
 * waits for an unknown discriminator. No server is needed: check sends no request.
 */
import { expect } from "chai";
import { redact } from "../../provider/client/cupi-error";
import { providers } from "../../provider";
import { makeCheck } from "../../provider/engine/check";
import { UNKNOWN } from "../../provider/engine/values";
import { defineResource } from "../../provider/resources/types";
import { creatableFields, defineObject, field, OBJECT_ID } from "../../provider/specs/types";

const connection = { server: "https://cuc.example.com", username: "admin", password: "Check-Pass-1" };
const GUID = "035853ce-f4e6-4de2-bda2-84acf827a555";
type Checked = { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] };
const check = async (kind: string, news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
    (await providers[kind].check!(olds, { connection, ...news })) as Checked;
const reasons = (r: Checked) => r.failures.map((f) => f.reason);

describe("check: what each refusal says, before any request (engine/check.ts)", () => {
    it("an input only a create needs, left out: required to create, and an existing object keeps the server's value", async () => {
        const r = await check("HttpsLink", { remoteServer: "cuc-b", remotePassword: "Remote-Pass-1" });
        expect(reasons(r)).to.deep.equal([
            "remoteUsername is required to create the HTTPS link: Administrator on the remote cluster, used once to join. (CUPI field RemoteUsername); " +
                "on an object that already exists (adopted or imported), leave remoteUsername out to keep the value the server has",
        ]);
    });

    it("an empty write-only secret: a password, or another secret, named by what it is, never quoted", async () => {
        const password = await check("ExternalService", { displayName: "x", serviceAlias: "s", servicePassword: "", serverType: "Office 365", server: "o" });
        expect(reasons(password)).to.have.length(1);
        expect(reasons(password)[0]).to.match(/^servicePassword is empty: CUPI would store an empty password \(CUPI field ServicePassword\)\. Set it from a config secret .* leave servicePassword out to keep the password the server has$/);
        const other = await check("ExternalService", { displayName: "x", serviceAlias: "s", servicePassword: "Svc-Pass-1", serverType: "Office 365", server: "o", clientSecret: "" });
        expect(reasons(other)).to.have.length(1);
        expect(reasons(other)[0]).to.match(/^clientSecret is empty: CUPI would store an empty secret \(CUPI field ClientSecret\)\. .* keep the value the server has$/);
        const pin = await check("User", { alias: "empty-pin", dtmfAccessId: "1001", pin: "" });
        expect(reasons(pin)[0]).to.match(/^pin is empty: CUPI would store an empty PIN \(CUPI field /);
    });

    it("an empty mandatory text is refused; an empty optional one is a value", async () => {
        const r = await check("User", { alias: "a", dtmfAccessId: "", firstName: "" });
        expect(r.failures).to.deep.equal([{ property: "dtmfAccessId", reason: "dtmfAccessId must not be empty (CUPI field DtmfAccessId)" }]);
        expect(r.inputs.firstName).to.equal("");
    });

    it("a whole number's own rule (a quota in 1,024-byte steps) names the field and a value that works", async () => {
        const r = await check("User", { alias: "a", dtmfAccessId: "1001", receiveQuota: 1000 });
        expect(reasons(r)).to.deep.equal([
            "receiveQuota must be -2 (the system default), -1 (unlimited) or a multiple of 1024 bytes up to 2048 MB, e.g. 1024, got 1000 (CUPI field ReceiveQuota)",
        ]);
    });

    it("a number where digits are wanted (Pulumi YAML's config) stands for them, 0 included; a secret one is kept out of every message", async () => {
        const r = await check("User", { alias: "a", dtmfAccessId: 0, pin: 48_213_977 });
        expect(r.failures).to.deep.equal([]);
        expect(r.inputs.dtmfAccessId).to.equal("0");
        expect(r.inputs.pin).to.equal("48213977");
        expect(redact("PIN 48213977 refused")).to.equal("PIN *** refused");
        const ext = await check("User", { alias: "b", dtmfAccessId: 60_417_283 });
        expect(ext.inputs.dtmfAccessId).to.equal("60417283");
        expect(redact("extension 60417283 taken"), "an extension is no secret").to.equal("extension 60417283 taken");
        for (const bad of [-5, 1.5]) {
            expect(reasons(await check("User", { alias: "c", dtmfAccessId: bad }))).to.deep.equal([`dtmfAccessId must be a string, got ${bad} (CUPI field DtmfAccessId)`]);
        }
        expect(reasons(await check("User", { alias: "d", dtmfAccessId: "1", displayName: 42 })), "a name has no digits shape").to.deep.equal([
            "displayName must be a string, got 42 (CUPI field DisplayName)",
        ]);
        expect(reasons(await check("User", { alias: -5, dtmfAccessId: "1" })), "an alias admits \"-5\", but a negative number stands for no digits").to.deep.equal([
            "alias must be a string, got -5 (CUPI field Alias)",
        ]);
    });

    it("a member list: a list of ObjectIds, each in CUPI's spelling; an unknown one (preview) passes; anything else is named by its place", async () => {
        expect(reasons(await check("DistributionList", { alias: "l", users: "nope" }))).to.deep.equal(['users must be a list of ObjectIds, got "nope"']);
        const r = await check("DistributionList", { alias: "l", users: [UNKNOWN, ` ${GUID.toUpperCase()} `, "nope", 7] });
        expect(r.inputs.users).to.deep.equal([UNKNOWN, GUID]);
        const two = await check("DistributionList", { alias: "l", users: [UNKNOWN, UNKNOWN, GUID] });
        expect(two.failures, "two members not known yet may be two resources").to.deep.equal([]);
        expect(two.inputs.users).to.deep.equal([UNKNOWN, UNKNOWN, GUID]);
        expect(reasons(r)).to.deep.equal([
            `users[2] "nope" is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555): pass the other resource's objectId`,
            `users[3] 7 is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555): pass the other resource's objectId`,
        ]);
    });

    it("a text with a fixed set of values (a throwaway object: no CUPI object of ours has one yet) lists them, with their labels", () => {
        const spec = defineObject({
            kind: "CheckThrowaway", path: "checkthrowaways", operations: ["list", "get", "create", "update", "delete"],
            element: "CheckThrowaway", collection: "CheckThrowaways", noun: "checkthrowaway",
            fields: [
                OBJECT_ID,
                field("Mode", "string", "rw", { doc: "How it works.", enum: { auto: "auto", "1": "Manual" } }),
                field("Code", "string", "rw", { doc: "A code with its own rule.", validate: (v) => (v === "bad" ? "is not allowed here: use any other code" : undefined) }),
            ],
        });
        const checkIt = makeCheck(defineResource({ kind: "CheckThrowaway", summary: "A throwaway.", spec, inputs: creatableFields(spec), recordName: (r) => String(r.ObjectId),
            import: { word: "checkthrowaways", label: (r) => String(r.ObjectId) } }));
        expect(checkIt({}, { mode: "often" }).failures).to.deep.equal([{ property: "mode", reason: 'mode "often" is not one of 1 (Manual), auto (CUPI field Mode)' }]);
        expect(checkIt({}, { mode: "auto" }).failures).to.deep.equal([]);
        expect(checkIt({}, { mode: "" }).failures, "empty is no value, not a wrong one").to.deep.equal([]);
        expect(checkIt({}, { code: "bad" }).failures, "a text's own rule").to.deep.equal([{ property: "code", reason: "code is not allowed here: use any other code (CUPI field Code)" }]);
        expect(checkIt({}, { code: "good" }).failures).to.deep.equal([]);
    });

    it("an input required for one kind of object waits while the kind is not known yet (preview), and is named once it is", async () => {
        const base = { displayName: "x", serviceAlias: "s", servicePassword: "Svc-Pass-1" };
        expect((await check("ExternalService", { ...base, serverType: UNKNOWN })).failures).to.deep.equal([]);
        expect(reasons(await check("ExternalService", { ...base, serverType: "Office 365" }))).to.deep.equal([
            "server is required for Office 365 (serverType 5): Host name or IP address of the Exchange, Office 365 or MeetingPlace server. (CUPI field Server)",
        ]);
        expect(reasons(await check("ExternalService", base))[0]).to.match(/^serverType is required: /);
        const always = reasons(await check("ExternalService", { displayName: "x", servicePassword: "Svc-Pass-1", serverType: "Office 365", server: "o" }));
        expect(always).to.have.length(1);
        expect(always[0], "required for every kind: no kind named").to.match(/^serviceAlias is required: /).and.not.contain("Office 365");
        expect((await check("User", { adopt: GUID })).failures, "an adopted object needs nothing it already has").to.deep.equal([]);
    });
});

describe("auto-names (engine/naming.ts)", () => {
    const scope = (n: string) => ({ __cucName: n, __cucScope: `org/check-test/${n}` });

    it("a new object gets the resource's name and a stable suffix, the same in preview and up; its replacement takes the next candidate", async () => {
        const a = await check("Partition", { ...scope("sales") });
        expect(a.inputs.name).to.match(/^sales-[0-9a-f]{7}$/);
        expect(a.inputs.__autoNamed).to.equal(true);
        expect((await check("Partition", { ...scope("sales") })).inputs.name, "preview and up agree").to.equal(a.inputs.name);
        // A replacement: the engine checks with the olds (the name is kept, so taken), then again without them.
        await check("Partition", { ...scope("sales") }, { ...a.inputs });
        const replacement = await check("Partition", { ...scope("sales") });
        expect(replacement.inputs.name).to.match(/^sales-[0-9a-f]{7}$/).and.not.equal(a.inputs.name);
    });

    it("keeps the name it made while the resource keeps its name; a renamed resource gets a new one; no name falls back to the kind", async () => {
        const first = await check("Partition", { ...scope("support") });
        const olds = { ...first.inputs };
        expect((await check("Partition", { ...scope("support") }, olds)).inputs.name).to.equal(first.inputs.name);
        const renamed = await check("Partition", { __cucName: "helpdesk", __cucScope: "org/check-test/support" }, olds);
        expect(renamed.inputs.name).to.match(/^helpdesk-[0-9a-f]{7}$/);
        const given = await check("Partition", { ...scope("support"), name: "Given" }, olds);
        expect(given.inputs.name).to.equal("Given");
        expect(given.inputs.__autoNamed).to.equal(undefined);
        expect((await check("Partition", { __cucName: "", __cucScope: "org/check-test/none" })).inputs.name).to.match(/^partition-[0-9a-f]{7}$/);
    });

    it("a kind with no natural key is named by its DisplayName, within that field's length", () => {
        const spec = defineObject({
            kind: "NameThrowaway", path: "namethrowaways", operations: ["list", "get", "create", "update", "delete"],
            element: "NameThrowaway", collection: "NameThrowaways", noun: "namethrowaway",
            fields: [OBJECT_ID, field("DisplayName", "string", "rw", { mandatory: true, maxLength: 20, doc: "Its name." })],
        });
        const checkIt = makeCheck(defineResource({ kind: "NameThrowaway", summary: "A throwaway.", spec, inputs: creatableFields(spec), autoName: true, recordName: (r) => String(r.ObjectId),
            import: { word: "namethrowaways", label: (r) => String(r.ObjectId) } }));
        const r = checkIt({}, { __cucName: "a-resource-name-far-longer-than-twenty", __cucScope: "org/check-test/long" });
        expect(r.failures).to.deep.equal([]);
        expect(r.inputs.displayName).to.match(/^a-resource--[0-9a-f]{7}$/);
        expect(String(r.inputs.displayName).length).to.be.at.most(20);
    });

    it("when every candidate is taken, says so and asks for a name", async () => {
        // The candidates as naming.ts makes them (a hash of scope, kind, prefix and counter), each
        // made taken the way a deployment takes names: an existing auto-named resource that keeps its own.
        const { createHash } = await import("node:crypto");
        const s = "org/check-test/full";
        for (let i = 0; i < 10_000; i++) {
            const name = `full-${createHash("sha256").update(`${s}|Partition|full|${i}`).digest("hex").slice(0, 7)}`;
            await check("Partition", { __cucName: "full", __cucScope: s }, { name, __autoNamed: true, __cucName: "full" });
        }
        const r = await check("Partition", { __cucName: "full", __cucScope: s });
        expect(r.failures).to.deep.equal([{ property: "name", reason: "no free auto-name for Partition 'full' after 10000 candidates: set name" }]);
    });
});
