import { defineObject, field, OBJECT_ID, URI } from "./types";

/** Tenant (`/vmrest/tenants`), REFERENCE.md §8.8: referenced (read) only. */
export const Tenant = defineObject({
    kind: "Tenant",
    element: "Tenant",
    collection: "Tenants",
    path: "tenants",
    noun: "tenant",
    operations: ["list", "get"],
    fields: [
        URI("/vmrest/tenants/fe6541fb-b42c-44f2-8404-ded14cbf7438"),
        OBJECT_ID,
        field("Alias", "string", "ro", { queryable: true, sortable: true, doc: "Tenant alias." }),
        field("Name", "string", "ro", { queryable: true, sortable: true, doc: "Tenant name." }),
        field("Description", "string", "ro", { doc: "Description." }),
        field("SmtpDomain", "string", "ro", { doc: "SMTP domain of the tenant." }),
        field("PilotNumber", "string", "ro", { doc: "Pilot number." }),
        field("Language", "integer", "ro", { doc: "Language code (LCID)." }),
        field("TimeZone", "string", "ro", { doc: "Time zone." }),
        field("MailboxStoreObjectId", "string", "ro", { doc: "Mailbox store of the tenant." }),
        field("PartitionObjectId", "string", "ro", { doc: "Partition of the tenant." }),
        field("PhoneSystemObjectId", "string", "ro", { name: "phoneSystemId", doc: "Phone system owned by the tenant." }),
        field("MediaSwitchObjectId", "string", "ro", { name: "mediaSwitchObjectId", doc: "Phone system owned by the tenant (same as phoneSystemId)." }),
        field("CreationDate", "string", "ro", { doc: "When the tenant was created (ISO-8601)." }),
    ],
});
