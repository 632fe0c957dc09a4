import { defineObject, field, OBJECT_ID, URI } from "./types";

const bool = (cupi: string, def: boolean, doc: string) =>
    field(cupi, "boolean", "rw", { default: def, doc, example: !def });

/** Phone system (`/vmrest/phonesystems`), REFERENCE.md §8.1. Defaults are the seed's untouched system. */
export const PhoneSystem = defineObject({
    kind: "PhoneSystem",
    element: "PhoneSystem",
    collection: "PhoneSystems",
    path: "phonesystems",
    noun: "phonesystem",
    operations: ["list", "get", "create", "update", "delete"],
    key: "DisplayName",
    fields: [
        URI("/vmrest/phonesystems/aa6d3f45-ccdf-4fa2-8170-e5c94b51813a"),
        OBJECT_ID,
        field("DisplayName", "string", "rw", {
            mandatory: true, maxLength: 64, queryable: true, sortable: true, example: "CUCM-Cluster-1",
            doc: "Name of the phone system, unique on the server (the only field CUPI requires).",
        }),
        bool("MwiAlwaysUpdate", false, "Send MWI requests even when the lamp is believed to be in the right state."),
        bool("MwiPortMemory", false, "Use the port that turned a lamp on to turn it off."),
        bool("MwiForceOff", false, "Turn off every message waiting indicator of this phone system."),
        bool("CallLoopSupervisedTransferDetect", false, "Detect call loops during supervised transfers."),
        bool("CallLoopForwardNotificationDetect", false, "Detect call loops on forwarded notification calls."),
        bool("CallLoopExtensionDetect", true, "Detect call loops on extensions."),
        field("CallLoopDTMF", "string", "rw", {
            default: "A", pattern: /^[0-9A-D*#]$/, expected: "one DTMF digit: 0-9, A-D, * or #", example: "B",
            doc: "The DTMF digit (0-9, A-D, * or #) used to detect call loops.",
        }),
        field("CallLoopGuardTimeMs", "integer", "rw", {
            default: 2500, min: 0, max: 60000, example: 3000,
            doc: "Milliseconds to wait for the call-loop DTMF tone.",
        }),
        field("PortCount", "integer", "ro", { doc: "Number of voice messaging ports across the port groups." }),
        bool("EnablePhoneApplications", false, "Allow phone view and other phone applications."),
        bool("DefaultTRaPSwitch", false, "The phone system used for Telephone Record and Playback calls (exactly one system is)."),
        bool("RestrictDialUnconditional", false, "Restrict outdialing at all times."),
        bool("RestrictDialScheduled", false, "Restrict outdialing between RestrictDialStartTime and RestrictDialEndTime."),
        field("RestrictDialStartTime", "integer", "rw", {
            default: 0, min: 0, max: 1439, example: 1200, doc: "Start of restricted dialing, minutes after midnight.",
        }),
        field("RestrictDialEndTime", "integer", "rw", {
            default: 0, min: 0, max: 1439, example: 420, doc: "End of restricted dialing, minutes after midnight.",
        }),
        field("AXLServerURI", "string", "ro", { doc: "Path of this phone system's AXL servers." }),
        field("PhoneSystemAssociationURI", "string", "ro", { doc: "Path of the users associated with this phone system." }),
        field("TenantObjectId", "string", "ro", { queryable: true, doc: "Tenant owning the phone system (multi-tenant installs)." }),
    ],
});

/** AXL server of a phone system (`/vmrest/phonesystems/{id}/axlservers`), REFERENCE.md §8.2. */
export const AxlServer = defineObject({
    kind: "AxlServer",
    element: "AXLServer",
    collection: "AXLServers",
    path: "phonesystems/{parent}/axlservers",
    noun: "axlserver",
    operations: ["list", "get", "create", "update", "delete"],
    parent: { kind: "PhoneSystem", field: "MediaSwitchObjectId" },
    fields: [
        URI("/vmrest/phonesystems/24f1171f-27b3-4ad3-a94c-66d1fb2e448b/axlservers/5f3c84e3-8ab1-4fae-a051-bc1db938dae4"),
        OBJECT_ID,
        field("MediaSwitchObjectId", "string", "rw", {
            name: "phoneSystemId", replace: true, createOnly: true, queryable: true,
            doc: "ObjectId of the phone system the AXL server belongs to.",
        }),
        field("PhoneSystemURI", "string", "ro", { doc: "Path of the parent phone system." }),
        field("MediaRemoteServiceEnum", "integer", "rw", {
            default: 103, enum: { 103: "CCM AXL" },
            doc: "Kind of remote service; always 103 (Cisco Unified CM AXL) for AXL servers.",
        }),
        field("HostOrIPAddress", "string", "rw", {
            mandatory: true, format: "host", maxLength: 255, example: "10.105.255.1",
            doc: "Host name or IPv4 address of the Cisco Unified CM AXL service.",
        }),
        field("HostOrIPAddressV6", "string", "rw", { default: "", format: "ipv6", maxLength: 255, example: "2001:db8::10", doc: "IPv6 address of the AXL service." }),
        field("Port", "integer", "rw", { default: 0, min: 0, max: 65535, example: 8443, doc: "AXL port (443 or 8443 on current CUCM releases)." }),
        field("TlsPort", "integer", "rw", { default: 0, min: 0, max: 65535, example: 2443, doc: "TLS port." }),
        field("Precedence", "integer", "rw", { default: 0, min: 0, max: 100, example: 0, doc: "Order in which Connection tries the AXL servers; 0 is the primary." }),
        field("SkinnyStateMachineEnum", "integer", "ro", { default: 10, enum: { 10: "CUCM", 20: "CUCM Express" }, doc: "Call manager flavour." }),
        field("CcmAXLUser", "string", "rw", { default: "", maxLength: 64, example: "axl-service", doc: "Application user on Cisco Unified CM with AXL access." }),
        field("CcmAXLPassword", "string", "wo", { secret: true, maxLength: 64, example: "axl-s3cret", doc: "Password of the AXL user (write-only: CUPI returns it empty)." }),
        field("IsPinSyncEnabled", "boolean", "rw", {
            default: false, example: true,
            doc: "Synchronise phone PINs with Cisco Unified CM (11.5(1)+; honoured only on the primary AXL server).",
        }),
        field("CcmVersion", "integer", "rw", { doc: "Cisco Unified CM version code (2022 guide only; meaning undocumented)." }),
    ],
});

/** Users tied to a phone system (`/vmrest/phonesystems/{id}/phonesystemassociations`), read-only. */
export const PhoneSystemAssociation = defineObject({
    kind: "PhoneSystemAssociation",
    element: "PhoneSystemAssociation",
    collection: "PhoneSystemAssociations",
    path: "phonesystems/{parent}/phonesystemassociations",
    noun: "phonesystemassociation",
    operations: ["list"],
    parent: { kind: "PhoneSystem", field: "MediaSwitchObjectId" },
    fields: [
        URI("/vmrest/phonesystems/24f1171f-27b3-4ad3-a94c-66d1fb2e448b/phonesystemassociations/6b455973-13d1-4b10-871e-1d1d55f160d2"),
        field("ObjectId", "string", "ro", { queryable: true, sortable: true, doc: "The user's ObjectId." }),
        field("Alias", "string", "ro", { queryable: true, sortable: true, doc: "The user's alias." }),
        field("DisplayName", "string", "ro", { queryable: true, sortable: true, doc: "The user's display name." }),
        field("MediaSwitchObjectId", "string", "ro", { name: "phoneSystemId", doc: "ObjectId of the phone system." }),
        field("MediaSwitchDisplayName", "string", "ro", { name: "phoneSystemDisplayName", doc: "Display name of the phone system." }),
        field("PhoneSystemURI", "string", "ro", { doc: "Path of the phone system." }),
        field("numNotificationDevice", "integer", "ro", { doc: "Notification devices of the user on this phone system." }),
        field("numNotificationMWI", "integer", "ro", { doc: "MWI devices of the user on this phone system." }),
        field("numPrimaryCallHandler", "integer", "ro", { doc: "Primary call handlers of the user on this phone system." }),
    ],
});
