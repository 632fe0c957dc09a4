import { ALIAS_RULE, extension } from "./user";
import { defineObject, field, OBJECT_ID, URI } from "./types";

/** Distribution lists (`/vmrest/distributionlists`), EVERYDAY.md §6.1. */
export const DistributionList = defineObject({
    kind: "DistributionList",
    element: "DistributionList",
    collection: "DistributionLists",
    path: "distributionlists",
    noun: "distributionlist",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "Alias",
    fields: [
        URI("/vmrest/distributionlists/5d3c1b2a-4e6f-4a8b-9c0d-1e2f3a4b5c6d"),
        OBJECT_ID,
        // EVERYDAY.md §13 item 8: the doc says read-write, the SDK says fixed after create; replace until tested.
        field("Alias", "string", "rw", {
            mandatory: true, replace: true, createOnly: true, maxLength: 64, queryable: true, sortable: true,
            ...ALIAS_RULE, example: "sales-team",
            doc: "Alias of the list, unique among lists: printable ASCII (a change replaces the list: the SDK says CUPI fixes it at create).",
        }),
        field("DisplayName", "string", "rw", { maxLength: 64, queryable: true, sortable: true, example: "Sales team", doc: "Display name." }),
        extension("Extension of the list, unique within its partition.", { example: "7001" }),
        field("PartitionObjectId", "string", "rw", { name: "partitionId", ref: "Partition", doc: "Partition of the list's extension (default: the server's default partition)." }),
        field("AllowContacts", "boolean", "rw", { default: false, example: true, doc: "Contacts may be members." }),
        field("AllowForeignMessage", "boolean", "rw", { default: false, example: true, doc: "Accept messages from VPIM senders." }),
        field("CreationTime", "string", "ro", { doc: "When the list was created." }),
        field("DtmfName", "string", "ro", { doc: "Name spelled on the keypad." }),
        field("IsPublic", "boolean", "ro", { doc: "A public (system) list." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "A system list (undeliverablemessages, allvoicemailusers, ...): never deleted." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location of the list." }),
        field("DistributionListMembersURI", "string", "ro", { doc: "Path of the list's members." }),
    ],
});

/**
 * A membership (`/vmrest/distributionlists/{id}/distributionlistmembers`), §6.2: POST with one
 * member id, DELETE by the membership's own ObjectId (§13 item 9), no PUT. A user template is a
 * member through MemberUserObjectId, like a user.
 */
export const DistributionListMember = defineObject({
    kind: "DistributionListMember",
    element: "DistributionListMember",
    collection: "DistributionListMembers",
    path: "distributionlists/{parent}/distributionlistmembers",
    noun: "distributionlistmember",
    operations: ["list", "get", "create", "delete"],
    parent: { kind: "DistributionList", field: "DistributionListObjectId" },
    oneOf: ["MemberUserObjectId", "MemberContactObjectId", "MemberDistributionListObjectId"],
    fields: [
        URI("/vmrest/distributionlists/5d3c1b2a-4e6f-4a8b-9c0d-1e2f3a4b5c6d/distributionlistmembers/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
        field("ObjectId", "string", "ro", { queryable: true, doc: "The membership's ObjectId (what DELETE takes)." }),
        field("DistributionListObjectId", "string", "ro", { name: "distributionListId", doc: "The list." }),
        field("MemberUserObjectId", "string", "rw", { name: "memberUserId", ref: "User", refAlso: ["UserTemplate"], deletedWithRef: true, queryable: true, doc: "A member user or user template (a deleted user leaves its lists)." }),
        field("MemberContactObjectId", "string", "rw", { name: "memberContactId", ref: "Contact", deletedWithRef: true, onlyIf: "AllowContacts", queryable: true, doc: "A member contact (only in a list that allowContacts; a deleted contact leaves its lists)." }),
        field("MemberDistributionListObjectId", "string", "rw", { name: "memberDistributionListId", ref: "DistributionList", queryable: true, doc: "A member list (nested)." }),
        field("MemberGlobalUserObjectId", "string", "ro", { doc: "Global id of a member user." }),
        field("MemberLocationObjectId", "string", "ro", { doc: "Connection location of the member." }),
        field("Alias", "string", "ro", { queryable: true, sortable: true, doc: "Alias of the member." }),
        field("DisplayName", "string", "ro", { sortable: true, doc: "Display name of the member." }),
        field("IsUserTemplate", "boolean", "ro", { doc: "The member is a user template." }),
    ],
});
