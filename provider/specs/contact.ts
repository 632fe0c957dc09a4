import { ALIAS_RULE, extension } from "./user";
import { defineObject, field, OBJECT_ID, URI } from "./types";

/**
 * Contacts (`/vmrest/contacts`), EVERYDAY.md §5: people outside Connection, created from a contact
 * template (built-in `systemcontacttemplate`). The guide has no contact chapter: the shape is the
 * SDK's and VOSS's. The extension field's name is not in our sources [OPEN]: we take
 * `DtmfAccessId`, the name every other extension-bearing object uses, and the simulator does too.
 */
export const Contact = defineObject({
    kind: "Contact",
    element: "Contact",
    collection: "Contacts",
    path: "contacts",
    noun: "contact",
    operations: ["list", "get", "create", "update", "delete"],
    key: "Alias",
    createdFrom: { param: "templateAlias", kind: "ContactTemplate", by: "Alias" },
    fields: [
        URI("/vmrest/contacts/7a1c3e5f-2b4d-4c6e-8f0a-1b2c3d4e5f60"),
        OBJECT_ID,
        field("templateAlias", "string", "wo", {
            param: true, createOnly: true, maxLength: 64, example: "systemcontacttemplate",
            doc: "Alias of the contact template the contact is created from (`?templateAlias=`; default systemcontacttemplate). It shapes only the creation.",
        }),
        field("Alias", "string", "rw", { mandatory: true, maxLength: 64, queryable: true, sortable: true, ...ALIAS_RULE, example: "acme-support", doc: "Alias of the contact, unique among contacts: printable ASCII." }),
        field("DisplayName", "string", "rw", { maxLength: 64, queryable: true, sortable: true, example: "ACME Support", doc: "Display name." }),
        field("FirstName", "string", "rw", { maxLength: 64, example: "ACME", doc: "First name." }),
        field("LastName", "string", "rw", { maxLength: 64, example: "Support", doc: "Last name." }),
        field("AltFirstName", "string", "rw", { maxLength: 64, example: "Acme", doc: "Alternate first name (for name dialling)." }),
        field("AltLastName", "string", "rw", { maxLength: 64, example: "Help", doc: "Alternate last name (for name dialling)." }),
        extension("Extension of the contact, unique within its partition.", { example: "8001" }),
        field("PartitionObjectId", "string", "rw", { name: "partitionId", ref: "Partition", doc: "Partition of the contact's extension." }),
        field("ListInDirectory", "boolean", "rw", { default: false, example: true, doc: "Listed in the phone directory." }),
        field("IsAddressable", "boolean", "rw", { default: true, example: false, doc: "Users can address messages to the contact." }),
        field("TransferEnabled", "boolean", "rw", { default: false, example: true, doc: "Callers who reach the contact are transferred to transferExtension." }),
        field("TransferExtension", "string", "rw", { maxLength: 40, format: "extension", example: "900442071234567", doc: "Number callers are transferred to." }),
        field("TransferRings", "integer", "rw", { default: 4, min: 2, max: 20, example: 6, doc: "Rings before a supervised transfer gives up." }),
        field("TransferType", "integer", "rw", { default: 0, enum: { 0: "release", 1: "supervised" }, example: 1, doc: "How the transfer is made: 0 release, 1 supervised." }),
        field("AutoCreateCallHandler", "boolean", "rw", { default: false, doc: "Create a call handler for the contact." }),
        field("CreationTime", "string", "ro", { doc: "When the contact was created." }),
        field("IsTemplate", "boolean", "ro", { doc: "Always false for a contact." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location of the contact." }),
        field("CallHandlerObjectId", "string", "ro", { name: "callHandlerId", doc: "The contact's call handler, if any." }),
        field("DtmfNameFirstLast", "string", "ro", { doc: "Name spelled on the keypad, first name first." }),
    ],
});

/** Contact templates (`/vmrest/contacttemplates`): what a contact is created from; read only here. */
export const ContactTemplate = defineObject({
    kind: "ContactTemplate",
    element: "ContactTemplate",
    collection: "ContactTemplates",
    path: "contacttemplates",
    noun: "contacttemplate",
    operations: ["list", "get"],
    undeletable: "Undeletable",
    key: "Alias",
    fields: [
        URI("/vmrest/contacttemplates/7a1c3e5f-2b4d-4c6e-8f0a-1b2c3d4e5f61"),
        OBJECT_ID,
        field("Alias", "string", "ro", { queryable: true, sortable: true, example: "systemcontacttemplate", doc: "Alias of the template." }),
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, doc: "Display name of the template." }),
        field("PartitionObjectId", "string", "ro", { name: "partitionId", doc: "Partition new contacts get." }),
        field("ListInDirectory", "boolean", "ro", { doc: "Whether new contacts are listed in the directory." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A built-in template." }),
    ],
});
