import { ALIAS_RULE, credential, personFields } from "./user";
import { defineObject, field, OBJECT_ID, URI } from "./types";

/**
 * User templates (`/vmrest/usertemplates`), EVERYDAY.md §4: made from another template; they hold
 * what new users get, the default PIN and web password among it (`credential/pin|password`,
 * element `UserTemplateCredential`). Built-ins (voicemailusertemplate, administratortemplate) can
 * be changed, never deleted.
 */
export const UserTemplate = defineObject({
    kind: "UserTemplate",
    element: "UserTemplate",
    collection: "UserTemplates",
    // EVERYDAY.md §13 item 5: the plural path (the docs' singular PUT path is a typo).
    path: "usertemplates",
    noun: "usertemplate",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "Alias",
    createdFrom: { param: "templateAlias", kind: "UserTemplate", by: "Alias" },
    fields: [
        URI("/vmrest/usertemplates/3f0a2b0c-5e4d-4f1a-9d0e-6a7b8c9d0e1f"),
        OBJECT_ID,
        field("templateAlias", "string", "wo", {
            param: true, createOnly: true, maxLength: 64, example: "voicemailusertemplate",
            doc: "Alias of the template this one is made from (`?templateAlias=`; default voicemailusertemplate). It shapes only the creation.",
        }),
        field("Alias", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, ...ALIAS_RULE, example: "sales-template", doc: "Alias of the template, unique among templates: printable ASCII." }),
        field("DisplayName", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "Sales users", doc: "Display name of the template." }),
        ...personFields(),
        field("MailboxStoreObjectId", "string", "rw", { name: "mailboxStoreId", ref: "MailboxStore", doc: "Mailbox store new users' mailboxes are placed in." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in template: never deleted." }),
        field("ReadOnly", "boolean", "ro", { doc: "The template cannot be changed." }),
        field("CreationTime", "string", "ro", { doc: "When the template was created." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location of the template." }),
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerTemplateId", ref: "CallHandlerTemplate", doc: "The call handler template new users' primary call handlers are made from." }),
    ],
});

export const UserTemplatePin = credential("UserTemplatePin", "UserTemplateCredential", { kind: "UserTemplate", path: "usertemplates" }, "pin");
export const UserTemplateWebPassword = credential("UserTemplateWebPassword", "UserTemplateCredential", { kind: "UserTemplate", path: "usertemplates" }, "password");

/** The built-in default templates (`/vmrest/userdefaulttemplates`, §13 item 6: the path as documented). */
export const DefaultUserTemplate = defineObject({
    kind: "DefaultUserTemplate",
    element: "DefaultUserTemplate",
    collection: "DefaultUserTemplates",
    path: "userdefaulttemplates",
    noun: "userdefaulttemplate",
    operations: ["list"],
    key: "Alias",
    fields: [
        URI("/vmrest/defaultusertemplates/3f0a2b0c-5e4d-4f1a-9d0e-6a7b8c9d0e1f"),
        OBJECT_ID,
        field("Alias", "string", "ro", { queryable: true, sortable: true, doc: "Alias of the default template." }),
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, doc: "Display name of the default template." }),
    ],
});
