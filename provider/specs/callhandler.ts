import { extension } from "./user";
import { defineObject, field, OBJECT_ID, URI, type Field } from "./types";

/**
 * Call handlers and what every handler has (EVERYDAY.md §7): 3 transfer options, 7 greetings and 12
 * menu entries, each a fixed set addressed by its name or key, and owners. Users' primary call
 * handlers are call handlers too (IsPrimary). Paths with `handlers/` (§13 item 4).
 */

/** The action enum handlers, greetings and keys share (§7.6). */
export const ACTIONS = { 0: "ignore", 1: "hang up", 2: "go to", 3: "error", 4: "take message", 5: "skip greeting", 6: "restart greeting", 7: "transfer to alternate contact number", 8: "route from next call routing rule" } as const;
/** Where action 2 goes (§7.3): `TargetConversation`. */
export const CONVERSATIONS = { PHTransfer: "ring the handler (transfer rules)", PHGreeting: "straight to the greeting", PHInterview: "interview handler", SystemTransfer: "system transfer", AD: "directory handler" } as const;

const bool = (cupi: string, def: boolean, doc: string) => field(cupi, "boolean", "rw", { default: def, example: !def, doc });

/** The handler fields templates share with handlers. */
const handlerFields = (): Field[] => [
    field("PartitionObjectId", "string", "rw", { name: "partitionId", ref: "Partition", doc: "Partition of the handler's extension." }),
    field("ScheduleSetObjectId", "string", "rw", { name: "scheduleSetId", ref: "ScheduleSet", doc: "Schedule set deciding standard and off-hours behaviour." }),
    field("RecipientSubscriberObjectId", "string", "rw", { name: "recipientUserId", ref: "User", doc: "User who receives messages left here (one of recipientUserId, recipientDistributionListId)." }),
    field("RecipientDistributionListObjectId", "string", "rw", { name: "recipientDistributionListId", ref: "DistributionList", doc: "List that receives messages left here." }),
    field("MediaSwitchObjectId", "string", "rw", { name: "phoneSystemId", ref: "PhoneSystem", doc: "Phone system transfers go through." }),
    field("CallSearchSpaceObjectId", "string", "rw", { name: "callSearchSpaceId", ref: "SearchSpace", doc: "Search space for callers' dialled extensions." }),
    bool("InheritSearchSpaceFromCall", true, "Use the search space the call arrives with."),
    field("AfterMessageAction", "integer", "rw", { default: 2, enum: ACTIONS, doc: "What happens after a message is left." }),
    field("AfterMessageTargetConversation", "string", "rw", { enum: CONVERSATIONS, doc: "Where action 2 (go to) goes after a message." }),
    field("AfterMessageTargetHandlerObjectId", "string", "rw", { name: "afterMessageTargetHandlerId", ref: "CallHandler", doc: "Handler action 2 goes to after a message." }),
    field("MaxMsgLen", "integer", "rw", { default: 300, min: 1, max: 3600, example: 120, doc: "Longest message outside callers may leave, in seconds." }),
    field("OneKeyDelay", "integer", "rw", { default: 1500, min: 0, max: 10000, example: 1000, doc: "Milliseconds to wait for a second digit (0: act at once)." }),
    bool("EditMsg", true, "Callers may review and re-record messages."),
    field("SendUrgentMsg", "integer", "rw", { default: 0, enum: { 0: "never", 1: "always", 2: "ask" }, doc: "Messages are urgent." }),
    field("Language", "integer", "rw", { min: 1, max: 65535, doc: "Language (Windows LCID) with useDefaultLanguage false." }),
    bool("UseDefaultLanguage", true, "Use the system's default language."),
    field("TimeZone", "integer", "rw", { min: 0, max: 65535, doc: "Time zone code with useDefaultTimeZone false." }),
    bool("UseDefaultTimeZone", true, "Use the system's time zone."),
];

export const CallHandler = defineObject({
    kind: "CallHandler",
    element: "Callhandler",
    collection: "Callhandlers",
    path: "handlers/callhandlers",
    noun: "callhandler",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "DisplayName",
    createdFrom: { param: "templateObjectId", kind: "CallHandlerTemplate", by: "ObjectId" },
    fields: [
        URI("/vmrest/handlers/callhandlers/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"),
        OBJECT_ID,
        field("templateObjectId", "string", "wo", { param: true, createOnly: true, format: "guid", ref: "CallHandlerTemplate", example: "96170716-a3dc-42e0-812b-08b7b4292ee1", doc: "Call handler template the handler is created from (`?templateObjectId=`; default: the System Call Handler Template, see getCallHandlerTemplates)." }),
        field("DisplayName", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "Main Menu", doc: "Name of the handler, unique among handlers." }),
        extension("Extension of the handler, unique within its partition.", { example: "5000" }),
        ...handlerFields(),
        field("IsPrimary", "boolean", "ro", { default: false, queryable: true, doc: "A user's primary call handler." }),
        field("IsTemplate", "boolean", "ro", { default: false, doc: "Always false for a handler." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A system handler (Opening Greeting, Operator, Goodbye): never deleted." }),
        field("CreationTime", "string", "ro", { doc: "When the handler was created." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location." }),
        field("TenantObjectId", "string", "ro", { queryable: true, doc: "Tenant owning the handler." }),
    ],
});

export const CallHandlerTemplate = defineObject({
    kind: "CallHandlerTemplate",
    element: "CallhandlerTemplate",
    collection: "CallhandlerTemplates",
    path: "callhandlertemplates",
    noun: "callhandlertemplate",
    operations: ["list", "get"],
    undeletable: "Undeletable",
    key: "DisplayName",
    fields: [
        URI("/vmrest/callhandlertemplates/d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60"),
        OBJECT_ID,
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, example: "System Call Handler Template", doc: "Name of the template (the built-in one: System Call Handler Template)." }),
        ...handlerFields().map((f) => ({ ...f, access: "ro" as const })),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in template." }),
    ],
});

/** `TimeExpires`: enabled until then; empty or absent means enabled forever (§7.2, §13 item 7). */
const timeExpires = () => field("TimeExpires", "string", "rw", { doc: "Enabled until this time (GMT); empty: enabled forever; a past time: disabled." });

/**
 * What the children of a handler made from the system template are before anything is PUT, beyond
 * the tables' defaults (a fresh server): it plays its Standard and Error greetings and follows its
 * Standard transfer rule; the others are off (a past TimeExpires, CUPI's `1972-01-01 00:00:00.0`)
 * until an administrator turns them on. The simulator starts from it; cuc-flow assumes it for
 * the children a stack does not manage.
 */
const OFF = { TimeExpires: "1972-01-01 00:00:00.0" };
export const FRESH_CHILDREN: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
    Greeting: { Alternate: OFF, Busy: OFF, Internal: OFF, "Off Hours": OFF, Holiday: OFF },
    TransferOption: { Alternate: OFF, "Off Hours": OFF },
};

export const TRANSFER_OPTION_TYPES = ["Standard", "Off Hours", "Alternate"] as const;
export const TransferOption = defineObject({
    kind: "TransferOption",
    element: "TransferOption",
    collection: "TransferOptions",
    path: "handlers/callhandlers/{parent}/transferoptions",
    noun: "transferoption",
    operations: ["list", "get", "update"],
    parent: { kind: "CallHandler", field: "CallHandlerObjectId" },
    addressedBy: "TransferOptionType",
    fields: [
        URI("/vmrest/handlers/callhandlers/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/transferoptions/Standard"),
        OBJECT_ID,
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The handler." }),
        field("TransferOptionType", "string", "ro", { enum: Object.fromEntries(TRANSFER_OPTION_TYPES.map((t) => [t, t])), doc: "Which rule: Standard, Off Hours or Alternate." }),
        field("Action", "integer", "rw", { default: 0, enum: { 0: "send to greeting", 1: "transfer to extension" }, doc: "What the rule does." }),
        field("Extension", "string", "rw", { maxLength: 40, doc: "Where action 1 transfers to." }),
        field("TransferType", "integer", "rw", { default: 0, enum: { 0: "release", 1: "supervised" }, doc: "Release or supervised transfer." }),
        field("TransferRings", "integer", "rw", { default: 4, min: 2, max: 20, doc: "Rings before a supervised transfer gives up." }),
        field("UsePrimaryExtension", "boolean", "rw", { default: true, doc: "Transfer to the handler's own extension." }),
        field("PlayTransferPrompt", "boolean", "rw", { default: true, doc: "Say \"wait while I transfer your call\"." }),
        timeExpires(),
        field("Enabled", "boolean", "ro", { default: true, doc: "Whether the rule is on (from TimeExpires)." }),
    ],
});

export const GREETING_TYPES = ["Standard", "Alternate", "Busy", "Error", "Internal", "Off Hours", "Holiday"] as const;
export const Greeting = defineObject({
    kind: "Greeting",
    element: "Greeting",
    collection: "Greetings",
    path: "handlers/callhandlers/{parent}/greetings",
    noun: "greeting",
    operations: ["list", "get", "update"],
    parent: { kind: "CallHandler", field: "CallHandlerObjectId" },
    addressedBy: "GreetingType",
    fields: [
        URI("/vmrest/handlers/callhandlers/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/greetings/Standard"),
        OBJECT_ID,
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The handler." }),
        field("GreetingType", "string", "ro", { enum: Object.fromEntries(GREETING_TYPES.map((t) => [t, t])), doc: "Which greeting." }),
        field("PlayWhat", "integer", "rw", { default: 0, enum: { 0: "system greeting", 1: "recorded greeting", 2: "no greeting" }, doc: "What plays." }),
        field("IgnoreDigits", "boolean", "rw", { default: false, doc: "Callers' digits are ignored during the greeting." }),
        field("RepromptDelay", "integer", "rw", { default: 2, min: 0, max: 100, doc: "Seconds before the greeting plays again." }),
        field("Reprompts", "integer", "rw", { default: 0, min: 0, max: 100, doc: "How often the greeting plays again." }),
        field("AfterGreetingAction", "integer", "rw", { default: 4, enum: { 1: ACTIONS[1], 2: ACTIONS[2], 4: ACTIONS[4], 6: ACTIONS[6], 8: ACTIONS[8] }, doc: "What happens after the greeting (1, 2, 4, 6 or 8)." }),
        field("AfterGreetingTargetConversation", "string", "rw", { enum: CONVERSATIONS, doc: "Where action 2 goes." }),
        field("AfterGreetingTargetHandlerObjectId", "string", "rw", { name: "afterGreetingTargetHandlerId", ref: "CallHandler", doc: "Handler action 2 goes to." }),
        field("PlayRecordMessagePrompt", "boolean", "rw", { default: true, doc: "Say \"record your message at the tone\"." }),
        timeExpires(),
        field("Enabled", "boolean", "ro", { doc: "Whether the greeting is on (from TimeExpires)." }),
    ],
});

export const MENU_KEYS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"] as const;
export const MenuEntry = defineObject({
    kind: "MenuEntry",
    element: "MenuEntry",
    collection: "MenuEntries",
    path: "handlers/callhandlers/{parent}/menuentries",
    noun: "menuentry",
    operations: ["list", "get", "update"],
    parent: { kind: "CallHandler", field: "CallHandlerObjectId" },
    addressedBy: "TouchtoneKey",
    fields: [
        URI("/vmrest/handlers/callhandlers/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/menuentries/1"),
        OBJECT_ID,
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The handler." }),
        field("TouchtoneKey", "string", "ro", { enum: Object.fromEntries(MENU_KEYS.map((k) => [k, k === "*" ? "star" : k === "#" ? "pound" : `key ${k}`])), doc: "The key: 0-9, * or #." }),
        field("Action", "integer", "rw", { default: 0, enum: ACTIONS, doc: "What the key does." }),
        field("TargetConversation", "string", "rw", { enum: CONVERSATIONS, doc: "Where action 2 goes." }),
        field("TargetHandlerObjectId", "string", "rw", { name: "targetHandlerId", ref: "CallHandler", doc: "Handler action 2 goes to." }),
        field("TransferNumber", "string", "rw", { maxLength: 40, doc: "Number action 7 transfers to (CUPI cannot set it back to empty)." }),
        field("TransferType", "integer", "rw", { default: 0, enum: { 0: "release", 1: "supervised" }, doc: "Release or supervised transfer." }),
        field("TransferRings", "integer", "rw", { default: 4, min: 2, max: 20, doc: "Rings before a supervised transfer gives up." }),
        field("Locked", "boolean", "rw", { default: false, doc: "Act on the key at once, without waiting for more digits." }),
    ],
});

/** Owners of a handler (`…/callhandlerowners`, §7.5): users and lists, POST and DELETE. */
export const CallHandlerOwner = defineObject({
    kind: "CallHandlerOwner",
    element: "CallhandlerOwner",
    collection: "CallhandlerOwners",
    path: "handlers/callhandlers/{parent}/callhandlerowners",
    noun: "callhandlerowner",
    operations: ["list", "get", "create", "delete"],
    parent: { kind: "CallHandler", field: "CallHandlerObjectId" },
    oneOf: ["UserObjectId", "DistributionListObjectId"],
    fields: [
        URI("/vmrest/handlers/callhandlers/c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f/callhandlerowners/e3f4a5b6-c7d8-4e9f-8a1b-2c3d4e5f6a7b"),
        OBJECT_ID,
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The handler." }),
        field("UserObjectId", "string", "rw", { name: "userId", ref: "User", doc: "An owner user." }),
        field("DistributionListObjectId", "string", "rw", { name: "distributionListId", ref: "DistributionList", doc: "An owner list." }),
    ],
});
