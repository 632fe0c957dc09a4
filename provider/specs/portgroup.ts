import { defineObject, field, OBJECT_ID, URI } from "./types";

const ro = (cupi: string, type: "string" | "boolean" | "integer", doc: string, extra: { name?: string; queryable?: boolean; sortable?: boolean; enum?: Record<string, string>; example?: string } = {}) =>
    field(cupi, type, "ro", { doc, ...extra });

const INTEGRATION = { 1: "SCCP (Skinny)", 2: "SIP", 3: "PIMG/TIMG" };

/** Port group (`/vmrest/portgroups`), REFERENCE.md §8.4: in scope only the MWI codes are writable. */
export const PortGroup = defineObject({
    kind: "PortGroup",
    element: "PortGroup",
    collection: "PortGroups",
    path: "portgroups",
    noun: "portgroup",
    operations: ["list", "get", "update"],
    fields: [
        URI("/vmrest/portgroups/035853ce-f4e6-4de2-bda2-84acf827a555"),
        OBJECT_ID,
        ro("DisplayName", "string", "Name of the port group, e.g. `PhoneSystem-1`.", { queryable: true, sortable: true, example: "PhoneSystem-1" }),
        ro("MediaPortGroupTemplateObjectId", "string", "Template the port group was built from."),
        ro("MediaSwitchObjectId", "string", "ObjectId of the phone system.", { name: "phoneSystemId", queryable: true, sortable: true }),
        ro("MediaSwitchDisplayName", "string", "Display name of the phone system.", { name: "phoneSystemDisplayName" }),
        ro("PhoneSystemURI", "string", "Path of the phone system."),
        ro("TelephonyIntegrationMethodEnum", "integer", "Integration method.", { enum: INTEGRATION, queryable: true }),
        ro("EnableMWI", "boolean", "Whether the group sends message waiting indications.", { queryable: true }),
        ro("CcmDoAutoFailback", "boolean", "Fail back to the primary Cisco Unified CM automatically."),
        field("MwiOnCode", "string", "rw", {
            default: "", maxLength: 40, pattern: /^[0-9*#A-Da-d,]*$/, expected: "a dial string of digits, *, #, A-D and `,` (a pause), or empty", example: "678",
            doc: "Dial string that turns message waiting indicators on (digits, *, #, A-D and `,` pauses; empty for none).",
        }),
        field("MwiOffCode", "string", "rw", {
            default: "", maxLength: 40, pattern: /^[0-9*#A-Da-d,]*$/, expected: "a dial string of digits, *, #, A-D and `,` (a pause), or empty", example: "876",
            doc: "Dial string that turns message waiting indicators off (digits, *, #, A-D and `,` pauses; empty for none).",
        }),
        ro("MwiRetryCountOnSuccess", "integer", "MWI retries after a success."),
        ro("MwiRetryIntervalOnSuccessMs", "integer", "Milliseconds between MWI retries."),
        ro("MwiMinRequestIntervalMs", "integer", "Minimum milliseconds between MWI requests."),
        ro("MwiMaxConcurrentRequests", "integer", "Maximum concurrent MWI requests."),
        ro("SipTransportProtocolEnum", "integer", "SIP transport.", { enum: { 10: "UDP", 11: "TCP" } }),
        ro("SipTLSModeEnum", "integer", "SIP TLS mode.", { enum: { 10: "authenticated", 11: "encrypted" } }),
        ro("SipRegisterWithProxyServer", "boolean", "Register with the SIP proxy."),
        ro("SipDoAuthenticate", "boolean", "Authenticate with the SIP server."),
        ro("SipDoSRTP", "boolean", "Use SRTP."),
        ro("SkinnyDevicePrefix", "string", "SCCP device name prefix."),
        ro("PortCount", "integer", "Number of ports in the group."),
        ro("ResetStatusEnum", "integer", "Whether the group needs a reset.", { enum: { 0: "not required", 100: "reset required", 101: "in progress" } }),
    ],
});

/** Voice messaging port (`/vmrest/ports`), REFERENCE.md §8.5: read-only. */
export const Port = defineObject({
    kind: "Port",
    element: "Port",
    collection: "Ports",
    path: "ports",
    noun: "port",
    operations: ["list", "get"],
    fields: [
        URI("/vmrest/ports/2806ecdc-0a3d-43f3-a2c8-93d786fa506b"),
        OBJECT_ID,
        ro("DisplayName", "string", "Name of the port, e.g. `PhoneSystem-1-001`.", { queryable: true, sortable: true, example: "PhoneSystem-1-001" }),
        ro("MediaPortGroupObjectId", "string", "ObjectId of the port group.", { name: "portGroupId", queryable: true, sortable: true }),
        ro("PortGroupURI", "string", "Path of the port group."),
        ro("MediaPortGroupDisplayName", "string", "Display name of the port group.", { name: "portGroupDisplayName" }),
        ro("MediaPortGroupEnableMWI", "boolean", "Copied from the port group."),
        ro("MediaPortGroupMwiReqPortSpecific", "boolean", "Copied from the port group."),
        ro("MediaSwitchObjectId", "string", "ObjectId of the phone system.", { name: "phoneSystemId", queryable: true, sortable: true }),
        ro("MediaSwitchDisplayName", "string", "Display name of the phone system.", { name: "phoneSystemDisplayName" }),
        ro("PhoneSystemURI", "string", "Path of the phone system."),
        ro("TelephonyIntegrationMethodEnum", "integer", "Integration method.", { enum: INTEGRATION }),
        ro("PortNumInGroup", "integer", "1-based number of the port in its group.", { sortable: true }),
        ro("HuntOrder", "integer", "Hunt order."),
        ro("SkinnyDeviceName", "string", "SCCP device name.", { queryable: true }),
        ro("SkinnySecurityModeEnum", "integer", "SCCP security mode.", { enum: { 0: "non-secure", 1: "authenticated", 2: "encrypted" } }),
        ro("SkinnyDoMediaEncryption", "boolean", "Encrypt media."),
        ro("PimgPortNumber", "integer", "PIMG port number."),
        ro("CapAnswer", "boolean", "Answers calls."),
        ro("CapNotification", "boolean", "Places notification calls."),
        ro("CapMWI", "boolean", "Sends MWI requests."),
        ro("CapEnabled", "boolean", "Port is enabled."),
        ro("CapDeliverAmis", "boolean", "Delivers AMIS messages."),
        ro("CapTrapConnection", "boolean", "Serves TRaP connections."),
        ro("SipSendPort", "integer", "SIP send port."),
        ro("VmsServerObjectId", "string", "Cluster node owning the port."),
        ro("VmsServerName", "string", "Name of the cluster node owning the port."),
    ],
});
