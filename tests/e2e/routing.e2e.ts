/**
 * Call routing in project mode, as users run it (issue 28): examples/auto-attendant copied to a
 * directory of its own, the packed tarball installed, the CLI's own commands, in both modes. Up
 * costs the requests the children need and no more; a change to one key is one PUT, one holiday
 * more one POST, its date moved one PUT; refresh finds a key changed outside; `pulumi import` of a
 * handler (native) sends GETs only; destroy leaves the server as it was.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { CallHandler, CallHandlerTemplate, MenuEntry, Schedule, ScheduleDetail, ScheduleSetMember, TransferOption, User } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT } from "../helpers";
import { UserWorkspace, type UserProject } from "./user-project";

const ADMIN = "Routing-Admin-Pass-28";

describe("call routing in a user's project: examples/auto-attendant through the CLI, both modes", function () {
    this.timeout(600_000);
    let ws: UserWorkspace;
    let s: Simulator;
    let client: CupiClient;

    before(async function () {
        this.timeout(20 * 60_000);
        ws = new UserWorkspace();
        await ws.init();
        s = await startSimulator({ password: ADMIN, seed: 28 });
        client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: ADMIN, caCert: s.ca }, {}));
    });
    after(async () => {
        client?.close();
        expect(ws.secretLeaks([ADMIN])).to.deep.equal([]);
        await s?.close();
        ws?.dispose();
    });

    for (const mode of ["dynamic", "native"] as const) {
        describe(`${mode} mode`, () => {
            let p: UserProject;
            let before: string;
            let ids: Record<string, string>;
            const n = mode === "native" ? "2" : "1";
            const type = (kind: string) => (mode === "native" ? `cuc:index:${kind}` : `pulumi-nodejs:dynamic/cuc:${kind}`);
            /** The requests of the last run that were not GETs, by route. */
            const writes = () => Object.fromEntries(Object.entries(s.stats().byRoute).filter(([route]) => !route.startsWith("GET ")));
            const up = async () => {
                s.resetStats();
                await p.ok("up", "--yes", "--skip-preview");
                return writes();
            };

            it("preview plans creates only; up writes each child the program sets once; a preview with no changes", async () => {
                before = JSON.stringify(s.store.snapshot());
                p = ws.example("auto-attendant", `auto-attendant-${mode}`);
                if (mode === "native") {
                    p.write("index.ts", p.read("index.ts").replace(`from "pulumi-cuc";`, `from "pulumi-cuc/native";`));
                    await p.installPlugin();
                }
                await p.stack({ url: s.url, user: s.user, password: ADMIN, certPath: s.certPath });
                const project = "cuc-auto-attendant";
                await p.config({ [`${project}:prefix`]: `aa${n}`, [`${project}:mainNumber`]: `5${n}00`, [`${project}:userExtension`]: `5${n}01`, [`${project}:supportLine`]: `25${n}0` });
                s.resetStats();
                const preview = await p.json<{ steps: { op: string; urn: string }[] }>("preview", "--json");
                expect(writes(), "a preview writes nothing").to.deep.equal({});
                const planned = preview.steps.filter((x) => !x.urn.includes("::pulumi:pulumi:Stack::") && !x.urn.includes("::pulumi:providers:"));
                expect([...new Set(planned.map((x) => x.op))]).to.deep.equal(["create"]);
                const kinds = ["Schedule", "Schedule", "ScheduleSet", "DistributionList", "CallHandler", "CallHandler", "CallHandler", "CallHandler", "User"];
                expect(planned.map((x) => x.urn.split("::")[2]).sort()).to.deep.equal(kinds.map(type).sort());

                expect(await up()).to.deep.equal({
                    "POST /vmrest/schedules": 2, "POST /vmrest/schedules/{id}/scheduledetails": 5,
                    "POST /vmrest/schedulesets": 1, "POST /vmrest/schedulesets/{id}/schedulesetmembers": 2,
                    "POST /vmrest/distributionlists": 1, "POST /vmrest/handlers/callhandlers": 3, "POST /vmrest/users": 1,
                    // The operator is adopted: no write. Support's standard rule, the user's off-hours one;
                    // main's three greetings and the user's busy one; main's four keys.
                    "PUT /vmrest/handlers/callhandlers/{id}/transferoptions/{id}": 2,
                    "PUT /vmrest/handlers/callhandlers/{id}/greetings/{id}": 4,
                    "PUT /vmrest/handlers/callhandlers/{id}/menuentries/{id}": 4,
                });
                expect(await p.previewChanges()).to.deep.equal({});
                const out = await p.outputs();
                ids = { ...(out.handlers as Record<string, string>), user: String(out.userHandlerId) };
                expect(out.holidayCount).to.equal(4);
                // What callers get: 1 rings sales, 2 support (locked: at once), 0 the built-in operator.
                const key = async (k: string) => client.get(MenuEntry, k, ids.main);
                expect(await key("1")).to.include({ Action: 2, TargetConversation: "PHTransfer", TargetHandlerObjectId: ids.sales, Locked: true });
                expect(await key("2")).to.include({ TargetHandlerObjectId: ids.support });
                expect((await key("0")).TargetHandlerObjectId).to.equal(ids.operator);
                expect((await client.get(CallHandler, ids.operator)).DisplayName).to.equal("Operator");
                expect(await client.get(TransferOption, "Standard", ids.support)).to.include({ Action: 1, Extension: `25${n}0`, TransferType: 1, TransferRings: 5 });
                expect(await client.get(TransferOption, "Off Hours", ids.user)).to.include({ Action: 1, Extension: "+15551230101" });
                const main = await client.get(CallHandler, ids.main);
                const members = await client.list(ScheduleSetMember, { parentId: String(main.ScheduleSetObjectId) });
                expect(members.map((m) => m.Exclude).sort()).to.deep.equal([false, true]);
            });

            it("cuc-flow draws the flow from the server (GETs only, one login) and from the state: the same graph", async () => {
                const env = { CUC_SERVER: s.url, CUC_USERNAME: s.user, CUC_PASSWORD: ADMIN, CUC_CA_CERT: s.certPath! };
                s.resetStats();
                const live = await p.bin("cuc-flow", ["--entry", `5${n}00`, "--format", "json"], env);
                expect(live.code, live.stderr).to.equal(0);
                expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
                expect(s.stats().logins).to.equal(1);
                p.write("state.json", await p.ok("stack", "export"));
                const stored = await p.bin("cuc-flow", ["--state", "state.json", "--entry", `5${n}00`, "--format", "json"]);
                expect(stored.code, stored.stderr).to.equal(0);
                type Graph = { title: string; nodes: { id: string; kind: string; label: string }[]; edges: { from: string; to: string; label: string }[] };
                const [a, b] = [JSON.parse(live.stdout) as Graph, JSON.parse(stored.stdout) as Graph];
                expect({ ...b, title: "" }).to.deep.equal({ ...a, title: "" });
                const labels = a.nodes.map((x) => x.label);
                expect(labels).to.include.members([`call 5${n}00`, `aa${n} main number · 5${n}00`, `aa${n} sales`, `aa${n} support`, "Operator (system handler)", "mailbox of Jane Doe", `message for aa${n} sales team`, `ring 25${n}0 (5 rings)`]);
                expect(a.edges.map((e) => e.label)).to.include.members(["press 1", "press 2", "press 3", "press 0", `open (aa${n} main number hours)`, `closed (aa${n} main number hours)`, `holiday (aa${n} holidays 2027)`, "no answer", "any time"]);
                // The drawings: Mermaid on standard output, SVG to a file (Graphviz built in).
                const mermaid = await p.bin("cuc-flow", ["--state", "state.json", "--entry", `5${n}00`]);
                expect(mermaid.stdout.split("\n")[0]).to.equal("flowchart LR");
                const svg = await p.bin("cuc-flow", ["--state", "state.json", "--entry", `5${n}00`, "--out", "flow.svg"]);
                expect(svg.code, svg.stderr).to.equal(0);
                expect(p.read("flow.svg")).to.contain("<svg").and.to.contain(`aa${n} main number`);
                // The example's README shows this picture (ids differ per server: the shape is what it shows).
                fs.mkdirSync(path.join(ROOT, ".test-output"), { recursive: true });
                fs.writeFileSync(path.join(ROOT, ".test-output", `auto-attendant-${mode}.mmd`), mermaid.stdout);
            });

            if (mode === "dynamic") {
                it("cuc-import writes the handlers, schedules and sets as a program that adopts them without a change", async () => {
                    const out = path.join(ws.root, "adopted-routing");
                    const env = { CUC_SERVER: s.url, CUC_USERNAME: s.user, CUC_PASSWORD: ADMIN, CUC_CA_CERT: s.certPath! };
                    const r = await p.bin("cuc-import", ["--out", out, "--kinds", "schedules,schedulesets,callhandlers", "--filter", `/^aa${n} /`], env);
                    expect(r.code, r.stderr).to.equal(0);
                    const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
                    expect(index).to.contain("menuEntries: {").and.to.contain("targetHandlerId: handlerAa1Sales.objectId").and.to.contain('{ name: "Christmas", startDate: "2027-12-24", endDate: "2027-12-26" },');
                    const spec = (JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["pulumi-cuc"];
                    const adopted = ws.adopt(out, "adopted-routing", path.join(out, spec.slice("file:".length)));
                    await adopted.stack({ url: s.url, user: s.user, password: ADMIN, certPath: s.certPath });
                    s.resetStats();
                    await adopted.ok("up", "--yes", "--skip-preview");
                    expect(Object.keys(s.stats().byMethod), "adopted as they are: no write").to.deep.equal(["GET"]);
                    expect(await adopted.previewChanges()).to.deep.equal({});
                    await adopted.ok("stack", "rm", "dev", "--force", "--yes"); // forget: the example's stack still manages them
                });
            }

            it("press 2 goes to sales: preview --diff names the key; up is one PUT of that key", async () => {
                await p.config({ "cuc-auto-attendant:key2": "sales" });
                const diff = await p.ok("preview", "--diff");
                expect(diff).to.contain(`~ ${type("CallHandler")}: (update)`);
                expect(diff).to.match(/targetHandlerId\s*: "[0-9a-f-]{36}" => "[0-9a-f-]{36}"/);
                expect(diff).to.contain("1 to update");
                expect(diff).not.to.match(/to (replace|delete|create)/);
                expect(await up()).to.deep.equal({ "PUT /vmrest/handlers/callhandlers/{id}/menuentries/{id}": 1 });
                expect((await client.get(MenuEntry, "2", ids.main)).TargetHandlerObjectId).to.equal(ids.sales);
                expect(await p.previewChanges()).to.deep.equal({});
            });

            it("one holiday more is one POST; its date moved is one PUT", async () => {
                await p.config({ "cuc-auto-attendant:extraHoliday": "2027-03-01" });
                expect(await up()).to.deep.equal({ "POST /vmrest/schedules/{id}/scheduledetails": 1 });
                await p.config({ "cuc-auto-attendant:extraHoliday": "2027-03-02" });
                expect(await up()).to.deep.equal({ "PUT /vmrest/schedules/{id}/scheduledetails/{id}": 1 });
                const [holidays] = await client.list(Schedule, { query: { column: "DisplayName", value: `aa${n} holidays 2027` } });
                const rows = await client.list(ScheduleDetail, { parentId: String(holidays.ObjectId) });
                expect(rows.filter((r) => r.Subject === "Company day").map((r) => String(r.StartDate).slice(0, 10))).to.deep.equal(["2027-03-02"]);
                expect(await p.previewChanges()).to.deep.equal({});
            });

            it("refresh after a key and a holiday changed outside shows them; up puts them back with one PUT each", async () => {
                await client.update(MenuEntry, "0", { Action: 1 }, ids.main);
                const [holidays] = await client.list(Schedule, { query: { column: "DisplayName", value: `aa${n} holidays 2027` } });
                const newYear = (await client.list(ScheduleDetail, { parentId: String(holidays.ObjectId) })).find((r) => r.Subject === "New Year's Day")!;
                await client.update(ScheduleDetail, String(newYear.ObjectId), { StartDate: "2027-01-02 00:00:00", EndDate: "2027-01-02 00:00:00" }, String(holidays.ObjectId));
                const refresh = await p.ok("refresh", "--yes", "--skip-preview", "--diff");
                expect(refresh).to.contain(`~ ${type("CallHandler")}: (update)`).and.to.contain(`~ ${type("Schedule")}: (update)`);
                expect(refresh).to.match(/action\s*: 2 => 1/).and.to.match(/date\s*: "2027-01-01" => "2027-01-02"/);
                expect(await p.previewChanges()).to.deep.equal({ update: 2 });
                expect(await up()).to.deep.equal({ "PUT /vmrest/handlers/callhandlers/{id}/menuentries/{id}": 1, "PUT /vmrest/schedules/{id}/scheduledetails/{id}": 1 });
                expect((await client.get(MenuEntry, "0", ids.main)).Action).to.equal(2);
                expect(String((await client.get(ScheduleDetail, String(newYear.ObjectId), String(holidays.ObjectId))).StartDate).slice(0, 10)).to.equal("2027-01-01");
            });

            if (mode === "native") {
                it("pulumi import of a handler made outside: GETs only; destroy then deletes it with the rest", async () => {
                    const [template] = await client.list(CallHandlerTemplate, { query: { column: "DisplayName", value: "System Call Handler Template" } });
                    const made = await client.create(CallHandler, { templateObjectId: String(template.ObjectId), DisplayName: "Made outside", DtmfAccessId: "5299" });
                    s.resetStats();
                    expect(await p.ok("import", "cuc:index:CallHandler", "made-outside", made, "--yes", "--protect=false", "--generate-code=false")).to.contain("1 imported");
                    expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
                    const state = await p.json<{ deployment: { resources: { type: string; id?: string; inputs?: Record<string, unknown> }[] } }>("stack", "export");
                    expect(state.deployment.resources.find((r) => r.type === "cuc:index:CallHandler" && r.id === made)!.inputs).to.include({ displayName: "Made outside", dtmfAccessId: "5299" });
                });
            }

            it("destroy deletes what the stack holds; the user's handler goes with the user, the operator stays", async () => {
                await p.ok("destroy", "--yes", "--skip-preview");
                for (const [name, id] of Object.entries(ids)) if (name !== "operator") expect(await client.find(CallHandler, id), name).to.equal(undefined);
                expect((await client.get(CallHandler, ids.operator)).DisplayName).to.equal("Operator");
                expect(await client.list(User, { query: { column: "Alias", value: `aa${n}-jdoe` } })).to.deep.equal([]);
                s.store.purgeUnjoined();
                expect(JSON.stringify(s.store.snapshot())).to.equal(before);
            });
        });
    }
});
