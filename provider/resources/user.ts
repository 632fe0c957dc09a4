/**
 * User: a mailbox, created from a user template (`POST /vmrest/users?templateAlias=`), with its PIN
 * and web password (`credential/pin`, `credential/password`) and mailbox quotas as inputs of
 * their own. A user holds data: no input replaces one.
 */
import { ALTERNATE_EXTENSION_LABELS, AlternateExtension, User, UserDependency, UserMailbox, UserPin, UserWebPassword } from "../specs";
import { creatableFields, type ObjectSpec } from "../specs/types";
import type { CupiRecord } from "../client/codec";
import { handlerChildren } from "./callhandler";
import { defineResource, fields, type Part } from "./types";

/** A credential's managed fields: the secret itself and its flags. */
export const credentialPart = (spec: ObjectSpec): Part => ({ spec, inputs: fields(spec, ["Credentials", "CredMustChange", "DoesntExpire", "Locked"]) });

/** Language and time zone take effect only with their "use the default" switch off (EVERYDAY.md §3.1). */
export const pairRules = (news: Record<string, unknown>, unknown: (v: unknown) => boolean) => {
    const failures: { property: string; reason: string }[] = [];
    for (const [value, flag] of [["language", "useDefaultLanguage"], ["timeZone", "useDefaultTimeZone"]] as const) {
        if (news[value] !== undefined && !unknown(news[value]) && news[flag] !== false && !unknown(news[flag])) {
            failures.push({ property: value, reason: `${value} takes effect only with ${flag}: false (CUPI keeps using the system's otherwise); add ${flag}: false` });
        }
    }
    return failures;
};

/** What CUPI's dependency rows say refers to a user. */
const dependency = (r: CupiRecord) =>
    `${String(r.DependentEntityOwnerType ?? "object")} ${String(r.DependentEntityOwnerName ?? r.DependentEntityOwnerObjectId ?? r.ObjectId)}${r.DependencyType ? ` (${String(r.DependencyType)})` : ""}`;

export const UserDef = defineResource({
    kind: "User",
    summary: "A user with a voice mailbox (CUPI `/vmrest/users`), created from a user template, with its PIN, web password and mailbox quotas. Deleting a user deletes the mailbox and every message in it: protect production users (`protect: true`, or `retainOnDelete: true` to keep them when they leave the program).",
    spec: User,
    inputs: creatableFields(User),
    parts: [credentialPart(UserPin), credentialPart(UserWebPassword), { spec: UserMailbox, inputs: fields(UserMailbox, ["ReceiveQuota", "SendQuota", "WarningQuota"]) }],
    // The user's primary call handler: its busy greeting, "transfer to my mobile" after hours. What
    // the program stops setting goes back to what the user had (the handler stays with the user).
    children: handlerChildren({ under: "CallHandlerObjectId", restore: true }),
    ignoreChanges: ["templateAlias", "mailboxStoreId"],
    // "Must change at the next sign-in" belongs to the PIN set with it: once the user has changed
    // their PIN, CUPI says false, and setting it true again would make them change it again.
    appliesWith: { pinMustChange: "pin", webPasswordMustChange: "webPassword" },
    createDefaults: { templateAlias: "voicemailusertemplate" },
    holdsData: "the mailbox and every message in it",
    exposes: ["CallHandlerObjectId", "LocationObjectId"],
    rules: (news, olds, unknown) => {
        const failures = pairRules(news, unknown);
        if (olds.inactive === false && news.inactive === true) {
            failures.push({ property: "inactive", reason: "inactive cannot be set back to true: CUPI only turns an account from inactive to active. Remove the input (or keep it false)" });
        }
        return failures;
    },
    dependents: async (c, id) => (await c.list(UserDependency, { parentId: id })).map(dependency),
    recordName: (r) => String(r.Alias ?? r.DisplayName ?? r.ObjectId),
    import: { word: "users", label: (r) => String(r.Alias) },
});

const label = (r: CupiRecord) => ALTERNATE_EXTENSION_LABELS[Number(r.IdIndex) as keyof typeof ALTERNATE_EXTENSION_LABELS] ?? `index ${String(r.IdIndex)}`;

export const AlternateExtensionDef = defineResource({
    kind: "AlternateExtension",
    summary: "An alternate extension of a user (CUPI `/vmrest/users/{id}/alternateextensions`): IdIndex 1-9 (Work, Home, Mobile, ...), each unique in its partition.",
    spec: AlternateExtension,
    inputs: creatableFields(AlternateExtension),
    recordName: (r) => `${label(r)} ${String(r.DtmfAccessId ?? r.ObjectId)}`,
    import: {
        word: "alternateextensions",
        // IdIndex 0 is the user's primary extension, managed on the User; 11-20 are the user's own.
        keep: (r) => Number(r.IdIndex) >= 1 && Number(r.IdIndex) <= 9,
        label: (r, parentLabel) => `${parentLabel ?? "user"} ${label(r)}`,
    },
});
