// The main number as code: business hours and this year's holidays, an opening greeting with
// keys 1 (sales: messages go to the sales list), 2 (support: transferred to the support line),
// 3 (Jane) and 0 (the operator), an after-hours and a holiday greeting, and a user whose busy
// greeting plays and whose calls after hours go to their mobile.
//
// Point it at a Connection publisher (or at `npx cuc-sim`):
//   pulumi config set cuc:server cuc-pub.example.com
//   pulumi config set cuc:username admin
//   pulumi config set --secret cuc:password ...
//   pulumi up
// Then draw it: `pulumi stack export | npx cuc-flow --state - --entry 5000` (or from the server: README.md).
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();
const year = config.getNumber("year") ?? 2027;
// The key callers press for sales, where 2 goes (support; "sales" while support is closed for a
// day), the support line's number, the main number itself.
const salesKey = config.get("salesKey") ?? "1";
const key2 = config.get("key2") ?? "support";
const supportLine = config.get("supportLine") ?? "2500";
const mainNumber = config.get("mainNumber") ?? "5000";
const prefix = config.get("prefix") ?? "aa";

// Open Monday to Friday, 08:00 to 17:30; closed on this year's holidays.
const hours = new cuc.Schedule("business-hours", {
    displayName: `${prefix} business hours`,
    blocks: [{ name: "Weekdays", days: ["mon", "tue", "wed", "thu", "fri"], start: "08:00", end: "17:30" }],
});
const holidays = new cuc.Schedule("holidays", {
    displayName: `${prefix} holidays ${year}`,
    isHoliday: true,
    blocks: [
        { name: "New Year's Day", date: `${year}-01-01` },
        { name: "Independence Day", date: `${year}-07-05` },
        { name: "Thanksgiving", startDate: `${year}-11-25`, endDate: `${year}-11-26` },
        { name: "Christmas", startDate: `${year}-12-24`, endDate: `${year}-12-26` },
        ...(config.get("extraHoliday") ? [{ name: "Company day", date: config.require("extraHoliday") }] : []),
    ],
});
const open = new cuc.ScheduleSet("main-hours", {
    displayName: `${prefix} main number hours`,
    schedules: [hours.objectId],
    holidays: [holidays.objectId],
});

// A user whose busy greeting plays when they are on the phone, and whose calls after hours go to
// their mobile. What the program stops setting on their handler goes back to what it was.
const user = new cuc.User("jdoe", {
    alias: `${prefix}-jdoe`,
    firstName: "Jane",
    lastName: "Doe",
    displayName: "Jane Doe",
    dtmfAccessId: config.get("userExtension") ?? "5101",
    templateAlias: "voicemailusertemplate",
    greetings: { busy: { enabled: true } },
    transferRules: { offHours: { enabled: true, action: 1, extension: config.get("mobile") ?? "+15551230101", usePrimaryExtension: false } },
});

// Sales: callers leave a message for the sales team's list.
const salesTeam = new cuc.DistributionList("sales-team", { alias: `${prefix}-sales-team`, displayName: `${prefix} sales team` });
const sales = new cuc.CallHandler("sales", {
    displayName: `${prefix} sales`,
    recipientDistributionListId: salesTeam.objectId,
    scheduleSetId: open.objectId,
});
// Support: rung straight through to the support line; its greeting only if nobody answers, and
// the messages left there go to Jane (below).
const support = new cuc.CallHandler("support", {
    displayName: `${prefix} support`,
    scheduleSetId: open.objectId,
    recipientUserId: user.objectId,
    transferRules: { standard: { action: 1, extension: supportLine, usePrimaryExtension: false, transferType: 1, transferRings: 5 } },
});
// The Operator handler is built into every Connection server. Adopted, the stack knows it by name
// (for cuc-flow's picture from the state); built-ins are never deleted: destroy only forgets it.
const operator = new cuc.CallHandler("operator", {
    adopt: cuc.getCallHandlerOutput({ displayName: "Operator" }).objectId,
    displayName: "Operator",
});

const goTo = (handler: pulumi.Input<string>) => ({ action: 2, targetConversation: "PHTransfer", targetHandlerId: handler });
const main = new cuc.CallHandler("main", {
    displayName: `${prefix} main number`,
    dtmfAccessId: mainNumber,
    scheduleSetId: open.objectId,
    greetings: {
        // "Thank you for calling. For sales press 1, for support 2, for the operator 0."
        standard: { reprompts: 1, afterGreetingAction: 2, afterGreetingTargetConversation: "PHTransfer", afterGreetingTargetHandlerId: operator.objectId },
        // After hours and on holidays: a message, taken for the sales team.
        offHours: { enabled: true, afterGreetingAction: 4 },
        holiday: { enabled: true, afterGreetingAction: 4 },
    },
    menuEntries: {
        [`key${salesKey}`]: { ...goTo(sales.objectId), locked: true },
        key2: { ...goTo(key2 === "sales" ? sales.objectId : support.objectId), locked: true },
        // 3 rings Jane (her own rules: her busy greeting, her mobile after hours), then her mailbox.
        key3: goTo(user.callHandlerId),
        key0: goTo(operator.objectId),
    },
    recipientDistributionListId: salesTeam.objectId,
});

export const mainHandlerId = main.objectId;
export const handlers = { main: main.objectId, sales: sales.objectId, support: support.objectId, operator: operator.objectId };
export const userHandlerId = user.callHandlerId;
export const holidayCount = holidays.blocks.apply((b) => b?.length ?? 0);
