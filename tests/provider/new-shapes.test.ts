/**
 * Issue 26's engine capabilities, each proven by a throwaway object declared in this test alone
 * (as new-object.test.ts does for a sub-collection): a Widget created with a parameter in the
 * query string, with a singleton sub-object whose fields are its inputs (one of them a secret),
 * a set and an ordered list of members, a natural key other than DisplayName (recovery after an
 * interrupted create, adoption, auto-naming, the importer), a reference to another Widget,
 * a string enum, and built-ins; and issue 28's: a fixed set of children as one nested input with
 * a codec, and rows of a sub-collection given as a list. Its spec, its definition and their index lines are all it takes:
 * nothing outside this file names it.
 *
 * The host is a process of its own that loads the package by name, as a user's does: it preloads
 * this file (NODE_OPTIONS --require), which there runs only the declarations and the index lines.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { buildSchema, token } from "../../provider/hosts/native/schema";
import { render as renderProgram, scan } from "../../provider/import/importer";
import { addResource, RESOURCES } from "../../provider/resources";
import { defineResource, fields, type Codec } from "../../provider/resources/types";
import { addSpec, SPECS } from "../../provider/specs";
import { creatableFields, defineObject, field, OBJECT_ID, URI } from "../../provider/specs/types";
import { generateDataset, type Simulator } from "../../simulator";
import { render } from "../../scripts/gen-sdk";
import { recordingProxy, sim, until } from "../helpers";
import { Host, type Props } from "../host";

const KIND = "Widget";
const DECLARE_ONLY = "CUC_TEST_NEW_SHAPES_DECLARE_ONLY";
const PASSCODE = "Widget-Passcode-4242";
const FACTORY = "3c9e1f0a-7b2d-4e5f-8a6b-9c0d1e2f3a4b";

/** provider/specs/widget.ts, as a new object's field tables would be written. */
function specs() {
    const widget = defineObject({
        kind: KIND, element: "Widget", collection: "Widgets", path: "widgets", noun: "widget",
        operations: ["list", "get", "create", "update", "delete"],
        key: "Code",
        undeletable: "BuiltIn",
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11"),
            OBJECT_ID,
            field("templateCode", "string", "wo", { param: true, createOnly: true, example: "standard", doc: "What the widget is made from (a create parameter)." }),
            field("Code", "string", "rw", { mandatory: true, maxLength: 30, queryable: true, sortable: true, example: "w-1", doc: "The widget's code, unique among widgets." }),
            field("Colour", "string", "rw", { enum: { red: "red", green: "green", blue: "blue" }, example: "green", doc: "Its colour." }),
            field("LinkedWidgetObjectId", "string", "rw", { name: "linkedWidgetId", ref: KIND, doc: "Another widget it points at." }),
            field("BuiltIn", "boolean", "ro", { default: false, doc: "A widget the server comes with: never deleted." }),
        ],
    });
    const parent = { kind: KIND, field: "WidgetObjectId" };
    const settings = defineObject({
        kind: "WidgetSettings", element: "WidgetSettings", collection: "WidgetSettingsList", path: "widgets/{parent}/settings", noun: "widgetsettings",
        operations: ["get", "update"], singleton: true, parent,
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/settings"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "settingsOf", doc: "The widget the settings belong to." }),
            field("Volume", "integer", "rw", { default: 5, min: 0, max: 10, example: 7, doc: "How loud it is." }),
            field("Passcode", "string", "wo", { secret: true, maxLength: 64, doc: "Its passcode (write-only)." }),
        ],
    });
    const friend = defineObject({
        kind: "WidgetFriend", element: "WidgetFriend", collection: "WidgetFriends", path: "widgets/{parent}/friends", noun: "widgetfriend",
        operations: ["list", "get", "create", "delete"], parent,
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/friends/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "friendOf", doc: "The widget." }),
            field("FriendObjectId", "string", "rw", { name: "friendId", ref: KIND, doc: "A friend widget." }),
        ],
    });
    const step = defineObject({
        kind: "WidgetStep", element: "WidgetStep", collection: "WidgetSteps", path: "widgets/{parent}/steps", noun: "widgetstep",
        operations: ["list", "get", "create", "delete"], parent,
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/steps/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "stepOf", doc: "The widget." }),
            field("StepObjectId", "string", "rw", { name: "stepId", ref: KIND, doc: "A widget visited in this step." }),
            field("Position", "integer", "rw", { min: 1, max: 999, unique: { namespace: "widget-step", scope: "WidgetObjectId" }, doc: "Its place in the order." }),
        ],
    });
    // A fixed set under each widget, addressed by key (as a handler's transferoptions/Off%20Hours).
    const mode = defineObject({
        kind: "WidgetMode", element: "WidgetMode", collection: "WidgetModes", path: "widgets/{parent}/modes", noun: "widgetmode",
        operations: ["list", "get", "update"], parent, addressedBy: "ModeType",
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/modes/Off%20Hours"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "modeOf", doc: "The widget." }),
            field("ModeType", "string", "ro", { enum: { Standard: "Standard", "Off Hours": "Off Hours" }, doc: "Which mode." }),
            field("Brightness", "integer", "rw", { name: "offHoursBrightness", default: 5, min: 0, max: 10, doc: "How bright it is in that mode." }),
        ],
    });
    // Issue 28's shapes: a fixed set managed as one nested input (as a handler's greetings), and
    // rows of a sub-collection given as a list (as a schedule's blocks).
    const lamp = defineObject({
        kind: "WidgetLamp", element: "WidgetLamp", collection: "WidgetLamps", path: "widgets/{parent}/lamps", noun: "widgetlamp",
        operations: ["list", "get", "update"], parent, addressedBy: "LampColor",
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/lamps/Red"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "lampOf", doc: "The widget." }),
            field("LampColor", "string", "ro", { enum: { Red: "Red", Green: "Green" }, doc: "Which lamp." }),
            field("Level", "integer", "rw", { default: 1, min: 0, max: 9, doc: "How bright." }),
            field("Until", "string", "rw", { doc: "On until then; empty: on; 1972: off." }),
        ],
    });
    const note = defineObject({
        kind: "WidgetNote", element: "WidgetNote", collection: "WidgetNotes", path: "widgets/{parent}/notes", noun: "widgetnote",
        operations: ["list", "get", "create", "update", "delete"], parent,
        fields: [
            URI("/vmrest/widgets/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11/notes/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"),
            OBJECT_ID,
            field("WidgetObjectId", "string", "ro", { name: "noteOf", doc: "The widget." }),
            field("Title", "string", "rw", { name: "title", maxLength: 20, doc: "The note's title." }),
            field("Minutes", "integer", "rw", { default: 0, min: 0, max: 1439, doc: "When, in minutes after midnight." }),
        ],
    });
    return { widget, settings, friend, step, mode, lamp, note };
}

/** `on` over a lamp's Until (as `enabled` over TimeExpires), and `at` over a note's Minutes (as a block's start). */
const ON: Codec = {
    name: "on", type: "boolean", from: ["Until"], doc: "On or off.",
    encode: (v) => ({ Until: v === false ? "1972-01-01" : "" }),
    decode: (r) => r.Until !== "1972-01-01",
};
const AT: Codec = {
    name: "at", type: "string", from: ["Minutes"], doc: "When: HH:MM.",
    check: (v) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(String(v)) ? undefined : "must be a time like 08:30"),
    encode: (v) => ({ Minutes: Number(String(v).slice(0, 2)) * 60 + Number(String(v).slice(3)) }),
    decode: (r) => (typeof r.Minutes === "number" ? `${String(Math.floor(r.Minutes / 60)).padStart(2, "0")}:${String(r.Minutes % 60).padStart(2, "0")}` : undefined),
};

/** provider/resources/widget.ts: what the spec cannot know. */
const definition = (s: ReturnType<typeof specs>) => defineResource({
    kind: KIND,
    summary: "A throwaway widget (CUPI `/vmrest/widgets`).",
    spec: s.widget,
    inputs: creatableFields(s.widget),
    parts: [{ spec: s.settings, inputs: fields(s.settings, ["Volume", "Passcode"]) }, { spec: s.mode, key: "Off Hours", inputs: fields(s.mode, ["Brightness"]) }],
    members: [
        { name: "friends", spec: s.friend, field: "FriendObjectId", doc: "Its friends" },
        { name: "steps", spec: s.step, field: "StepObjectId", order: "Position", doc: "The widgets it visits, in order" },
    ],
    children: [{ name: "lamps", shape: { type: "WidgetLampSettings", spec: s.lamp, fields: fields(s.lamp, ["Level"]), codecs: [ON], doc: "A lamp." }, keys: { red: "Red", green: "Green" }, doc: "Its lamps: red and green." }],
    rows: [{
        name: "notes", key: "title", doc: "Its notes",
        shape: { type: "WidgetNoteRow", spec: s.note, fields: fields(s.note, ["Title"]), codecs: [AT], doc: "A note.", rules: (n) => (n.title === "noon" && n.at !== "12:00" ? ["a note called noon is at 12:00"] : []) },
    }],
    ignoreChanges: ["templateCode"],
    createDefaults: { templateCode: "standard" },
    autoName: true,
    import: { word: "widgets" },
});

function declare(): () => void {
    const s = specs();
    const removes = [addSpec(s.widget), addSpec(s.settings), addSpec(s.friend), addSpec(s.step), addSpec(s.mode), addSpec(s.lamp), addSpec(s.note), addResource(definition(s))];
    return () => removes.reverse().forEach((r) => r());
}

if (process.env[DECLARE_ONLY] === "1") declare();
else {
    describe("new shapes of objects, each declared in the tables (issue 26)", function () {
        this.timeout(60_000);
        const PASSWORD = "New-Shapes-Pass-26";
        let undeclare: () => void = () => undefined;
        let s: Simulator;
        let proxy: Awaited<ReturnType<typeof recordingProxy>>;
        let host: Host;
        let client: CupiClient;
        const sent = (from: number) => proxy.seen.slice(from).map((r) => `${r.method} ${r.path.replace(/^\/vmrest/, "").replace(/[0-9a-f-]{36}/g, "{id}")}`);
        const make = async (program: Props) => {
            const checked = await host.check(KIND, {}, program);
            expect(checked.failures, JSON.stringify(checked.failures)).to.deep.equal([]);
            return host.create(KIND, checked.inputs);
        };

        before(async () => {
            expect(SPECS[KIND], "declared by this test only").to.equal(undefined);
            undeclare = declare();
            // A widget the server comes with (built in), beside the default dataset.
            s = await sim({ password: PASSWORD, data: { ...generateDataset(), [KIND]: [{ ObjectId: FACTORY, Code: "factory", Colour: "red", BuiltIn: true }] } });
            proxy = await recordingProxy(s.url);
            host = await Host.start({
                CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "",
                [DECLARE_ONLY]: "1",
                NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(__filename)}`.trim(),
            });
            await host.configure({ "cuc:server": proxy.url, "cuc:username": s.user, "cuc:password": PASSWORD, "cuc:retryBaseMs": "5" });
            client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        });
        after(async () => {
            // Other suites loop over SPECS and RESOURCES: the throwaway objects leave with this one.
            undeclare();
            const output = host.output.join("");
            expect(output).not.to.contain(PASSWORD);
            expect(output).not.to.contain(PASSCODE);
            client?.close();
            await host?.close();
            await proxy?.close();
            await s?.close();
        });

        it("a create parameter goes in the query string, and a later change to it is no change", async () => {
            const from = proxy.seen.length;
            const { id, outs } = await make({ code: "param-1", templateCode: "deluxe" });
            expect(sent(from)[0]).to.equal("POST /widgets?templateCode=deluxe");
            expect(proxy.seen[from].body, "never in the body").not.to.contain("templateCode");
            const news = (await host.check(KIND, outs, { code: "param-1", templateCode: "basic" })).inputs;
            expect(await host.diff(KIND, id, outs, news)).to.include({ changes: "none" });
            await until(() => host.output.join("").includes("templateCode is used only when the widget is created (no change)"), "the note");
            const plain = await make({ code: "param-2" });
            expect(sent(from).find((r) => r.startsWith("POST /widgets?"))).to.equal("POST /widgets?templateCode=deluxe");
            expect(sent(from).filter((r) => r.startsWith("POST /widgets?")).at(-1), "the definition's default").to.equal("POST /widgets?templateCode=standard");
            await host.delete(KIND, plain.id, plain.outs);
            await host.delete(KIND, id, outs);
        });

        it("a singleton's fields are inputs: one PUT after the POST, read back on refresh (drift), the secret never shown", async () => {
            let from = proxy.seen.length;
            const program = { code: "settings-1", volume: 7, passcode: PASSCODE };
            const { id, outs } = await make(program);
            expect(sent(from)).to.deep.equal(["POST /widgets?templateCode=standard", "PUT /widgets/{id}/settings", "GET /widgets/{id}"]);
            expect(proxy.seen[from + 1].body).to.contain("<Volume>7</Volume>").and.to.contain(`<Passcode>${PASSCODE}</Passcode>`);
            expect(outs).to.include({ volume: 7, passcode: PASSCODE });
            // Someone turns it down in Connection Administration: refresh shows it, the plan puts it back with one PUT.
            await client.update(SPECS.WidgetSettings, "", { Volume: 2 }, String(outs.objectId));
            const refreshed = await host.read(KIND, id, outs);
            expect(refreshed.inputs).to.include({ volume: 2, passcode: PASSCODE });
            const news = (await host.check(KIND, refreshed.outs, program)).inputs;
            expect(await host.diff(KIND, id, refreshed.outs, news)).to.include({ changes: "some" });
            from = proxy.seen.length;
            const updated = await host.update(KIND, id, refreshed.outs, news);
            expect(sent(from)).to.deep.equal(["PUT /widgets/{id}/settings", "GET /widgets/{id}"]);
            expect(updated.volume).to.equal(7);
            // The secret's class output is secret in both modes: the tables mark it so.
            expect(buildSchema("0.0.0").resources).to.satisfy((r: Record<string, { properties: Record<string, { secret?: boolean }> }>) => r[token(KIND)].properties.passcode.secret === true);
            await host.delete(KIND, id, updated);
        });

        it("a child of a fixed set, addressed by its key: one PUT to its path, read back on refresh; two widgets' children of the same key stay apart", async () => {
            let from = proxy.seen.length;
            const a = await make({ code: "mode-a", offHoursBrightness: 2 });
            const b = await make({ code: "mode-b", offHoursBrightness: 9 });
            expect(sent(from)).to.deep.equal([
                "POST /widgets?templateCode=standard", "PUT /widgets/{id}/modes/Off%20Hours", "GET /widgets/{id}",
                "POST /widgets?templateCode=standard", "PUT /widgets/{id}/modes/Off%20Hours", "GET /widgets/{id}",
            ]);
            const row = (w: { outs: Props }, key: string) => client.get(SPECS.WidgetMode, key, String(w.outs.objectId));
            expect(Number((await row(a, "Off Hours")).Brightness)).to.equal(2);
            expect(Number((await row(b, "Off Hours")).Brightness)).to.equal(9);
            expect(Number((await row(a, "Standard")).Brightness), "the other key is left alone").to.equal(5);
            // Drift on one widget's child shows on that widget only.
            await client.update(SPECS.WidgetMode, "Off Hours", { Brightness: 4 }, String(a.outs.objectId));
            expect((await host.read(KIND, a.id, a.outs)).inputs).to.include({ offHoursBrightness: 4 });
            expect((await host.read(KIND, b.id, b.outs)).inputs).to.include({ offHoursBrightness: 9 });
            from = proxy.seen.length;
            const news = (await host.check(KIND, b.outs, { code: "mode-b", offHoursBrightness: 3 })).inputs;
            const updated = await host.update(KIND, b.id, b.outs, news);
            expect(sent(from)).to.deep.equal(["PUT /widgets/{id}/modes/Off%20Hours", "GET /widgets/{id}"]);
            expect(proxy.seen.at(-2)!.path).to.contain(String(b.outs.objectId));
            expect(Number((await row(a, "Off Hours")).Brightness), "a's child untouched").to.equal(4);
            await host.delete(KIND, a.id, a.outs);
            await host.delete(KIND, b.id, updated);
        });

        it("a set of members and an ordered list: a POST per added member, a DELETE per removed one, reordering keeps the common prefix", async () => {
            const others: { id: string; outs: Props }[] = [];
            for (let i = 0; i < 3; i++) others.push(await make({ code: `member-${i}` }));
            const ids = (...i: number[]) => i.map((k) => String(others[k].outs.objectId));
            const program = { code: "members-1", friends: ids(0, 1), steps: ids(0, 1, 2) };
            let from = proxy.seen.length;
            const w = await make(program);
            expect(sent(from).filter((r) => r.startsWith("POST")).length, "the widget, 2 friends, 3 steps").to.equal(6);
            const sameSet = (await host.check(KIND, w.outs, { ...program, friends: ids(1, 0) })).inputs;
            expect(await host.diff(KIND, w.id, w.outs, sameSet), "a set: the order is no change").to.include({ changes: "none" });
            const reordered = (await host.check(KIND, w.outs, { ...program, friends: ids(1, 2), steps: ids(0, 2, 1) })).inputs;
            expect(await host.diff(KIND, w.id, w.outs, reordered)).to.include({ changes: "some" });
            from = proxy.seen.length;
            const updated = await host.update(KIND, w.id, w.outs, reordered);
            const writes = sent(from).filter((r) => !r.startsWith("GET"));
            expect(writes.filter((r) => r.includes("/friends")).sort()).to.deep.equal(["DELETE /widgets/{id}/friends/{id}", "POST /widgets/{id}/friends"]);
            expect(writes.filter((r) => r.includes("/steps")).sort(), "the first step stays").to.deep.equal(["DELETE /widgets/{id}/steps/{id}", "DELETE /widgets/{id}/steps/{id}", "POST /widgets/{id}/steps", "POST /widgets/{id}/steps"]);
            const refreshed = await host.read(KIND, w.id, updated);
            expect(refreshed.inputs.steps).to.deep.equal(ids(0, 2, 1));
            expect([...(refreshed.inputs.friends as string[])].sort()).to.deep.equal(ids(1, 2).sort());
            // A member that is not an ObjectId, or listed twice, is refused by check.
            const bad = await host.check(KIND, {}, { code: "members-2", friends: ["w-1", ids(0)[0], ids(0)[0].toUpperCase()] });
            expect(bad.failures.map((f) => f.reason)).to.deep.equal([
                'friends[0] "w-1" is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555): pass the other resource\'s objectId',
                `friends lists ${ids(0)[0]} twice; each member once`,
            ]);
            await host.delete(KIND, w.id, refreshed.outs);
            for (const o of others) await host.delete(KIND, o.id, o.outs);
        });

        it("its natural key (Code, not DisplayName) finds it after an interrupted create, names it, and is what auto-naming fills in", async () => {
            const named = (await host.check(KIND, {}, { __cucName: "auto" })).inputs;
            expect(named.code).to.match(/^auto-[0-9a-f]{7}$/);
            s.faults.commitResetRate = 1;
            const { id, outs } = await host.create(KIND, named);
            s.faults.commitResetRate = 0;
            expect(s.store.list(KIND).filter((w) => w.Code === named.code), "no duplicate").to.have.length(1);
            await until(() => host.output.join("").includes(`the create request was interrupted; found ${String(named.code)} (${String(outs.objectId)})`), "the recovery line");
            await host.delete(KIND, id, outs);
        });

        it("a string enum and a reference are checked before any request; a reference is kept in lower case", async () => {
            const other = await make({ code: "ref-target" });
            const requests = s.stats().requests;
            const bad = await host.check(KIND, {}, { code: "ref-1", colour: "purple", linkedWidgetId: "ref-target" });
            expect(bad.failures.map((f) => f.reason)).to.deep.equal([
                'colour "purple" is not one of red, green, blue (CUPI field Colour)',
                "linkedWidgetId \"ref-target\" is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555; pass the other resource's objectId) (CUPI field LinkedWidgetObjectId)",
            ]);
            const ok = await host.check(KIND, {}, { code: "ref-1", colour: "blue", linkedWidgetId: String(other.outs.objectId).toUpperCase() });
            expect(ok.inputs.linkedWidgetId).to.equal(other.outs.objectId);
            expect(s.stats().requests, "no request").to.equal(requests);
            await host.delete(KIND, other.id, other.outs);
        });

        it("adoption compares its parts and members; a built-in is never deleted; cuc-import writes references and leaves built-ins out", async () => {
            const target = await make({ code: "import-target" });
            const source = await make({ code: "import-source", linkedWidgetId: target.outs.objectId, friends: [String(target.outs.objectId)], volume: 3 });
            // Verify mode: a member list or a part field that differs is named.
            const differs = (await host.check(KIND, {}, { adopt: String(source.outs.objectId), code: "import-source", friends: [], volume: 4 })).inputs;
            const refused = await host.create(KIND, differs).then(() => "adopted", (e: Error) => e.message);
            expect(refused).to.contain("differs from the program in 2 field(s)").and.to.contain("friends: program [], server [").and.to.contain("volume: program 4, server 3");

            // The built-in: adopted, then destroyed: forgotten with a warning, no DELETE, still there.
            const factory = await make({ adopt: FACTORY, code: "factory" });
            expect(factory.outs.builtIn).to.equal(true);
            const from = proxy.seen.length;
            await host.delete(KIND, factory.id, factory.outs);
            expect(sent(from)).to.deep.equal([]);
            await until(() => host.output.join("").includes(`warning: cuc:${KIND} factory (${FACTORY}) is built into Connection and is never deleted`), "the warning");
            expect(await client.find(SPECS[KIND], FACTORY)).to.not.equal(undefined);

            const alike = await make({ code: "import.source" });
            const found = await scan(client, { kinds: ["widgets"] });
            const index = renderProgram(found).files["index.ts"];
            // Named after the natural key; two alike would be importSource and importSource2 (a variable takes no hyphen).
            expect(index).to.match(/const importSource = new cuc\.Widget\("import-source", \{\n {4}adopt: "[0-9a-f-]{36}",\n {4}code: "import-source",\n {4}linkedWidgetId: importTarget\.objectId,\n {4}friends: \[importTarget\.objectId\],\n\}, adopted\);/);
            expect(index.indexOf("const importTarget"), "what it refers to comes first").to.be.lessThan(index.indexOf("const importSource"));
            expect(index, "a built-in is Connection's own: programs look it up").not.to.contain('"factory"');
            expect(index).to.contain('const importSource2 = new cuc.Widget("import-source-2", {');
            await host.delete(KIND, alike.id, alike.outs);
            await host.delete(KIND, source.id, source.outs);
            await host.delete(KIND, target.id, target.outs);
        });

        it("a fixed set as one nested input: only the children and fields set, one PUT each; drift on refresh; a key it does not have is refused", async () => {
            let from = proxy.seen.length;
            const w = await make({ code: "lamps-1", lamps: { red: { level: 7, on: false } } });
            expect(sent(from)).to.deep.equal(["POST /widgets?templateCode=standard", "GET /widgets/{id}", "PUT /widgets/{id}/lamps/Red"]);
            expect(proxy.seen[from + 2].body).to.contain("<Level>7</Level>").and.to.contain("<Until>1972-01-01</Until>");
            expect(w.outs.lamps).to.deep.equal({ red: { level: 7, on: false } });
            const lamp = (key: string) => client.get(SPECS.WidgetLamp, key, String(w.outs.objectId));
            expect(Number((await lamp("Green")).Level), "the green one is left alone").to.equal(1);
            // Turned on outside Pulumi: refresh says so, and the plan puts it back with one PUT of that lamp.
            await client.update(SPECS.WidgetLamp, "Red", { Until: "" }, String(w.outs.objectId));
            const refreshed = await host.read(KIND, w.id, w.outs);
            expect(refreshed.inputs.lamps).to.deep.equal({ red: { level: 7, on: true } });
            const news = (await host.check(KIND, refreshed.outs, { code: "lamps-1", lamps: { red: { level: 7, on: false } } })).inputs;
            expect(await host.diff(KIND, w.id, refreshed.outs, news)).to.include({ changes: "some" });
            from = proxy.seen.length;
            const updated = await host.update(KIND, w.id, refreshed.outs, news);
            expect(sent(from)).to.deep.equal(["PUT /widgets/{id}/lamps/Red", "GET /widgets/{id}"]);
            expect(proxy.seen[from].body).to.contain("<Until>1972-01-01</Until>").and.not.to.contain("Level");
            const bad = await host.check(KIND, {}, { code: "lamps-2", lamps: { blue: { level: 1 }, red: { level: 12, shine: true } } });
            expect(bad.failures.map((f) => `${f.property}: ${f.reason}`)).to.deep.equal([
                "lamps.blue: lamps has no blue; its keys are red, green",
                "lamps.red.level: lamps.red.level must be between 0 and 9, got 12 (CUPI field Level)",
                "lamps.red.shine: lamps.red has no shine; it takes level, on",
            ]);
            await host.delete(KIND, w.id, updated);
        });

        it("rows given as a list: a POST per new row, a PUT per changed one (matched by its key), a DELETE per dropped one; another order is no change", async () => {
            let from = proxy.seen.length;
            const program = { code: "notes-1", notes: [{ title: "open", at: "08:05" }, { title: "close", at: "17:00" }] };
            const w = await make(program);
            expect(sent(from).filter((r) => r.includes("/notes"))).to.deep.equal(["POST /widgets/{id}/notes", "POST /widgets/{id}/notes"]);
            const rows = async () => (await client.list(SPECS.WidgetNote, { parentId: String(w.outs.objectId) })).map((r) => `${String(r.Title)} ${String(r.Minutes)}`).sort();
            expect(await rows()).to.deep.equal(["close 1020", "open 485"]);
            const reversed = (await host.check(KIND, w.outs, { ...program, notes: [...program.notes].reverse() })).inputs;
            expect(await host.diff(KIND, w.id, w.outs, reversed)).to.include({ changes: "none" });
            const changed = (await host.check(KIND, w.outs, { code: "notes-1", notes: [{ title: "close", at: "18:00" }, { title: "lunch", at: "12:30" }] })).inputs;
            from = proxy.seen.length;
            const updated = await host.update(KIND, w.id, w.outs, changed);
            expect(sent(from).filter((r) => !r.startsWith("GET"))).to.deep.equal(["PUT /widgets/{id}/notes/{id}", "DELETE /widgets/{id}/notes/{id}", "POST /widgets/{id}/notes"]);
            expect(await rows()).to.deep.equal(["close 1080", "lunch 750"]);
            // A row added outside Pulumi is drift.
            await client.create(SPECS.WidgetNote, { Title: "extra", Minutes: 60 }, String(w.outs.objectId));
            const refreshed = await host.read(KIND, w.id, updated);
            expect((refreshed.inputs.notes as Props[]).map((n) => n.title).sort()).to.deep.equal(["close", "extra", "lunch"]);
            // Each row checked by the shape's codecs and rules, named by its place.
            const bad = await host.check(KIND, {}, { code: "notes-2", notes: [{ title: "x", at: "8:5" }, { title: "noon", at: "12:05" }] });
            expect(bad.failures.map((f) => `${f.property}: ${f.reason}`)).to.deep.equal(["notes[0].at: notes[0].at must be a time like 08:30, got \"8:5\"", "notes[1]: notes[1]: a note called noon is at 12:00"]);
            await host.delete(KIND, w.id, refreshed.outs);
        });

        it("gets its member lists in the schema and the SDK classes", () => {
            const schema = buildSchema("0.0.0") as { resources: Record<string, { inputProperties: Record<string, { type?: string; items?: { type: string } }> }> };
            expect(schema.resources[token(KIND)].inputProperties.friends).to.deep.include({ type: "array", items: { type: "string" } });
            expect(render()).to.contain("    friends?: pulumi.Input<pulumi.Input<string>[]>;").and.to.contain("    volume?: pulumi.Input<number>;");
            expect(RESOURCES[KIND].outputs.map((o) => o.name)).to.include.members(["volume", "passcode", "friends", "steps", "builtIn"]);
        });
    });
}
