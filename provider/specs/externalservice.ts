import { defineObject, field, GUID_RE, OBJECT_ID, URI } from "./types";

export const SERVER_TYPE = { 1: "MeetingPlace", 4: "Exchange/BPOS-D", 5: "Office 365" } as const;
const MP = 1, EXCHANGE = 4, O365 = 5;
const UM = [EXCHANGE, O365]; // the two Exchange-based types share most fields

const cap = (cupi: string, doc: string, appliesTo?: number[]) =>
    field(cupi, "boolean", "rw", { default: true, appliesTo, example: false, doc });

/**
 * Unified messaging service (`/vmrest/externalservices`), REFERENCE.md §8.6. Which fields the
 * server returns and requires depends on ServerType; mandatory lists follow the seed page.
 */
export const ExternalService = defineObject({
    kind: "ExternalService",
    element: "ExternalService",
    collection: "ExternalServices",
    path: "externalservices",
    noun: "externalservice",
    operations: ["list", "get", "create", "update", "delete"],
    discriminator: "ServerType",
    key: "DisplayName",
    fields: [
        URI("/vmrest/externalservices/6f4f7023-e9e5-4cd0-bf55-e20a0be6fd78"),
        OBJECT_ID,
        field("TenantObjectId", "string", "rw", {
            createOnly: true, replace: true, queryable: true, pattern: GUID_RE, expected: "an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555)",
            doc: "Tenant the service belongs to (multi-tenant installs, 10.5(2)+).",
        }),
        field("DisplayName", "string", "rw", {
            mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "Exchange-UM",
            doc: "Name of the service, unique on the server.",
        }),
        field("ServerType", "integer", "rw", {
            mandatory: true, enum: SERVER_TYPE, replace: true, createOnly: true, example: EXCHANGE,
            doc: "Kind of service: 1 MeetingPlace, 4 Exchange/BPOS-D, 5 Office 365.",
        }),
        field("ServiceAlias", "string", "rw", {
            mandatory: true, maxLength: 255, example: "corp\\svc-unity",
            doc: "Account the service signs in with.",
        }),
        field("ServicePassword", "string", "wo", {
            mandatory: true, secret: true, maxLength: 255, example: "Ums-s3cret",
            doc: "Password of the service account (write-only: CUPI returns it empty).",
        }),
        field("Server", "string", "rw", {
            mandatory: [MP, EXCHANGE, O365], format: "host", maxLength: 255, example: "mail.example.com",
            doc: "Host name or IP address of the Exchange, Office 365 or MeetingPlace server.",
        }),
        field("AuthenticationMode", "integer", "rw", {
            mandatory: [EXCHANGE], appliesTo: UM, enum: { 1: "Basic", 2: "Digest", 3: "NTLM", 4: "OAuth2" }, example: 3,
            doc: "Web authentication mode: 1 Basic, 2 Digest, 3 NTLM, 4 OAuth2 (Office 365 allows 1, 3, 4).",
        }),
        field("SecurityTransportType", "integer", "rw", {
            mandatory: [EXCHANGE], appliesTo: UM, enum: { 0: "HTTP", 1: "HTTPS" }, example: 1,
            doc: "Web protocol: 0 HTTP, 1 HTTPS.",
        }),
        field("ExchServerType", "integer", "rw", {
            mandatory: [EXCHANGE], appliesTo: UM, enum: { 0: "Exchange 2003", 1: "Exchange 2007 and later" }, example: 1,
            doc: "Exchange version: 0 Exchange 2003, 1 Exchange 2007 and later.",
        }),
        field("ExchDoAutodiscover", "boolean", "rw", { default: false, appliesTo: UM, example: true, doc: "Find the Exchange server by Autodiscover." }),
        field("ExchOrgDomain", "string", "rw", { appliesTo: UM, maxLength: 255, example: "example.com", doc: "Hosted Exchange (Office 365) domain." }),
        field("ExchSite", "string", "rw", { appliesTo: UM, maxLength: 255, example: "Default-First-Site", doc: "Active Directory site for Autodiscover." }),
        field("TransferExtensionDialString", "string", "rw", {
            mandatory: [MP], appliesTo: [MP], maxLength: 40, pattern: /^[0-9*#]*$/, expected: "digits, * and # only", example: "111",
            doc: "Digits Connection dials to transfer a caller to MeetingPlace.",
        }),
        field("IsEnabled", "boolean", "rw", { default: true, example: false, doc: "Whether the service is in use." }),
        field("ValidateServerCertificate", "boolean", "rw", { default: false, appliesTo: UM, example: true, doc: "Validate the server's TLS certificate." }),
        field("UseServiceCredentials", "boolean", "rw", { default: true, appliesTo: UM, example: false, doc: "Use the service account rather than each user's credentials." }),
        cap("SupportsCalendarCapability", "Offer calendar access to user accounts."),
        cap("SupportsTtsOfEmailCapability", "Offer text-to-speech of email to user accounts.", UM),
        cap("SupportsMailboxSynchCapability", "Offer mailbox synchronisation to user accounts.", UM),
        cap("SupportsMeetingCapability", "Offer MeetingPlace meetings to user accounts.", [MP]),
        field("MailboxSynchFaxAction", "integer", "rw", {
            default: 1, appliesTo: UM, enum: { 0: "none", 1: "deliver", 2: "relay", 3: "accept and relay" }, example: 0,
            doc: "What mailbox synchronisation does with faxes.",
        }),
        field("MailboxSynchEmailAction", "integer", "rw", {
            default: 2, appliesTo: UM, enum: { 0: "none", 1: "deliver", 2: "relay", 3: "accept and relay" }, example: 1,
            doc: "What mailbox synchronisation does with email.",
        }),
        field("ProxyServer", "string", "rw", { appliesTo: [O365], maxLength: 255, example: "proxy.example.com:8080", doc: "HTTP proxy for Office 365." }),
        field("ClientId", "string", "rw", { appliesTo: [O365], maxLength: 255, doc: "Azure application (client) id for OAuth2." }),
        field("DirectoryID", "string", "rw", { name: "directoryId", appliesTo: [O365], maxLength: 255, doc: "Azure directory (tenant) id for OAuth2." }),
        field("ClientSecret", "string", "wo", { appliesTo: [O365], secret: true, maxLength: 255, doc: "Azure client secret for OAuth2 (write-only)." }),
        field("AdAuthenticationEndpoint", "string", "rw", { appliesTo: [O365], maxLength: 255, doc: "Azure AD sign-in endpoint." }),
        field("ResourceURI", "string", "rw", { appliesTo: [O365], maxLength: 255, doc: "Exchange Online resource URI." }),
        field("ExternalServiceResetURI", "string", "ro", { doc: "Path that resets the service." }),
    ],
});
