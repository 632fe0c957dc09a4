/**
 * Call handlers (EVERYDAY.md §7) and what every handler has, as nested inputs: its transfer rules,
 * greetings and caller-input keys (fixed children, one PUT per changed one), and its owners. The
 * same transfer rules, greetings and keys apply to a user's primary call handler (user.ts).
 */
import { CallHandler, CallHandlerOwner, CallHandlerTemplate, Greeting, GREETING_TYPES, MENU_KEYS, MenuEntry, TRANSFER_OPTION_TYPES, TransferOption } from "../specs";
import { creatableFields } from "../specs/types";
import type { CupiClient } from "../client/client";
import { crud, defineResource, fields, oncePerClient, type ChildSet, type ChildShape, type Codec } from "./types";

/** A past time: disabled (the simulator's and a fresh server's own value, §7.2). */
const DISABLED = "1972-01-01 00:00:00.0";
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** CUPI's TimeExpires form of an ISO time (GMT): `2026-12-31 23:59:00`. */
const cupiTime = (iso: string) => new Date(Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)).toISOString().slice(0, 19).replace("T", " ");
/** An ISO time of CUPI's TimeExpires, or undefined for none; `1972-01-01 00:00:00.0` and `2013-03-05T11:24:33Z` alike. */
function expires(v: unknown): number | undefined {
    if (v === undefined || v === "") return undefined;
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?Z?$/.exec(String(v).trim());
    const t = m ? Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}Z`) : NaN;
    return Number.isNaN(t) ? undefined : t;
}

/**
 * "Enabled" as CUPI keeps it (§7.2, §7.4, §13 item 7): in TimeExpires, empty for enabled forever,
 * a past time for disabled, a future one for enabled until then. The one place that encodes it.
 */
export const ENABLED: readonly Codec[] = [
    {
        name: "enabled", type: "boolean", from: ["TimeExpires"],
        doc: "On or off (CUPI keeps it in TimeExpires: empty is on for good, a past time is off). With enabledUntil: on until then.",
        encode: (v, child) => ({ TimeExpires: v === false ? DISABLED : typeof child.enabledUntil === "string" ? cupiTime(child.enabledUntil) : "" }),
        decode: (r) => {
            const t = expires(r.TimeExpires);
            return t === undefined || t > Date.now();
        },
    },
    {
        name: "enabledUntil", type: "string", from: ["TimeExpires"],
        doc: "On until this time (ISO 8601, GMT, e.g. 2026-12-31T23:59:00Z), then off by itself.",
        check: (v) => (typeof v === "string" && ISO.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : "must be an ISO time like 2026-12-31T23:59:00Z"),
        normalize: (v) => new Date(Date.parse(String(v).length === 10 ? `${String(v)}T00:00:00Z` : String(v))).toISOString().replace(/\.000Z$/, "Z"),
        encode: (v, child) => ({ TimeExpires: child.enabled === false ? DISABLED : cupiTime(String(v)) }),
        decode: (r) => {
            const t = expires(r.TimeExpires);
            return t !== undefined && t > Date.now() ? new Date(t).toISOString().replace(/\.000Z$/, "Z") : undefined;
        },
    },
];

/** The standard rule and greeting cannot be turned off (§7.2, §7.4). */
const standardStaysOn = (child: Record<string, unknown>, key: string) =>
    key === "standard" && (child.enabled === false || child.enabledUntil !== undefined) ? ["the standard one is always on: CUPI refuses to turn it off or give it an end; remove enabled/enabledUntil"] : [];

/** Action 2 (go to) needs where: a conversation, and for the handler ones a handler; nothing else takes a target. */
function goTo(action: unknown, conversation: unknown, handler: unknown, names: { action: string; conversation: string; handler: string }, unknown: (v: unknown) => boolean): string[] {
    if (unknown(action)) return [];
    if (action === 2) {
        if (conversation === undefined) return [`${names.action} 2 (go to) needs ${names.conversation}: PHTransfer or PHGreeting (with ${names.handler}), or another conversation`];
        if ((conversation === "PHTransfer" || conversation === "PHGreeting") && handler === undefined) return [`${names.conversation} ${String(conversation)} needs ${names.handler}: the objectId of the handler (or a user's callHandlerId)`];
        return [];
    }
    return conversation !== undefined || handler !== undefined ? [`${names.conversation} and ${names.handler} go with ${names.action} 2 (go to) only; set ${names.action}: 2, or remove them`] : [];
}

export const TRANSFER_RULE: ChildShape = {
    type: "TransferRule",
    spec: TransferOption,
    fields: fields(TransferOption, ["Action", "Extension", "TransferType", "TransferRings", "UsePrimaryExtension", "PlayTransferPrompt"]),
    codecs: ENABLED,
    doc: "A transfer rule: what happens when a call reaches the handler (send to the greeting, or transfer).",
    rules: (c, key, unknown) => [
        ...standardStaysOn(c, key),
        // §7.2: UsePrimaryExtension true with an Extension in one PUT, or false without one, is refused.
        ...(c.usePrimaryExtension === true && c.extension !== undefined ? ["extension goes with usePrimaryExtension: false (true transfers to the handler's own extension); remove one"] : []),
        ...(c.action === 1 && c.extension === undefined && c.usePrimaryExtension !== true && !unknown(c.action) ? ["action 1 (transfer) needs extension, or usePrimaryExtension: true"] : []),
        ...(c.transferRings !== undefined && c.transferType !== 1 && !unknown(c.transferType) ? ["transferRings applies to a supervised transfer only: set transferType: 1"] : []),
    ],
};

export const GREETING: ChildShape = {
    type: "Greeting",
    spec: Greeting,
    fields: fields(Greeting, ["PlayWhat", "IgnoreDigits", "Reprompts", "RepromptDelay", "AfterGreetingAction", "AfterGreetingTargetConversation", "AfterGreetingTargetHandlerObjectId", "PlayRecordMessagePrompt"]),
    codecs: ENABLED,
    doc: "A greeting: what plays, whether callers' keys are heard, and what happens after it.",
    rules: (c, key, unknown) => [
        ...standardStaysOn(c, key),
        ...goTo(c.afterGreetingAction, c.afterGreetingTargetConversation, c.afterGreetingTargetHandlerId, { action: "afterGreetingAction", conversation: "afterGreetingTargetConversation", handler: "afterGreetingTargetHandlerId" }, unknown),
    ],
};

export const MENU_ENTRY: ChildShape = {
    type: "MenuEntry",
    spec: MenuEntry,
    fields: fields(MenuEntry, ["Action", "TargetConversation", "TargetHandlerObjectId", "TransferNumber", "TransferType", "TransferRings", "Locked"]),
    doc: "A caller-input key: what pressing it during the greeting does.",
    rules: (c, _key, unknown) => [
        ...goTo(c.action, c.targetConversation, c.targetHandlerId, { action: "action", conversation: "targetConversation", handler: "targetHandlerId" }, unknown),
        ...(c.action === 7 && c.transferNumber === undefined ? ["action 7 (transfer to an alternate contact number) needs transferNumber"] : []),
        ...(c.transferNumber !== undefined && c.action !== 7 && !unknown(c.action) ? ["transferNumber goes with action 7 only"] : []),
    ],
};

/** The program's names of the fixed sets: `offHours` for `Off Hours`, `key1`, `star`, `pound`. */
const camelKey = (name: string) => name.replace(/ (\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toLowerCase());
const menuKey = (k: string) => (k === "*" ? "star" : k === "#" ? "pound" : `key${k}`);

/** The three sets every handler has, for a handler of its own or a user's primary one (`under`, `restore`). */
export function handlerChildren(where: { under?: string; restore?: boolean } = {}): ChildSet[] {
    return [
        { name: "transferRules", shape: TRANSFER_RULE, keys: Object.fromEntries(TRANSFER_OPTION_TYPES.map((t) => [camelKey(t), t])), ...where, doc: "Transfer rules: standard, alternate and offHours." },
        { name: "greetings", shape: GREETING, keys: Object.fromEntries(GREETING_TYPES.map((t) => [camelKey(t), t])), ...where, doc: "Greetings: standard, alternate, busy, error, internal, offHours and holiday." },
        { name: "menuEntries", shape: MENU_ENTRY, keys: Object.fromEntries(MENU_KEYS.map((k) => [menuKey(k), k])), ...where, doc: "Caller-input keys: key0 to key9, star (*) and pound (#)." },
    ];
}

/** The built-in template a handler comes from unless the program names one (§7.1). */
export const SYSTEM_TEMPLATE = "System Call Handler Template";
/** Looked up by name, once per server and run. */
const systemTemplate = oncePerClient(async (c) => {
    const rows = await c.list(CallHandlerTemplate, { query: { column: "DisplayName", value: SYSTEM_TEMPLATE } });
    const found = rows.find((t) => String(t.DisplayName).toLowerCase() === SYSTEM_TEMPLATE.toLowerCase());
    if (!found) throw new Error(`there is no call handler template '${SYSTEM_TEMPLATE}' on ${c.settings.origin}: give templateObjectId (see getCallHandlerTemplates)`);
    return String(found.ObjectId);
});

export const CallHandlerDef = defineResource({
    kind: "CallHandler",
    summary: "A call handler (CUPI `/vmrest/handlers/callhandlers`): an extension callers reach, its greetings, caller-input keys and transfer rules, created from a call handler template. Deleting it deletes what callers hear there; handlers that still go to it keep it from being deleted.",
    phrase: "call handler",
    spec: CallHandler,
    inputs: creatableFields(CallHandler),
    children: handlerChildren(),
    members: [
        { name: "ownerUsers", spec: CallHandlerOwner, field: "UserObjectId", doc: "The users who own the handler" },
        { name: "ownerDistributionLists", spec: CallHandlerOwner, field: "DistributionListObjectId", doc: "The distribution lists that own the handler" },
    ],
    ignoreChanges: ["templateObjectId"],
    autoName: true,
    rules: (news, _olds, unknown) => [
        ...(news.recipientUserId !== undefined && news.recipientDistributionListId !== undefined ? [{ property: "recipientDistributionListId", reason: "a handler's messages go to one recipient: recipientUserId or recipientDistributionListId, not both" }] : []),
        ...goTo(news.afterMessageAction, news.afterMessageTargetConversation, news.afterMessageTargetHandlerId, { action: "afterMessageAction", conversation: "afterMessageTargetConversation", handler: "afterMessageTargetHandlerId" }, unknown)
            .map((reason) => ({ property: "afterMessageAction", reason })),
    ],
    ops: {
        ...crud(CallHandler),
        create: async (c, body, inputs, parentId) => {
            // The system template unless the program names one: a program need not know its id.
            const withTemplate = body.templateObjectId === undefined ? { ...body, templateObjectId: await systemTemplate(c) } : body;
            return crud(CallHandler).create(c, withTemplate, inputs, parentId);
        },
    },
    import: { word: "callhandlers", label: (r) => `handler ${String(r.DisplayName)}`, keep: (r) => r.IsPrimary !== true },
});
