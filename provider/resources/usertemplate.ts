/** UserTemplate: made from another template (`?templateAlias=`); its default PIN and web password are parts. */
import { UserTemplate, UserTemplatePin, UserTemplateWebPassword } from "../specs";
import { creatableFields } from "../specs/types";
import { defineResource } from "./types";
import { credentialPart, pairRules } from "./user";

export const UserTemplateDef = defineResource({
    kind: "UserTemplate",
    summary: "A user template (CUPI `/vmrest/usertemplates`), made from another template: what new users get, their default PIN and web password among it. Changing a template changes no existing user.",
    spec: UserTemplate,
    inputs: creatableFields(UserTemplate),
    parts: [credentialPart(UserTemplatePin), credentialPart(UserTemplateWebPassword)],
    ignoreChanges: ["templateAlias"],
    createDefaults: { templateAlias: "voicemailusertemplate" },
    rules: (news, _olds, unknown) => pairRules(news, unknown),
    recordName: (r) => String(r.Alias ?? r.ObjectId),
    import: { word: "usertemplates", label: (r) => `template ${String(r.Alias)}` },
});
