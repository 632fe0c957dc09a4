import { defineObject, field, OBJECT_ID, URI, type Field, type ObjectSpec } from "./types";

/**
 * Users with a voice mailbox (`/vmrest/users`), EVERYDAY.md §3, with their PIN and web password
 * (§3.6), alternate extensions (§3.7), mailbox quotas (§3.8) and dependencies (§3.5).
 */

const text = (cupi: string, maxLength: number, doc: string, more: Partial<Field> = {}) =>
    field(cupi, "string", "rw", { maxLength, doc, ...more });
const bool = (cupi: string, def: boolean, doc: string) => field(cupi, "boolean", "rw", { default: def, example: !def, doc });

/** An alias (users, templates, contacts, lists): a sign-in or addressing name, printable ASCII (EVERYDAY.md §3.2). */
export const ALIAS_RULE = {
    pattern: /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/,
    expected: "printable ASCII (letters, digits, spaces and symbols such as . _ -), with no space at either end, e.g. jdoe",
} as const;

/** An extension: digits, unique within its partition across every object that has one (§3.4). */
export const extension = (doc: string, more: Partial<Field> = {}) => field("DtmfAccessId", "string", "rw", {
    maxLength: 40, format: "extension", queryable: true, sortable: true,
    unique: { namespace: "extension", scope: "PartitionObjectId" }, doc, ...more,
});

/** Fields users and user templates share (§3.2, §4: "the user field set"). */
export const personFields = (): Field[] => [
    text("FirstName", 64, "First name.", { queryable: true, sortable: true, example: "Jane" }),
    text("LastName", 64, "Last name.", { queryable: true, sortable: true, example: "Doe" }),
    text("Initials", 64, "Initials.", { example: "JD" }),
    text("Title", 64, "Job title.", { example: "Engineer" }),
    text("Department", 64, "Department.", { queryable: true, example: "Sales" }),
    text("Manager", 64, "Manager.", { example: "Ann Smith" }),
    text("Building", 64, "Building.", { example: "HQ" }),
    text("City", 64, "City or town.", { example: "Lyon" }),
    text("State", 64, "State or province.", { example: "Rhone" }),
    text("Address", 128, "Postal address.", { example: "1 Main Street" }),
    text("PostalCode", 40, "Postal code.", { example: "69001" }),
    text("Country", 2, "Country, as an ISO 3166-1 two-letter code.", { pattern: /^[A-Za-z]{2}$/, expected: "two letters (ISO 3166-1), e.g. FR", example: "FR" }),
    text("EmployeeId", 64, "Employee id.", { example: "E1234" }),
    text("BillingId", 32, "Billing id.", { example: "B42" }),
    field("CosObjectId", "string", "rw", { name: "cosId", ref: "ClassOfService", queryable: true, doc: "Class of service (see ClassOfService, getClassOfService)." }),
    field("PartitionObjectId", "string", "rw", { name: "partitionId", ref: "Partition", queryable: true, doc: "Partition of the primary extension (see Partition, getPartition)." }),
    field("SearchByExtensionSearchSpaceObjectId", "string", "rw", { name: "searchByExtensionSearchSpaceId", ref: "SearchSpace", doc: "Search space for addressing by extension." }),
    field("SearchByNameSearchSpaceObjectId", "string", "rw", { name: "searchByNameSearchSpaceId", ref: "SearchSpace", doc: "Search space for addressing by name." }),
    field("MediaSwitchObjectId", "string", "rw", { name: "phoneSystemId", ref: "PhoneSystem", queryable: true, doc: "Phone system the user's calls and MWI go through." }),
    field("TimeZone", "integer", "rw", { min: 0, max: 65535, example: 35, doc: "Time zone code (`/vmrest/timezones`); set useDefaultTimeZone false with it." }),
    bool("UseDefaultTimeZone", true, "Use the system's time zone."),
    field("Language", "integer", "rw", { min: 1, max: 65535, example: 1036, doc: "Language as a Windows LCID (1033 English, 1036 French, ...); set useDefaultLanguage false with it." }),
    bool("UseDefaultLanguage", true, "Use the system's default language."),
    bool("ListInDirectory", false, "Listed in the phone directory."),
    bool("IsVmEnrolled", true, "Plays the first-sign-in enrollment conversation."),
    bool("CreateSmtpProxyFromCorp", false, "Add an SMTP proxy address equal to emailAddress."),
];

export const User = defineObject({
    kind: "User",
    element: "User",
    collection: "Users",
    path: "users",
    noun: "user",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "Alias",
    // The list gives each user's short form (EVERYDAY.md §3.1: the SDK's UserBase and UserFull).
    shortList: ["URI", "ObjectId", "Alias", "DisplayName", "FirstName", "LastName", "DtmfAccessId", "PartitionObjectId", "TenantObjectId", "Undeletable"],
    // EVERYDAY.md §3.1, §12.2: what the body leaves out comes from the template; the primary call
    // handler is made with the user (from the template's call handler template) and goes with it.
    createdFrom: { param: "templateAlias", kind: "UserTemplate", by: "Alias" },
    owns: {
        field: "CallHandlerObjectId", kind: "CallHandler", template: "CallHandlerObjectId",
        values: (user) => ({ IsPrimary: true, DisplayName: user.DisplayName || user.Alias, RecipientSubscriberObjectId: user.ObjectId }),
    },
    fields: [
        URI("/vmrest/users/6b455973-13d1-4b10-871e-1d1d55f160d2"),
        OBJECT_ID,
        // Create parameters (§3.1): the template fills everything the body leaves out; the user keeps no reference to it.
        field("templateAlias", "string", "wo", {
            param: true, createOnly: true, maxLength: 64, example: "voicemailusertemplate",
            doc: "Alias of the user template the user is created from (`?templateAlias=`; default voicemailusertemplate). It shapes only the creation: the user keeps no link to it.",
        }),
        field("MailboxStoreObjectId", "string", "wo", {
            name: "mailboxStoreId", param: true, createOnly: true, ref: "MailboxStore", example: "5e2b7e13-8bfd-4f62-835c-1ed63c1481dd",
            doc: "Mailbox store the new mailbox is placed in (`?MailboxStoreObjectId=`; default: the server's default store; see getMailboxStores).",
        }),
        field("Alias", "string", "rw", {
            mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "jdoe",
            ...ALIAS_RULE,
            doc: "Sign-in name, unique among users: printable ASCII, no leading or trailing space.",
        }),
        extension("Primary extension, unique within its partition.", { mandatory: true, example: "1001" }),
        text("DisplayName", 64, "Display name (need not be unique).", { queryable: true, sortable: true, example: "Jane Doe" }),
        ...personFields(),
        text("EmailAddress", 320, "Corporate email address.", { format: "email", queryable: true, example: "jdoe@example.com" }),
        text("SmtpAddress", 320, "The user's Connection SMTP address.", { example: "jdoe@cuc.example.com" }),
        bool("SkipPasswordForKnownDevice", false, "Skip the PIN when calling from a known device."),
        bool("RouteNDRToSender", true, "Send non-delivery receipts to the sender."),
        bool("Inactive", false, "The account is inactive (CUPI only turns it from true to false)."),
        text("XferString", 40, "Cross-server transfer extension.", { example: "91001" }),
        field("LdapType", "integer", "ro", { enum: { 0: "none", 1: "integrated", 2: "authenticated", 4: "inactive" }, doc: "LDAP integration of the user." }),
        field("CreationTime", "string", "ro", { doc: "When the user was created." }),
        field("IsTemplate", "boolean", "ro", { doc: "Always false for a user." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in user (operator, undeliverable messages): never deleted." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location the user lives on." }),
        field("TenantObjectId", "string", "ro", { queryable: true, doc: "Tenant owning the user (multi-tenant installs)." }),
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The user's primary call handler (its greetings, transfer rules and caller input)." }),
        field("MailboxStoreName", "string", "ro", { doc: "Name of the mailbox store holding the mailbox." }),
        field("DtmfNameFirstLast", "string", "ro", { doc: "Name spelled on the keypad, first name first." }),
        field("PhoneNumber", "string", "ro", { doc: "Phone number." }),
        field("AlternateExtensionsURI", "string", "ro", { doc: "Path of the user's alternate extensions." }),
    ],
});

/**
 * A credential of a user or user template (§3.6, §4): `credential/pin` or `credential/password`,
 * one of each per owner, read and PUT only. `Credentials` is write-only: GET returns it empty.
 * Names carry the credential's prefix (`pin`, `pinMustChange`; `webPassword`, ...).
 */
export function credential(kind: string, element: string, owner: { kind: string; path: string }, which: "pin" | "password"): ObjectSpec {
    const prefix = which === "pin" ? "pin" : "webPassword";
    const what = which === "pin" ? "PIN" : "web password";
    const n = (suffix: string) => `${prefix}${suffix}`;
    const isPin = which === "pin";
    return defineObject({
        kind,
        element,
        collection: `${element}s`,
        path: `${owner.path}/{parent}/credential/${which}`,
        noun: "credential",
        operations: ["get", "update"],
        singleton: true,
        parent: { kind: owner.kind, field: "UserObjectId" },
        fields: [
            URI(`/vmrest/${owner.path}/6b455973-13d1-4b10-871e-1d1d55f160d2/credential/${which}`),
            OBJECT_ID,
            field("UserObjectId", "string", "ro", { name: n("OwnerId"), doc: `The ${owner.kind === "User" ? "user" : "template"} the ${what} belongs to.` }),
            field("Credentials", "string", "wo", {
                name: prefix, secret: true, maxLength: 128,
                ...(isPin ? { pattern: /^[0-9]+$/, expected: "digits only, e.g. 730426" } : {}),
                example: isPin ? "730426" : "Web-Pass-2026",
                doc: `The ${what} (write-only: CUPI returns it empty; complexity is the credential policy's${isPin ? "; digits only" : ""}).`,
            }),
            field("CredMustChange", "boolean", "rw", { name: n("MustChange"), default: true, example: false, doc: `The ${what} must be changed at the next sign-in.` }),
            field("DoesntExpire", "boolean", "rw", { name: n("DoesNotExpire"), default: false, example: true, doc: `The ${what} never expires.` }),
            field("Locked", "boolean", "rw", {
                name: n("Locked"), default: false, example: true,
                // EVERYDAY.md §13 item 15: unlocking also clears the failed-attempt counter.
                sentWith: (v): Record<string, number> => (v === false ? { HackCount: 0 } : {}),
                doc: `The ${what} is locked by an administrator (false also resets the failed-attempt count).`,
            }),
            field("CantChange", "boolean", "rw", { name: n("CantChange"), default: false, example: true, doc: `The owner cannot change the ${what}.` }),
            field("HackCount", "integer", "wo", { name: n("FailedAttempts"), doc: "Failed sign-in attempts (sent as 0 to unlock)." }),
            field("TimeChanged", "string", "ro", { name: n("TimeChanged"), doc: `When the ${what} was last changed.` }),
            field("CredentialPolicyObjectId", "string", "ro", { name: n("PolicyId"), doc: "The credential (authentication) policy that applies." }),
        ],
    });
}

export const UserPin = credential("UserPin", "Credential", { kind: "User", path: "users" }, "pin");
export const UserWebPassword = credential("UserWebPassword", "Credential", { kind: "User", path: "users" }, "password");

/** Mailbox quotas, bytes: -2 the system default, -1 unlimited, else a multiple of 1024 up to 2048 MB (§3.8). */
const QUOTA_MAX = 2048 * 1024 * 1024;
const quota = (cupi: string, doc: string) => field(cupi, "integer", "rw", {
    min: -2, max: QUOTA_MAX, default: -2, example: 50 * 1024 * 1024,
    validate: (v) => (typeof v === "number" && v >= 0 && v % 1024 !== 0 ? `must be -2 (the system default), -1 (unlimited) or a multiple of 1024 bytes up to 2048 MB, e.g. ${Math.round(Number(v) / 1024) * 1024}` : undefined),
    doc: `${doc} in bytes: -2 the system default, -1 unlimited, else a multiple of 1024 up to 2048 MB.`,
});

export const UserMailbox = defineObject({
    kind: "UserMailbox",
    element: "MailboxAttribute",
    collection: "MailboxAttributes",
    path: "users/{parent}/mailboxattributes",
    noun: "mailboxattribute",
    operations: ["get", "update"],
    singleton: true,
    parent: { kind: "User", field: "UserObjectId" },
    fields: [
        URI("/vmrest/users/6b455973-13d1-4b10-871e-1d1d55f160d2/mailboxattributes"),
        OBJECT_ID,
        field("UserObjectId", "string", "ro", { name: "mailboxOwnerId", doc: "The user whose mailbox this is." }),
        // EVERYDAY.md §13 item 10: the `*Quota` names (JSON and PUT), not the XML sample's Send/Receive/Warn.
        quota("ReceiveQuota", "Size at which the mailbox stops receiving messages,"),
        quota("SendQuota", "Size at which the user can no longer send messages,"),
        quota("WarningQuota", "Size at which the user is warned,"),
        field("ByteSize", "integer", "ro", { default: 0, doc: "Bytes the mailbox holds." }),
        field("NumMessages", "integer", "ro", { default: 0, doc: "Messages in the mailbox." }),
    ],
});

/** Administrator-defined alternate extensions of a user: IdIndex 1–9 (§3.7). */
export const ALTERNATE_EXTENSION_LABELS = { 1: "Work", 2: "Work 2", 3: "Home", 4: "Home 2", 5: "Mobile", 6: "Mobile 2", 7: "Work Fax", 8: "Work Fax 2", 9: "Home Fax" } as const;

export const AlternateExtension = defineObject({
    kind: "AlternateExtension",
    element: "AlternateExtension",
    collection: "AlternateExtensions",
    path: "users/{parent}/alternateextensions",
    noun: "alternateextension",
    operations: ["list", "get", "create", "update", "delete"],
    parent: { kind: "User", field: "UserObjectId" },
    key: "IdIndex",
    mirrorsParent: { field: "IdIndex", value: 0, fields: ["DtmfAccessId", "PartitionObjectId"] },
    fields: [
        URI("/vmrest/users/6b455973-13d1-4b10-871e-1d1d55f160d2/alternateextensions/0b0a8f7e-6f3c-4c55-9e62-8f57b8e4d7a1"),
        OBJECT_ID,
        field("UserObjectId", "string", "rw", { name: "userId", replace: true, createOnly: true, doc: "ObjectId of the user the extension belongs to." }),
        field("IdIndex", "integer", "rw", {
            mandatory: true, replace: true, createOnly: true, enum: ALTERNATE_EXTENSION_LABELS, queryable: true, example: 5,
            doc: "Which alternate extension: 1 Work, 2 Work 2, 3 Home, 4 Home 2, 5 Mobile, 6 Mobile 2, 7 Work Fax, 8 Work Fax 2, 9 Home Fax (0 is the primary extension; 11-20 are the user's own).",
        }),
        extension("The alternate extension, unique within its partition.", { mandatory: true, example: "0612345678" }),
        field("PartitionObjectId", "string", "rw", { name: "partitionId", ref: "Partition", doc: "Partition of the alternate extension (default: the user's)." }),
    ],
});

/**
 * What refers to a user (`GET /vmrest/subscriberdependencies/{userId}`, §3.5): what blocks its
 * deletion until re-pointed. The row shape is not documented beyond two fields [OPEN]; ours names
 * the referring object too.
 */
export const UserDependency = defineObject({
    kind: "UserDependency",
    element: "SubscriberDependency",
    collection: "SubscriberDependencies",
    path: "subscriberdependencies/{parent}",
    noun: "subscriberdependency",
    operations: ["list"],
    parent: { kind: "User", field: "SubscriberObjectId" },
    fields: [
        URI("/vmrest/subscriberdependencies/6b455973-13d1-4b10-871e-1d1d55f160d2"),
        OBJECT_ID,
        field("SubscriberObjectId", "string", "ro", { name: "userId", doc: "The user referred to." }),
        field("DependentEntityOwnerType", "string", "ro", { doc: "Kind of the object that refers to the user (e.g. Callhandler, DistributionList)." }),
        field("DependentEntityOwnerObjectId", "string", "ro", { name: "dependentId", doc: "ObjectId of the object that refers to the user." }),
        field("DependentEntityOwnerName", "string", "ro", { name: "dependentName", doc: "Name of the object that refers to the user." }),
        field("DependencyType", "string", "ro", { doc: "How it refers to the user (e.g. Recipient, Owner, Standard Greeting)." }),
    ],
});
