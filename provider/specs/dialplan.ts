import { defineObject, field, OBJECT_ID, URI } from "./types";

/** Partitions (`/vmrest/partitions`), EVERYDAY.md §10: named by Name, not DisplayName. */
export const Partition = defineObject({
    kind: "Partition",
    element: "Partition",
    collection: "Partitions",
    path: "partitions",
    noun: "partition",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "Name",
    fields: [
        URI("/vmrest/partitions/2c4e6a8b-0d1f-4b3c-8e5a-7c9e1b3d5f70"),
        OBJECT_ID,
        field("Name", "string", "rw", { mandatory: true, maxLength: 50, queryable: true, sortable: true, example: "Sales Partition", doc: "Name of the partition, unique on the server." }),
        field("Description", "string", "rw", { maxLength: 50, example: "Extensions of the sales floor", doc: "Description (default: the name)." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location the partition belongs to." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "The server's default partition: never deleted." }),
    ],
});

/** Search spaces (`/vmrest/searchspaces`), §10: an ordered list of partitions. */
export const SearchSpace = defineObject({
    kind: "SearchSpace",
    element: "SearchSpace",
    collection: "SearchSpaces",
    path: "searchspaces",
    noun: "searchspace",
    operations: ["list", "get", "create", "update", "delete"],
    undeletable: "Undeletable",
    key: "Name",
    fields: [
        URI("/vmrest/searchspaces/4e6a8c0e-2f3b-4d5e-9a7c-9e1b3d5f7a92"),
        OBJECT_ID,
        field("Name", "string", "rw", { mandatory: true, maxLength: 50, queryable: true, sortable: true, example: "Sales Search Space", doc: "Name of the search space, unique on the server." }),
        field("Description", "string", "rw", { maxLength: 50, example: "What sales users can dial", doc: "Description." }),
        field("TimeOwnershipChanged", "string", "ro", { doc: "When ownership last changed." }),
        field("LocationObjectId", "string", "ro", { name: "locationId", doc: "Connection location the search space belongs to." }),
        field("Undeletable", "boolean", "ro", { default: false, doc: "The server's default search space: never deleted." }),
    ],
});

/**
 * A partition of a search space (`/vmrest/searchspaces/{id}/searchspacemembers`), §10: POST and
 * DELETE only (no PUT documented, §13 item 19); SortOrder is the 1-based search order, unique
 * per search space, not necessarily contiguous (§13 item 16: `SortOrder`, not cupi-cli's `Index`).
 */
export const SearchSpaceMember = defineObject({
    kind: "SearchSpaceMember",
    element: "SearchSpaceMember",
    collection: "SearchSpaceMembers",
    path: "searchspaces/{parent}/searchspacemembers",
    noun: "searchspacemember",
    operations: ["list", "get", "create", "delete"],
    parent: { kind: "SearchSpace", field: "SearchSpaceObjectId" },
    fields: [
        URI("/vmrest/searchspaces/4e6a8c0e-2f3b-4d5e-9a7c-9e1b3d5f7a92/searchspacemembers/6a8c0e2a-4b5d-4f7a-8c9e-1b3d5f7a9b14"),
        OBJECT_ID,
        field("SearchSpaceObjectId", "string", "ro", { name: "searchSpaceId", doc: "The search space." }),
        // A partition is searched once per search space, and each place in the order holds one partition.
        field("PartitionObjectId", "string", "rw", {
            name: "partitionId", ref: "Partition", mandatory: true, queryable: true,
            unique: { namespace: "SearchSpaceMember.PartitionObjectId", scope: "SearchSpaceObjectId" }, doc: "The partition searched.",
        }),
        field("SortOrder", "integer", "rw", {
            min: 1, max: 65535, mandatory: true, sortable: true,
            unique: { namespace: "SearchSpaceMember.SortOrder", scope: "SearchSpaceObjectId" }, doc: "Its place in the search order (1 first).",
        }),
    ],
});

/** Mailbox stores (`/vmrest/mailboxstores`): where mailboxes live; read only here. */
export const MailboxStore = defineObject({
    kind: "MailboxStore",
    element: "MailboxStore",
    collection: "MailboxStores",
    path: "mailboxstores",
    noun: "mailboxstore",
    operations: ["list", "get"],
    key: "DisplayName",
    fields: [
        URI("/vmrest/mailboxstores/9c0e2a4b-6d7f-4a1b-8d3f-5a7b9c1d3e5f"),
        OBJECT_ID,
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, example: "UnityMbxDb1", doc: "Name of the mailbox store." }),
        field("ServerName", "string", "ro", { doc: "Server holding the store." }),
        field("Mounted", "boolean", "ro", { doc: "The store is mounted." }),
        field("MaxSizeMB", "integer", "ro", { doc: "Size limit of the store, in MB." }),
    ],
});

/** Connection locations (`/vmrest/locations/connectionlocations`): the owner of schedules; read only here. */
export const Location = defineObject({
    kind: "Location",
    element: "ConnectionLocation",
    collection: "ConnectionLocations",
    path: "locations/connectionlocations",
    noun: "connectionlocation",
    operations: ["list", "get"],
    key: "DisplayName",
    fields: [
        URI("/vmrest/locations/connectionlocations/0e2a4b6c-8d9f-4b1c-8e3a-5b7c9d1e3f5a"),
        OBJECT_ID,
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, example: "cuc-pub", doc: "Name of the location." }),
        field("HostAddress", "string", "ro", { doc: "Host of the location's server." }),
        field("IsPrimary", "boolean", "ro", { doc: "This server's own location." }),
    ],
});
