/**
 * Simulator data: what a Connection server stores, keyed by kind, in CUPI field names. Computed
 * fields (URIs, PortCount, parent display names) are not stored; the store derives them on read.
 */
import type { CupiRecord } from "../provider/client/codec";
import { SPECS } from "../provider/specs";

/** Every kind the specs declare (provider/specs SPECS): the store keeps one table each. */
export type Kind = keyof typeof SPECS & string;
export const KINDS: readonly Kind[] = Object.keys(SPECS);
/** The kinds in SPECS now: a store started after an object was added to SPECS keeps a table for it too. */
export const kindsNow = (): Kind[] => Object.keys(SPECS);

/** A dataset file (`--data`, `--state`): `{ "PhoneSystem": [ { "ObjectId": ..., ... } ], ... }`. */
export type Dataset = Partial<Record<Kind, CupiRecord[]>>;

/** Deterministic GUIDs for generated data, so seeded datasets are reproducible. */
export function seededGuid(label: string, n: number): string {
    let h = 0x811c9dc5;
    const hex: string[] = [];
    for (let round = 0; round < 4; round++) {
        for (const ch of `${label}:${n}:${round}`) {
            h ^= ch.charCodeAt(0);
            h = Math.imul(h, 0x01000193) >>> 0;
        }
        hex.push(h.toString(16).padStart(8, "0"));
    }
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

export interface GenerateOptions {
    /** Phone systems to create (the first is the TRaP default). */
    phoneSystems?: number;
    portGroupsPerSystem?: number;
    portsPerGroup?: number;
}

const VMS_SERVER = { VmsServerObjectId: "a7ba129e-6420-4d44-b060-93b638ba866a", VmsServerName: "cuc-install-55" };

function portGroup(id: string, systemId: string, name: string, sip: boolean): CupiRecord {
    return {
        ObjectId: id,
        DisplayName: name,
        MediaPortGroupTemplateObjectId: "90dd306f-b8af-46b6-8289-f13437cc1e5e",
        MediaSwitchObjectId: systemId,
        TelephonyIntegrationMethodEnum: sip ? 2 : 1,
        EnableMWI: true,
        CcmDoAutoFailback: true,
        MwiOnCode: "",
        MwiOffCode: "",
        MwiRetryCountOnSuccess: 0,
        MwiRetryIntervalOnSuccessMs: 5,
        SipTransportProtocolEnum: 10,
        SipRegisterWithProxyServer: false,
        SipDoAuthenticate: false,
        SkinnyDevicePrefix: sip ? "" : `${name.replace(/[^A-Za-z0-9]/g, "")}-VI`,
        MwiMinRequestIntervalMs: 0,
        MwiMaxConcurrentRequests: 0,
        SipDoSRTP: true,
        SipTLSModeEnum: 11,
        ResetStatusEnum: 0,
    };
}

function port(id: string, group: CupiRecord, n: number): CupiRecord {
    const sip = group.TelephonyIntegrationMethodEnum === 2;
    const record: CupiRecord = {
        ObjectId: id,
        MediaPortGroupObjectId: group.ObjectId,
        TelephonyIntegrationMethodEnum: group.TelephonyIntegrationMethodEnum,
        PortNumInGroup: n,
        VmsServerObjectId: VMS_SERVER.VmsServerObjectId,
        HuntOrder: 0,
        DisplayName: `${group.DisplayName}-${String(n).padStart(3, "0")}`,
        PimgPortNumber: n,
        CapAnswer: true,
        CapNotification: true,
        CapMWI: true,
        CapEnabled: true,
        CapDeliverAmis: false,
        CapTrapConnection: true,
        MediaPortGroupMwiReqPortSpecific: true,
        SipSendPort: 0,
        VmsServerName: VMS_SERVER.VmsServerName,
    };
    if (!sip) {
        record.SkinnySecurityModeEnum = 0;
        record.SkinnyDoMediaEncryption = false;
        record.SkinnyDeviceName = `${group.SkinnyDevicePrefix}${n}`;
    }
    return record;
}

/** A phone-system default, as the seed shows an untouched one. */
export function phoneSystem(id: string, name: string, trap: boolean): CupiRecord {
    return {
        ObjectId: id,
        DisplayName: name,
        MwiAlwaysUpdate: false,
        MwiPortMemory: false,
        CallLoopSupervisedTransferDetect: false,
        CallLoopForwardNotificationDetect: false,
        CallLoopDTMF: "A",
        CallLoopGuardTimeMs: 2500,
        EnablePhoneApplications: false,
        DefaultTRaPSwitch: trap,
        MwiForceOff: false,
        RestrictDialUnconditional: false,
        RestrictDialScheduled: false,
        RestrictDialStartTime: 0,
        RestrictDialEndTime: 0,
        CallLoopExtensionDetect: true,
    };
}

/**
 * Builds a consistent dataset. With no options it is the simulator's default: one phone system
 * (the ids of the seed's port-group pages) with two port groups of four ports each, two associated
 * users and a tenant, so that data sources and imports find something real.
 */
/** The first phone system and its first port group keep the ids of Cisco's examples (REFERENCE.md). */
export const FIRST_PHONE_SYSTEM_ID = "05186ad4-572c-48d1-aaa6-ac22280c8702";
export const FIRST_PORT_GROUP_ID = "035853ce-f4e6-4de2-bda2-84acf827a555";

export function generateDataset(opts: GenerateOptions = {}): Dataset {
    const systems = opts.phoneSystems ?? 1;
    const groupsPer = opts.portGroupsPerSystem ?? 2;
    const portsPer = opts.portsPerGroup ?? 4;
    const data: Record<"PhoneSystem" | "PortGroup" | "Port" | "PhoneSystemAssociation" | "Tenant", CupiRecord[]> = {
        PhoneSystem: [], PortGroup: [], Port: [], PhoneSystemAssociation: [], Tenant: [],
    };
    for (let s = 0; s < systems; s++) {
        const sysId = s === 0 ? FIRST_PHONE_SYSTEM_ID : seededGuid("phonesystem", s);
        const sysName = s === 0 ? "PhoneSystem" : `PhoneSystem${s + 1}`;
        data.PhoneSystem.push(phoneSystem(sysId, sysName, s === 0));
        for (let g = 0; g < groupsPer; g++) {
            const gid = s === 0 && g === 0 ? FIRST_PORT_GROUP_ID : seededGuid(`portgroup-${s}`, g);
            const group = portGroup(gid, sysId, `${sysName}-${g + 1}`, g % 2 === 1);
            data.PortGroup.push(group);
            for (let p = 1; p <= portsPer; p++) {
                const pid =
                    s === 0 && g === 0 && p === 1 ? "2806ecdc-0a3d-43f3-a2c8-93d786fa506b"
                    : s === 0 && g === 0 && p === 2 ? "f87ad180-7d06-48c9-b9bd-e6b5cd2311bc"
                    : seededGuid(`port-${s}-${g}`, p);
                data.Port.push(port(pid, group, p));
            }
        }
    }
    const first = data.PhoneSystem[0];
    if (first) {
        data.PhoneSystemAssociation.push(
            { ObjectId: "219ce340-a3a5-428c-8dc6-4776690b69ee", Alias: "undeliverablemessagesmailbox", DisplayName: "Undeliverable Messages Mailbox", MediaSwitchObjectId: first.ObjectId, numNotificationDevice: 4, numNotificationMWI: 1, numPrimaryCallHandler: 1 },
            { ObjectId: "6b455973-13d1-4b10-871e-1d1d55f160d2", Alias: "operator", DisplayName: "Operator", MediaSwitchObjectId: first.ObjectId, numNotificationDevice: 4, numNotificationMWI: 1, numPrimaryCallHandler: 1 },
        );
    }
    data.Tenant.push({
        ObjectId: "fe6541fb-b42c-44f2-8404-ded14cbf7438",
        Alias: "tenant-a",
        Name: "Tenant A",
        Description: "Default tenant of the simulator",
        SmtpDomain: "tenant-a.example.com",
        PilotNumber: "5000",
        Language: 1033,
        TimeZone: "Etc/UTC",
        MailboxStoreObjectId: seededGuid("mailboxstore", 1),
        PartitionObjectId: seededGuid("partition", 1),
        PhoneSystemObjectId: first?.ObjectId ?? "",
        MediaSwitchObjectId: first?.ObjectId ?? "",
        CreationDate: "2024-01-15T09:30:00Z",
    });
    return data;
}
