/**
 * cuc-flow's graph (provider/flow) against the simulator's data: handlers, schedules and a user
 * made through the providers over HTTP; the graph read from the server (GETs only, one login) has
 * exactly the nodes and edges those objects say, and the graph read from the same objects' state
 * is equal to it. The drawings (Mermaid, DOT, SVG) are checked for what they name, not their bytes.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { providers } from "../../provider";
import { DATA_SOURCES, runList, runOne } from "../../provider/engine/datasources";
import { buildFlow, toDot, toMermaid, toSvg, type Flow } from "../../provider/flow/graph";
import { kindOf, serverSource, stateSource } from "../../provider/flow/sources";
import type { Simulator } from "../../simulator";
import { render as renderProgram, scan } from "../../provider/import/importer";
import { recordingProxy, sim } from "../helpers";

const PASSWORD = "Flow-Admin-Pass-28";
type Props = Record<string, unknown>;

describe("cuc-flow: the call flow from the server and from the state (provider/flow)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    let connection: Props;
    /** What a stack's state would hold: each resource's URN and outputs, as the engine keeps them. */
    const state: { urn: string; type: string; outputs: Props }[] = [];
    const ids: Record<string, string> = {};

    async function make(kind: string, name: string, args: Props): Promise<string> {
        const checked = await providers[kind].check!({}, { connection, ...args });
        expect(checked.failures ?? [], `${kind} ${name}`).to.deep.equal([]);
        const { outs } = await providers[kind].create(checked.inputs);
        state.push({ urn: `urn:pulumi:dev::flow::cuc:index:${kind}::${name}`, type: `cuc:index:${kind}`, outputs: outs as Props });
        return (ids[name] = String((outs as Props).objectId));
    }
    const h = (name: string) => `h_${ids[name].replace(/-/g, "").slice(0, 12)}`;
    const short = (name: string) => ids[name].replace(/-/g, "").slice(0, 12);

    before(async () => {
        s = await sim({ password: PASSWORD });
        proxy = await recordingProxy(s.url);
        connection = { server: proxy.url, username: s.user, password: PASSWORD, retries: 0, format: "json" };
        // The system Operator handler, as a program looks it up (the operator user's own handler has that name too).
        const direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        const operator = await runOne(direct, DATA_SOURCES.find((d) => d.one?.name === "getCallHandler")!, { displayName: "Operator" });
        const { callHandlers } = await runList(direct, DATA_SOURCES.find((d) => d.list.name === "getCallHandlers")!, { query: { column: "DisplayName", value: "Operator" } }) as { callHandlers: Props[] };
        expect(callHandlers.map((x) => [x.objectId, x.isPrimary])).to.deep.equal([[operator.objectId, false]]);
        direct.close();
        await make("Schedule", "hours", { displayName: "Flow hours", blocks: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "17:00" }] });
        await make("Schedule", "holidays", { displayName: "Flow holidays", isHoliday: true, blocks: [{ name: "Christmas", date: "2026-12-25" }] });
        await make("ScheduleSet", "set", { displayName: "Flow open", schedules: [ids.hours], holidays: [ids.holidays] });
        await make("ScheduleSet", "plain", { displayName: "Flow plain", schedules: [ids.hours] });
        await make("DistributionList", "team", { alias: "flow-team", displayName: "Flow team" });
        await make("User", "jane", {
            alias: "flow-jane", displayName: "Jane Flow", dtmfAccessId: "5801", templateAlias: "voicemailusertemplate",
            greetings: { busy: { enabled: true } }, transferRules: { offHours: { enabled: true, action: 1, extension: "+15559990000", usePrimaryExtension: false } },
        });
        await make("CallHandler", "operator", { adopt: String(operator.objectId), displayName: "Operator" });
        await make("CallHandler", "sales", { displayName: "Flow sales", recipientDistributionListId: ids.team, scheduleSetId: ids.plain });
        await make("CallHandler", "support", {
            displayName: "Flow support", recipientUserId: ids.jane, scheduleSetId: ids.set,
            transferRules: { standard: { action: 1, extension: "2580", usePrimaryExtension: false, transferType: 1, transferRings: 5 } },
        });
        const go = (id: string) => ({ action: 2, targetConversation: "PHTransfer", targetHandlerId: id });
        await make("CallHandler", "main", {
            displayName: "Flow main", dtmfAccessId: "5800", scheduleSetId: ids.set, recipientDistributionListId: ids.team,
            greetings: { standard: { afterGreetingAction: 2, afterGreetingTargetConversation: "PHTransfer", afterGreetingTargetHandlerId: ids.operator }, offHours: { enabled: true }, holiday: { enabled: true, afterGreetingAction: 1 } },
            transferRules: { offHours: { enabled: true, action: 1, extension: "+15550001111", usePrimaryExtension: false } },
            menuEntries: { key1: go(ids.sales), key2: go(ids.support), key3: go(String(state.find((r) => r.urn.endsWith("::jane"))!.outputs.callHandlerId)), key0: go(ids.operator), key4: { action: 7, transferNumber: "+15552223333" }, star: { action: 1 } },
        });
        // Sales' key 9 goes back to the main number: a loop.
        const sales = state.find((r) => r.urn.endsWith("::sales"))!;
        const checked = await providers.CallHandler.check!(sales.outputs, { connection, displayName: "Flow sales", recipientDistributionListId: ids.team, scheduleSetId: ids.plain, menuEntries: { key9: go(ids.main) } });
        sales.outputs = (await providers.CallHandler.update!(String(sales.outputs.objectId), sales.outputs, checked.inputs)).outs as Props;
    });
    after(async () => {
        await proxy?.close();
        await s?.close();
    });

    let fromServer: Flow;
    it("from the server: every node and edge the objects say, with GETs only and one login", async () => {
        proxy.seen.length = 0;
        const logins = s.stats().logins;
        const client = new CupiClient(resolveSettings({ server: proxy.url, username: s.user, password: PASSWORD }, {}));
        try {
            fromServer = await buildFlow(serverSource(client), ["5800"]);
        } finally {
            client.close();
        }
        expect([...new Set(proxy.seen.map((r) => r.method))]).to.deep.equal(["GET"]);
        expect(s.stats().logins - logins).to.equal(1);
        const jane = String(state.find((r) => r.urn.endsWith("::jane"))!.outputs.callHandlerId).replace(/-/g, "").slice(0, 12);
        expect(fromServer.nodes.map((n) => `${n.kind} ${n.label}`).sort()).to.deep.equal([
            "end hang up",
            "entry call 5800",
            "greeting busy greeting",
            "greeting standard greeting", "greeting standard greeting", "greeting standard greeting",
            "handler Flow main · 5800", "handler Flow sales", "handler Flow support",
            "mailbox mailbox of Jane Flow",
            "message message for Flow team", "message message for Jane Flow",
            "note no holidays",
            "system Operator (system handler)",
            "transfer ring +15550001111", "transfer ring +15559990000", "transfer ring 2580 (5 rings)", "transfer transfer to +15552223333",
        ]);
        const main = h("main"), g = (who: string, type: string) => `g_${short(who)}_${type}`;
        expect(fromServer.edges.map((e) => `${e.from} -> ${e.to}: ${e.label}${e.loop ? " (loop)" : ""}`).sort()).to.deep.equal([
            `entry_5800 -> ${main}: `,
            // The main number: open, closed (first to a mobile), holiday; its keys; after each greeting.
            `${main} -> ${g("main", "standard")}: open (Flow open)`,
            `${main} -> t_${short("main")}_offhours: closed (Flow open) / holiday (Flow holidays)`,
            // A released transfer is the phone system's from then on: the off-hours and holiday greetings are not reached.
            `${main} -> ${h("sales")}: press 1`,
            `${main} -> ${h("support")}: press 2`,
            `${main} -> h_${jane}: press 3`,
            // Jane's own rules beside her mailbox: her mobile after her hours, her busy greeting.
            `h_${jane} -> t_${jane}_offhours: their closed hours`,
            `h_${jane} -> g_${jane}_busy: on the phone`,
            `${main} -> x_15552223333: press 4`,
            `${main} -> ${h("operator")}: press 0`,
            `${main} -> end_hangup: press *`,
            `${g("main", "standard")} -> ${h("operator")}: after the greeting`,
            // Sales: no holidays in its set; its key 9 goes back to the main number.
            `${h("sales")} -> note_${short("sales")}_noholidays: holidays`,
            `${h("sales")} -> ${g("sales", "standard")}: any time`,
            `${h("sales")} -> ${main}: press 9 (loop)`,
            `${g("sales", "standard")} -> m_${short("team")}: after the greeting`,
            // Support: rung first, supervised, its greeting when nobody answers.
            `${h("support")} -> t_${short("support")}_standard: any time`,
            `t_${short("support")}_standard -> ${g("support", "standard")}: no answer`,
            `${g("support", "standard")} -> m_${short("jane")}: after the greeting`,
        ].sort());
    });

    it("from the state of the same objects: the same graph, with no server", async () => {
        const fromState = await buildFlow(stateSource({ deployment: { resources: state } }, "dev"), ["5800"]);
        expect({ ...fromState, title: "" }).to.deep.equal({ ...fromServer, title: "" });
        // Either mode's type names the kind.
        expect([kindOf("urn:pulumi:dev::p::cuc:index:CallHandler::main"), kindOf("urn:pulumi:dev::p::pulumi-nodejs:dynamic/cuc:CallHandler::main"), kindOf("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev")]).to.deep.equal(["CallHandler", "CallHandler", undefined]);
    });

    it("an unknown entry is named, with where it was looked for; the default entries are the handlers with an extension", async () => {
        const src = stateSource({ deployment: { resources: state } }, "dev");
        const e = await buildFlow(src, ["5999", "Nobody"]).catch((x: Error) => x);
        expect(String(e)).to.contain(`no call handler has the extension or name "5999", "Nobody" on dev`);
        const all = await buildFlow(src);
        expect(all.nodes.filter((n) => n.kind === "entry").map((n) => n.label)).to.deep.equal(["call 5800"]);
    });

    it("cuc-import writes the handlers with what differs from a fresh template, the schedules' blocks, and targets as references", async () => {
        const client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        try {
            const found = await scan(client, { kinds: ["callhandlers", "schedules", "schedulesets", "distributionlists", "users"], filter: "/flow/i" });
            const index = renderProgram(found).files["index.ts"];
            const block = (variable: string) => index.slice(index.indexOf(`const ${variable} = `), index.indexOf("}, adopted);", index.indexOf(`const ${variable} = `)));
            // The blocks and holidays as people say them; a set's schedules and holidays apart.
            expect(block("scheduleFlowHours")).to.contain('blocks: [\n        { start: "08:00", end: "17:00", days: ["mon", "tue", "wed", "thu", "fri"] },\n    ],');
            expect(block("scheduleFlowHolidays")).to.contain('{ name: "Christmas", date: "2026-12-25" },');
            expect(block("scheduleSetFlowOpen")).to.contain("schedules: [scheduleFlowHours.objectId],\n    holidays: [scheduleFlowHolidays.objectId],");
            // Only the children and fields that differ from a fresh template; a target the program declares is its variable.
            const support = block("handlerFlowSupport");
            expect(support).to.contain('transferRules: {\n        standard: { action: 1, extension: "2580", transferType: 1, transferRings: 5, usePrimaryExtension: false },\n    },');
            expect(support).not.to.contain("greetings").and.not.to.contain("menuEntries");
            const main = block("handlerFlowMain");
            expect(main).to.contain("key2: { action: 2, targetConversation: \"PHTransfer\", targetHandlerId: handlerFlowSupport.objectId },");
            expect(main).to.contain('offHours: { enabled: true },').and.to.contain('star: { action: 1 },').and.to.contain('key4: { action: 7, transferNumber: "+15552223333" },');
            // The built-in Operator is Connection's own: not written, referred to by its id.
            expect(index).not.to.contain('new cuc.CallHandler("handler-operator"');
            expect(main).to.contain(`key0: { action: 2, targetConversation: "PHTransfer", targetHandlerId: "${ids.operator}" },`);
            // Sales and main go to each other (9 and 1): the cycle keeps the scan's order, one of them by id.
            expect(main.includes("handlerFlowSales.objectId") || block("handlerFlowSales").includes("handlerFlowMain.objectId")).to.equal(true);
        } finally {
            client.close();
        }
    });

    it("Mermaid, DOT and SVG name every node and key", async () => {
        const mermaid = toMermaid(fromServer);
        expect(mermaid.split("\n")[0]).to.equal("flowchart LR");
        for (const n of fromServer.nodes) expect(mermaid).to.contain(`${n.id}`).and.to.contain(n.label);
        expect(mermaid).to.contain(`-.->|"↺ press 9"| ${h("main")}`);
        const dot = toDot(fromServer);
        expect(dot).to.match(/^digraph flow \{/).and.to.contain(`${h("sales")} -> ${h("main")} [label="↺ press 9", style=dashed`);
        const svg = await toSvg(fromServer);
        expect(svg).to.contain("<svg").and.to.contain("Flow main · 5800").and.to.contain("press 1");
    });
});
