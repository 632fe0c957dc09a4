/** Contact: created from a contact template (`?templateAlias=`, default systemcontacttemplate). */
import { Contact } from "../specs";
import { creatableFields } from "../specs/types";
import { defineResource } from "./types";

export const ContactDef = defineResource({
    kind: "Contact",
    summary: "A contact (CUPI `/vmrest/contacts`): someone outside Connection whom users can address and callers reach by name or extension, created from a contact template.",
    spec: Contact,
    inputs: creatableFields(Contact),
    ignoreChanges: ["templateAlias"],
    createDefaults: { templateAlias: "systemcontacttemplate" },
    rules: (news, _olds, unknown) =>
        news.transferEnabled === true && !unknown(news.transferEnabled) && news.transferExtension === undefined
            ? [{ property: "transferEnabled", reason: "transferEnabled needs transferExtension: the number callers are transferred to" }]
            : [],
    recordName: (r) => String(r.Alias ?? r.ObjectId),
    import: { word: "contacts", label: (r) => `contact ${String(r.Alias)}` },
});
