/**
 * Call routing (issue 28) through the in-process providers, against the simulator over HTTP behind a
 * recording proxy: a handler's nested transfer rules, greetings and keys (one PUT per changed child),
 * a schedule's time blocks and holidays (a PUT, POST or DELETE per changed row), a schedule set's
 * members, a user's primary handler put back as it was, drift on refresh, and check's refusals
 * before any request.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { providers } from "../../provider";
import { SPECS } from "../../provider/specs";
import { UNKNOWN } from "../../provider/engine/values";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim } from "../helpers";

const PASSWORD = "Routing-Admin-Pass-28";
type Props = Record<string, unknown>;

describe("call routing: handlers, schedules, a user's handler (issue 28)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let direct: CupiClient;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    let connection: Props;
    let n = 0;
    /** What reached the server since the last call, as `METHOD path` (the /vmrest prefix and query left out). */
    const sent = () => proxy.seen.splice(0).map((r) => `${r.method} ${decodeURIComponent(r.path.replace(/^\/vmrest\//, "").replace(/\?.*/, ""))}`);
    const name = (what: string) => `routing ${what} ${++n}`;

    async function checked(kind: string, olds: Props, news: Props) {
        const r = await providers[kind].check!(olds, { connection, ...news });
        expect(r.failures ?? [], kind).to.deep.equal([]);
        return r.inputs as Props;
    }
    async function create(kind: string, news: Props) {
        const inputs = await checked(kind, {}, news);
        const r = await providers[kind].create(inputs);
        return { id: r.id, outs: r.outs as Props, inputs };
    }
    async function update(kind: string, id: string, olds: Props, news: Props) {
        const inputs = await checked(kind, olds, news);
        const diff = await providers[kind].diff!(id, olds, inputs);
        const r = await providers[kind].update!(id, olds, inputs);
        return { diff, outs: r.outs as Props, inputs };
    }

    before(async () => {
        s = await sim({ password: PASSWORD });
        proxy = await recordingProxy(s.url);
        connection = { server: proxy.url, username: s.user, password: PASSWORD, retries: 0, format: "json" };
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
    });
    after(async () => {
        direct?.close();
        await proxy?.close();
        await s?.close();
    });

    it("a handler from the system template: one POST, one GET, one PUT per child the program sets; the template is looked up once per run", async () => {
        const sales = await create("CallHandler", { displayName: name("sales") });
        const id = String(sales.outs.objectId);
        const [template] = await direct.list(SPECS.CallHandlerTemplate);
        expect(sent()).to.deep.equal([
            // Templates have no `handlers/` in their path (EVERYDAY.md §13).
            "GET callhandlertemplates",
            `POST handlers/callhandlers`,
            `GET handlers/callhandlers/${id}`,
        ]);
        expect((await direct.get(SPECS.CallHandler, id)).CallHandlerTemplateObjectId ?? template.ObjectId).to.equal(template.ObjectId);

        const main = await create("CallHandler", {
            displayName: name("main"), dtmfAccessId: String(5100 + n),
            transferRules: { offHours: { action: 1, extension: "5999", transferType: 1, transferRings: 5, usePrimaryExtension: false } },
            greetings: { offHours: { enabled: true, playWhat: 1 }, holiday: { enabled: true } },
            menuEntries: { key1: { action: 2, targetConversation: "PHTransfer", targetHandlerId: id }, key0: { action: 2, targetConversation: "PHTransfer", targetHandlerId: id, locked: true } },
        });
        const mid = String(main.outs.objectId);
        const requests = sent();
        // No second template lookup: the client is the same for the run.
        expect(requests.filter((r) => r.startsWith("GET"))).to.deep.equal([`GET handlers/callhandlers/${mid}`]);
        expect(requests.filter((r) => !r.startsWith("GET")).sort()).to.deep.equal([
            "POST handlers/callhandlers",
            `PUT handlers/callhandlers/${mid}/greetings/Holiday`,
            `PUT handlers/callhandlers/${mid}/greetings/Off Hours`,
            `PUT handlers/callhandlers/${mid}/menuentries/0`,
            `PUT handlers/callhandlers/${mid}/menuentries/1`,
            `PUT handlers/callhandlers/${mid}/transferoptions/Off Hours`,
        ]);
        // What the server holds: the children as set, enabled as TimeExpires (empty: on for good).
        const key1 = await direct.get(SPECS.MenuEntry, "1", mid);
        expect([key1.Action, key1.TargetConversation, key1.TargetHandlerObjectId]).to.deep.equal([2, "PHTransfer", id]);
        const off = await direct.get(SPECS.TransferOption, "Off Hours", mid);
        expect([off.Action, off.Extension, off.TransferType, off.TransferRings, off.UsePrimaryExtension]).to.deep.equal([1, "5999", 1, 5, false]);
        expect((await direct.get(SPECS.Greeting, "Holiday", mid)).TimeExpires ?? "").to.equal("");
        // The outputs say what the program manages, nothing more.
        expect(main.outs.menuEntries).to.deep.equal({ key0: { action: 2, targetConversation: "PHTransfer", targetHandlerId: id, locked: true }, key1: { action: 2, targetConversation: "PHTransfer", targetHandlerId: id } });

        // A one-key change: one PUT of that key, with the field that changed.
        const news: Props = { ...main.inputs, menuEntries: { ...(main.inputs.menuEntries as Props), key1: { action: 4 } } };
        delete news.connection;
        const one = await update("CallHandler", main.id, main.outs, news);
        expect(one.diff.changes).to.equal(true);
        expect(one.diff.replaces ?? []).to.deep.equal([]);
        const bodies = proxy.seen.filter((r) => r.method === "PUT").map((r) => r.body);
        expect(sent()).to.deep.equal([`PUT handlers/callhandlers/${mid}/menuentries/1`, `GET handlers/callhandlers/${mid}`]);
        expect(bodies).to.have.length(1);
        // CUPI's JSON carries numbers as text.
        expect(JSON.parse(bodies[0])).to.deep.equal({ Action: "4" });
        expect((one.outs.menuEntries as Props).key1).to.deep.equal({ action: 4 });

        // Changed outside Pulumi: a refresh shows the key as the server holds it.
        await direct.update(SPECS.MenuEntry, "0", { Action: 1 }, mid);
        const read = await providers.CallHandler.read!(main.id, one.outs);
        expect(((read.props as Props).menuEntries as Props).key0).to.deep.equal({ action: 1, targetConversation: "PHTransfer", targetHandlerId: id, locked: true });
        expect(((read.inputs as Props).menuEntries as Props).key0).to.deep.include({ action: 1 });
        sent();

        // The handler a key goes to cannot be deleted while it is a target: CUPI's refusal names the handler that goes there.
        const refused = await providers.CallHandler.delete!(sales.id, sales.outs).then(() => undefined, (e: Error) => e);
        expect(String(refused)).to.contain(String(main.outs.displayName));
        await providers.CallHandler.delete!(main.id, one.outs);
        await providers.CallHandler.delete!(sales.id, sales.outs);
        expect(await direct.find(SPECS.CallHandler, mid)).to.equal(undefined);
    });

    it("enabled and enabledUntil are one TimeExpires; a disabled greeting is a past time; the standard one cannot be turned off", async () => {
        const h = await create("CallHandler", { displayName: name("expires"), greetings: { alternate: { enabled: true, enabledUntil: "2099-12-31T23:59:00Z" }, busy: { enabled: false } } });
        const mid = String(h.outs.objectId);
        expect((await direct.get(SPECS.Greeting, "Alternate", mid)).TimeExpires).to.match(/^2099-12-31 23:59:00/);
        const busy = await direct.get(SPECS.Greeting, "Busy", mid);
        expect(Date.parse(String(busy.TimeExpires).slice(0, 10))).to.be.lessThan(Date.now());
        const read = await providers.CallHandler.read!(h.id, h.outs);
        expect((read.props as Props).greetings).to.deep.equal({ alternate: { enabled: true, enabledUntil: "2099-12-31T23:59:00Z" }, busy: { enabled: false } });
        const bad = await providers.CallHandler.check!({}, { connection, displayName: "x", greetings: { standard: { enabled: false } }, transferRules: { standard: { enabledUntil: "2030-01-01" } } });
        expect(bad.failures!.map((f) => f.property).sort()).to.deep.equal(["greetings.standard", "transferRules.standard"]);
        expect(bad.failures![0].reason).to.contain("always on");
        await providers.CallHandler.delete!(h.id, h.outs);
    });

    it("check refuses bad combinations before any request, naming the input and the fix", async () => {
        sent();
        const t = "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f";
        const cases: [string, Props, string, RegExp][] = [
            ["CallHandler", { greetings: { standard: { afterGreetingAction: 3 } } }, "greetings.standard.afterGreetingAction", /one of 1 \(hang up\), 2 \(go to\), 4 \(take message\), 6 \(restart greeting\), 8/],
            ["CallHandler", { greetings: { offHours: { afterGreetingAction: 2 } } }, "greetings.offHours", /needs afterGreetingTargetConversation/],
            ["CallHandler", { greetings: { offHours: { afterGreetingAction: 2, afterGreetingTargetConversation: "PHTransfer" } } }, "greetings.offHours", /needs afterGreetingTargetHandlerId/],
            ["CallHandler", { greetings: { offHours: { afterGreetingAction: 4, afterGreetingTargetHandlerId: t } } }, "greetings.offHours", /go with afterGreetingAction 2 \(go to\) only/],
            ["CallHandler", { menuEntries: { key3: { action: 7 } } }, "menuEntries.key3", /action 7 .* needs transferNumber/],
            ["CallHandler", { menuEntries: { key3: { action: 1, transferNumber: "5551234" } } }, "menuEntries.key3", /transferNumber goes with action 7 only/],
            ["CallHandler", { menuEntries: { key10: { action: 1 } } }, "menuEntries.key10", /its keys are key0, key1, .*star, pound/],
            ["CallHandler", { menuEntries: { key1: { Action: 1 } } }, "menuEntries.key1.Action", /did you mean action\?/],
            ["CallHandler", { transferRules: { offHours: { action: 1 } } }, "transferRules.offHours", /needs extension, or usePrimaryExtension: true/],
            ["CallHandler", { recipientUserId: t, recipientDistributionListId: t }, "recipientDistributionListId", /one recipient/],
            ["Schedule", { blocks: [{ days: ["mon"], start: "08:31" }] }, "blocks[0].start", /5-minute grid/],
            ["Schedule", { blocks: [{ days: ["mon"], start: "17:00", end: "08:00" }] }, "blocks[0]", /end 08:00 must be after start 17:00/],
            ["Schedule", { blocks: [{ days: ["monday"] }] }, "blocks[0].days", /days are mon, tue/],
            ["Schedule", { blocks: [{ start: "08:00" }] }, "blocks[0]", /needs days/],
            ["Schedule", { isHoliday: true, blocks: [{ name: "Christmas", days: ["mon"] }] }, "blocks[0]", /give date/],
            ["Schedule", { isHoliday: true, blocks: [{ name: "Leap", date: "2027-02-29" }] }, "blocks[0].date", /a date like/],
            ["Schedule", { isHoliday: true, blocks: [{ name: "Break", startDate: "2026-12-28", endDate: "2026-12-24" }] }, "blocks[0]", /is before startDate/],
            ["Schedule", { blocks: [{ name: "Christmas", date: "2026-12-25" }] }, "blocks[0]", /holiday schedule \(isHoliday: true\)/],
        ];
        for (const [kind, news, property, reason] of cases) {
            const r = await providers[kind].check!({}, { connection, displayName: "bad", ...news });
            const f = (r.failures ?? []).find((x) => x.property === property);
            expect(f, `${kind} ${JSON.stringify(news)}: ${JSON.stringify(r.failures)}`).not.to.equal(undefined);
            expect(f!.reason).to.match(reason);
        }
        expect(sent(), "no request").to.deep.equal([]);
    });

    it("check takes nested inputs apart: each malformed one named by its path, nulls left out, unknowns passed on, days in one spelling, a row key once", async () => {
        sent();
        const bad = async (news: Props) => ((await providers[news.kind as string].check!({}, { connection, displayName: "shape", ...news, kind: undefined })).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
        expect(await bad({ kind: "CallHandler", greetings: "on" })).to.deep.equal(["greetings: greetings must be an object keyed by standard, alternate, busy, error, internal, offHours, holiday"]);
        expect(await bad({ kind: "CallHandler", greetings: ["busy"] })).to.have.length(1);
        expect(await bad({ kind: "CallHandler", greetings: { busy: "on" } })).to.deep.equal([`greetings.busy: greetings.busy must be an object with some of playWhat, ignoreDigits, reprompts, repromptDelay, afterGreetingAction, afterGreetingTargetConversation, afterGreetingTargetHandlerId, playRecordMessagePrompt, enabled, enabledUntil, got "on"`]);
        expect(await bad({ kind: "CallHandler", greetings: { busy: [] } })).to.have.length(1);
        expect(await bad({ kind: "CallHandler", greetings: { offHours: { enabled: "yes" } } })).to.deep.equal(['greetings.offHours.enabled: greetings.offHours.enabled must be a boolean, got "yes"']);
        expect(await bad({ kind: "Schedule", blocks: [{ days: "mon" }] })).to.deep.include('blocks[0].days: blocks[0].days must be a list of strings, got "mon"');
        expect(await bad({ kind: "Schedule", blocks: [{ days: ["mon", 1] }] })).to.deep.include('blocks[0].days: blocks[0].days must be a list of strings, got ["mon",1]');
        expect(await bad({ kind: "Schedule", blocks: "weekdays" })).to.deep.equal(["blocks: blocks must be a list of objects with some of name, start, end, days, date, startDate, endDate"]);
        expect(await bad({ kind: "Schedule", isHoliday: true, blocks: [{ name: "Xmas", date: "2026-12-25" }, { name: "Xmas", date: "2027-12-25" }, { date: "2027-01-01" }, { date: "2027-01-02" }] }))
            .to.deep.equal(['blocks: blocks has two rows with name "Xmas"; each name once']);
        // A null is no value; an unknown (preview) is passed on as it is; days come back in the week's order, in lower case.
        const ok = await providers.CallHandler.check!({}, { connection, displayName: "shape", greetings: { busy: null, offHours: { enabled: true, reprompts: null } }, menuEntries: { key1: { action: UNKNOWN, targetConversation: "PHTransfer", targetHandlerId: UNKNOWN } } });
        expect(ok.failures ?? []).to.deep.equal([]);
        expect(ok.inputs.greetings).to.deep.equal({ offHours: { enabled: true } });
        expect(ok.inputs.menuEntries).to.deep.equal({ key1: { action: UNKNOWN, targetConversation: "PHTransfer", targetHandlerId: UNKNOWN } });
        const days = await providers.Schedule.check!({}, { connection, displayName: "shape", blocks: [{ days: ["Fri", "mon"], start: "08:00" }, { name: UNKNOWN, days: ["sat"] }, { name: UNKNOWN, days: ["sun"] }] });
        expect(days.failures ?? []).to.deep.equal([]);
        expect((days.inputs.blocks as Props[])[0].days).to.deep.equal(["mon", "fri"]);
        expect(sent(), "no request").to.deep.equal([]);
    });

    it("diff: the same children are no change, an unknown one is; a handler's key the program drops is no change, a user's is; rows with an unknown are a change", async () => {
        const h = { connection, displayName: "diff", menuEntries: { key1: { action: 1 }, key2: { action: 4 } } };
        const hin = await checked("CallHandler", {}, h);
        expect((await providers.CallHandler.diff!("x", hin, hin)).changes).to.equal(false);
        expect((await providers.CallHandler.diff!("x", hin, { ...hin, menuEntries: { key1: { action: UNKNOWN }, key2: { action: 4 } } })).changes).to.equal(true);
        expect((await providers.CallHandler.diff!("x", hin, { ...hin, menuEntries: { key1: { action: 1 } } })).changes, "a key let go stays as it is").to.equal(false);
        const u = await checked("User", {}, { alias: "diff", dtmfAccessId: "5990", greetings: { busy: { enabled: true, playWhat: 1 }, alternate: { enabled: true } } });
        const drop = (greetings: Props) => providers.User.diff!("x", u, { ...u, greetings });
        expect((await drop({ busy: { enabled: true, playWhat: 1 } })).changes, "a child let go is put back").to.equal(true);
        expect((await drop({ busy: { enabled: true }, alternate: { enabled: true } })).changes, "a field let go is put back").to.equal(true);
        expect((await drop({ busy: { enabled: true, playWhat: 1 }, alternate: { enabled: true } })).changes).to.equal(false);
        const sc = await checked("Schedule", {}, { displayName: "diff", blocks: [{ days: ["mon"] }] });
        expect((await providers.Schedule.diff!("x", sc, { ...sc, blocks: [{ days: [UNKNOWN] }] })).changes).to.equal(true);
        expect((await providers.Schedule.diff!("x", sc, { ...sc, blocks: UNKNOWN })).changes).to.equal(true);
    });

    it("a user's handler put back field by field: the value before the first change, not a later one; what is still set stays", async () => {
        const alias = `routing-back-${++n}`;
        const base = { alias, dtmfAccessId: String(47500 + n), templateAlias: "voicemailusertemplate" };
        const user = await create("User", { ...base, greetings: { busy: { enabled: true, playWhat: 1, reprompts: 2 } } });
        const handler = String(user.outs.callHandlerId);
        // Made with the user: what it had before is remembered at the create.
        expect((user.outs.__restore as Props).greetings).to.have.property("busy");
        const greeting = () => direct.get(SPECS.Greeting, "Busy", handler);
        const second = await update("User", user.id, user.outs, { ...base, greetings: { busy: { enabled: true, playWhat: 2, reprompts: 2 } } });
        expect((await greeting()).PlayWhat).to.equal(2);
        sent();
        // playWhat let go: back to the fresh value (0), not 1; reprompts and enabled stay as set.
        const third = await update("User", user.id, second.outs, { ...base, greetings: { busy: { enabled: true, reprompts: 2 } } });
        expect(sent().filter((r) => r.startsWith("PUT"))).to.deep.equal([`PUT handlers/callhandlers/${handler}/greetings/Busy`]);
        const now = await greeting();
        expect([now.PlayWhat, now.Reprompts, now.TimeExpires ?? ""]).to.deep.equal([0, 2, ""]);
        // Then the rest: reprompts back to 0, and the greeting off again.
        const last = await update("User", user.id, third.outs, base);
        const back = await greeting();
        expect([back.PlayWhat, back.Reprompts, Date.parse(String(back.TimeExpires).slice(0, 10)) < Date.now()]).to.deep.equal([0, 0, true]);
        expect(last.outs.__restore).to.equal(undefined);
        await providers.User.delete!(user.id, last.outs);
    });

    it("a built-in user adopted with a busy greeting: forgotten on destroy, its greeting put back, nothing deleted", async () => {
        const [operator] = await direct.list(SPECS.User, { query: { column: "Alias", value: "operator" } });
        const handler = String((await direct.get(SPECS.User, String(operator.ObjectId))).CallHandlerObjectId);
        const before = await direct.get(SPECS.Greeting, "Busy", handler);
        const adopted = await create("User", { adopt: String(operator.ObjectId), adoptMode: "overwrite", alias: "operator", greetings: { busy: { enabled: true, playWhat: 2 } } });
        expect((await direct.get(SPECS.Greeting, "Busy", handler)).PlayWhat).to.equal(2);
        sent();
        await providers.User.delete!(adopted.id, adopted.outs);
        expect(sent().filter((r) => !r.startsWith("GET"))).to.deep.equal([`PUT handlers/callhandlers/${handler}/greetings/Busy`]);
        const after = await direct.get(SPECS.Greeting, "Busy", handler);
        expect([after.PlayWhat, after.TimeExpires]).to.deep.equal([before.PlayWhat, before.TimeExpires]);
        expect(await direct.find(SPECS.User, String(operator.ObjectId))).to.not.equal(undefined);
    });

    it("rows without a key are matched by content: a changed block goes and comes back", async () => {
        const week = await create("Schedule", { displayName: name("unnamed"), blocks: [{ days: ["mon"], start: "08:00" }, { days: ["tue"], start: "09:00" }] });
        const wid = String(week.outs.objectId);
        const tuesday = (await direct.list(SPECS.ScheduleDetail, { parentId: wid })).find((r) => r.IsActiveTuesday === true)!;
        sent();
        const changed = await update("Schedule", week.id, week.outs, { displayName: week.inputs.displayName, blocks: [{ days: ["mon"], start: "08:00" }, { days: ["tue"], start: "10:00" }] });
        expect(sent().filter((r) => !r.startsWith("GET"))).to.deep.equal([`DELETE schedules/${wid}/scheduledetails/${String(tuesday.ObjectId)}`, `POST schedules/${wid}/scheduledetails`]);
        await providers.Schedule.delete!(week.id, changed.outs);
    });

    it("a schedule's blocks and a holiday schedule's holidays: a changed holiday is one PUT, a new one a POST, a dropped one a DELETE; another order is no change", async () => {
        const week = await create("Schedule", { displayName: name("hours"), blocks: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "08:30", end: "17:00" }, { days: ["sat"], start: "09:00", end: "12:00" }] });
        const wid = String(week.outs.objectId);
        const first = sent();
        expect(first.filter((r) => r.startsWith("POST")).sort()).to.deep.equal(["POST schedules", `POST schedules/${wid}/scheduledetails`, `POST schedules/${wid}/scheduledetails`]);
        const rows = await direct.list(SPECS.ScheduleDetail, { parentId: wid });
        const weekday = rows.find((r) => r.IsActiveMonday === true)!;
        expect([weekday.StartTime, weekday.EndTime, weekday.IsActiveFriday, weekday.IsActiveSaturday]).to.deep.equal([510, 1020, true, false]);

        const holidays = [{ name: "New Year", date: "2027-01-01" }, { name: "Christmas", date: "2026-12-25" }, { name: "Winter break", startDate: "2026-12-28", endDate: "2026-12-31" }];
        const hol = await create("Schedule", { displayName: name("holidays"), isHoliday: true, blocks: holidays });
        const hid = String(hol.outs.objectId);
        sent();
        const held = await direct.list(SPECS.ScheduleDetail, { parentId: hid });
        expect(held.map((r) => [r.Subject, String(r.StartDate).slice(0, 10), String(r.EndDate).slice(0, 10)]).sort()).to.deep.equal([
            ["Christmas", "2026-12-25", "2026-12-25"], ["New Year", "2027-01-01", "2027-01-01"], ["Winter break", "2026-12-28", "2026-12-31"],
        ]);
        const base = { displayName: hol.inputs.displayName, isHoliday: true };

        // Another order: no change.
        const same = await checked("Schedule", hol.outs, { ...base, blocks: [...holidays].reverse() });
        expect((await providers.Schedule.diff!(hol.id, hol.outs, same)).changes).to.equal(false);

        // Christmas moves: one PUT of that row.
        const moved = await update("Schedule", hol.id, hol.outs, { ...base, blocks: [holidays[0], { name: "Christmas", date: "2026-12-24" }, holidays[2]] });
        expect(moved.diff.changes).to.equal(true);
        const christmas = held.find((r) => r.Subject === "Christmas")!;
        expect(sent().filter((r) => !r.startsWith("GET"))).to.deep.equal([`PUT schedules/${hid}/scheduledetails/${String(christmas.ObjectId)}`]);
        // One holiday more, one less: one POST, one DELETE.
        const newYear = held.find((r) => r.Subject === "New Year")!;
        const more = await update("Schedule", hol.id, moved.outs, { ...base, blocks: [{ name: "Christmas", date: "2026-12-24" }, holidays[2], { name: "Epiphany", date: "2027-01-06" }] });
        expect(sent().filter((r) => !r.startsWith("GET"))).to.deep.equal([`DELETE schedules/${hid}/scheduledetails/${String(newYear.ObjectId)}`, `POST schedules/${hid}/scheduledetails`]);

        // A holiday added outside Pulumi is drift on refresh.
        await direct.create(SPECS.ScheduleDetail, { Subject: "Outside", StartDate: "2027-05-01 00:00:00", EndDate: "2027-05-01 00:00:00" }, hid);
        const read = await providers.Schedule.read!(hol.id, more.outs);
        expect(((read.props as Props).blocks as Props[]).map((b) => b.name).sort()).to.deep.equal(["Christmas", "Epiphany", "Outside", "Winter break"]);
        expect((await providers.Schedule.diff!(hol.id, read.props as Props, await checked("Schedule", read.props as Props, { ...base, blocks: more.inputs.blocks }))).changes).to.equal(true);

        // A set that includes the weekly schedule and excludes the holidays: one POST per member, with Exclude.
        sent();
        const set = await create("ScheduleSet", { displayName: name("set"), schedules: [wid], holidays: [hid] });
        const members = await direct.list(SPECS.ScheduleSetMember, { parentId: String(set.outs.objectId) });
        expect(members.map((m) => [m.ScheduleObjectId, m.Exclude]).sort()).to.deep.equal([[wid, false], [hid, true]].sort());
        expect(sent().filter((r) => r.startsWith("POST"))).to.have.length(3);
        for (const [kind, r] of [["ScheduleSet", set], ["Schedule", { id: hol.id, outs: read.props as Props }], ["Schedule", week]] as const) await providers[kind].delete!(r.id, r.outs);
        expect(await direct.find(SPECS.Schedule, hid)).to.equal(undefined);
    });

    it("a user's primary handler: its busy greeting and after-hours transfer are set, and what the program lets go of is put back as it was", async () => {
        const alias = `routing-user-${++n}`;
        const user = await create("User", { templateAlias: "voicemailusertemplate", alias, dtmfAccessId: String(47000 + n) });
        const handler = String(user.outs.callHandlerId);
        const before = { busy: await direct.get(SPECS.Greeting, "Busy", handler), off: await direct.get(SPECS.TransferOption, "Off Hours", handler) };
        sent();
        const base = { alias, dtmfAccessId: user.inputs.dtmfAccessId, templateAlias: "voicemailusertemplate" };
        const set = await update("User", user.id, user.outs, { ...base, greetings: { busy: { enabled: true, playWhat: 1 } }, transferRules: { offHours: { enabled: true, action: 1, extension: "+15551230000", usePrimaryExtension: false } } });
        // The first change of a child reads it once (to put it back later), then one PUT.
        expect(sent().filter((r) => r.includes(handler))).to.deep.equal([
            `GET handlers/callhandlers/${handler}/transferoptions/Off Hours`, `PUT handlers/callhandlers/${handler}/transferoptions/Off Hours`,
            `GET handlers/callhandlers/${handler}/greetings/Busy`, `PUT handlers/callhandlers/${handler}/greetings/Busy`,
        ]);
        expect((await direct.get(SPECS.TransferOption, "Off Hours", handler)).Extension).to.equal("+15551230000");
        // The program stops setting the transfer: it goes back; the greeting stays as set.
        const dropped = await update("User", user.id, set.outs, { ...base, greetings: { busy: { enabled: true, playWhat: 1 } } });
        expect(dropped.diff.changes).to.equal(true);
        const off = await direct.get(SPECS.TransferOption, "Off Hours", handler);
        expect([off.Action, off.Extension ?? "", off.UsePrimaryExtension, off.TimeExpires]).to.deep.equal([before.off.Action, before.off.Extension ?? "", before.off.UsePrimaryExtension, before.off.TimeExpires]);
        expect((await direct.get(SPECS.Greeting, "Busy", handler)).PlayWhat).to.equal(1);
        // And the greeting: back as it was too; with nothing left to remember, nothing is kept in state.
        const none = await update("User", user.id, dropped.outs, base);
        const busy = await direct.get(SPECS.Greeting, "Busy", handler);
        expect([busy.PlayWhat, busy.TimeExpires]).to.deep.equal([before.busy.PlayWhat, before.busy.TimeExpires]);
        expect(none.outs.__restore).to.equal(undefined);
        // Deleting the user deletes its handler with it: nothing to put back, no error.
        await providers.User.delete!(user.id, none.outs);
        expect(await direct.find(SPECS.CallHandler, handler)).to.equal(undefined);
    });
});
