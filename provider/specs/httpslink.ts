import { defineObject, field, OBJECT_ID, URI } from "./types";

/**
 * HTTPS networking link (`/vmrest/httpslinks`), REFERENCE.md §8.7. Created by
 * `operation/autojoin`, removed by `operation/unjoin/{id}`.
 */
export const HttpsLink = defineObject({
    kind: "HttpsLink",
    element: "HttpsLink",
    collection: "HttpsLinks",
    path: "httpslinks",
    noun: "httpslink",
    operations: ["list", "get", "update"],
    fields: [
        URI("/vmrest/httpslinks/25164390-ec93-4dac-804a-c4567618b008"),
        OBJECT_ID,
        field("DisplayName", "string", "rw", {
            maxLength: 64, queryable: true, sortable: true, example: "site-b",
            doc: "Name of the link (defaults to the remote server's host name).",
        }),
        field("RemoteServer", "string", "wo", {
            mandatory: true, createOnly: true, replace: true, format: "host", maxLength: 255, example: "cuc-b.example.com",
            doc: "Host name or address of the remote Connection publisher (write-only; with UseSSL the certificate must match).",
        }),
        field("RemoteUsername", "string", "wo", {
            mandatory: true, createOnly: true, maxLength: 64, example: "admin",
            doc: "Administrator on the remote cluster, used once to join.",
        }),
        field("RemotePassword", "string", "wo", {
            mandatory: true, createOnly: true, secret: true, maxLength: 255, example: "Remote-s3cret",
            doc: "Password of the remote administrator (write-only).",
        }),
        field("EnableDirectorySync", "boolean", "wo", { createOnly: true, example: true, doc: "Start the full directory synchronisation after joining." }),
        field("EnableVoicenameSync", "boolean", "wo", { createOnly: true, example: true, doc: "Start recorded-name synchronisation after joining." }),
        field("UseSSL", "boolean", "rw", { default: true, example: true, doc: "Use HTTPS with the remote (must be true to join)." }),
        field("AcceptSelfSignedCertificates", "boolean", "rw", { default: false, example: true, doc: "Accept a self-signed certificate from the remote." }),
        field("AcceptCertificateErrors", "boolean", "rw", { default: false, example: false, doc: "Ignore TLS errors from the remote." }),
        field("SyncDistributionLists", "boolean", "rw", {
            default: false, example: true,
            doc: "Replicate distribution lists; once true it cannot be set back to false.",
        }),
        field("BaseFeedURL", "string", "ro", { doc: "Feeder URL of the remote, `https://<remote>/feeder`." }),
        field("LocationBaseURLSub", "string", "ro", { doc: "Feeder URL of the remote subscriber (clustered remotes only)." }),
        field("LastUsn", "integer", "ro", { doc: "Last replicated sequence number." }),
        field("MaxUsn", "integer", "ro", { doc: "Highest sequence number seen." }),
        field("ObjectCount", "integer", "ro", { doc: "Objects replicated from the remote." }),
        field("Status", "integer", "ro", { enum: { 0: "idle", 1: "synchronising" }, doc: "Directory sync status." }),
        field("VoiceNameSyncStatus", "integer", "ro", { enum: { 0: "idle", 1: "synchronising" }, doc: "Recorded-name sync status." }),
        field("TimeOfLastSync", "string", "ro", { doc: "Last successful sync (ISO-8601 UTC)." }),
        field("TimeOfLastFailure", "string", "ro", { doc: "Last failed sync (ISO-8601 UTC)." }),
        field("Deleted", "boolean", "ro", { doc: "True after unjoin until the clean-up task removes the link." }),
        field("DirectorySynchronizationRole", "integer", "ro", { enum: { 0: "Standard", 1: "Alert" }, doc: "Directory synchronisation role." }),
        field("WarningMode", "boolean", "ro", { doc: "Synchronisation is in warning mode." }),
    ],
});
