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

/**
 * An ObjectId derived from another (its parent's, its owner's) and a label: the GUID's hex digits
 * XORed with a mask made from the label, whose version and variant digits are zero. Deterministic,
 * and its own inverse (`derivedId(derivedId(id, l), l) === id`), so a derived row's ObjectId leads
 * back to what it is derived from without a table of them.
 */
const masks = new Map<string, number[]>();
const HEX = "0123456789abcdef";
export function derivedId(base: string, label: string): string {
    let mask = masks.get(label);
    if (!mask) {
        // A dash stays a dash (-1); the version and variant digits (14, 19) stay as they are (0).
        mask = [...seededGuid(label, 0)].map((c, i) => (c === "-" ? -1 : i === 14 || i === 19 ? 0 : HEX.indexOf(c)));
        masks.set(label, mask);
    }
    let out = "";
    for (let i = 0; i < mask.length; i++) {
        const c = base.charCodeAt(i) | 32; // lower case
        out += mask[i] < 0 ? "-" : HEX[((c <= 57 ? c - 48 : c - 87) & 15) ^ mask[i]];
    }
    return out;
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

/** The first phone system and its first port group keep the ids of Cisco's examples (REFERENCE.md). */
export const FIRST_PHONE_SYSTEM_ID = "05186ad4-572c-48d1-aaa6-ac22280c8702";
export const FIRST_PORT_GROUP_ID = "035853ce-f4e6-4de2-bda2-84acf827a555";

/** The built-in objects every Connection server has, by the ids the default dataset gives them. */
export const BUILT_IN = {
    operator: "6b455973-13d1-4b10-871e-1d1d55f160d2",
    undeliverableMailbox: "219ce340-a3a5-428c-8dc6-4776690b69ee",
    location: seededGuid("location", 1),
    mailboxStore: seededGuid("mailboxstore", 1),
    partition: seededGuid("partition", 1),
    searchSpace: seededGuid("searchspace", 1),
    voiceMailCos: seededGuid("cos", 1),
    systemCos: seededGuid("cos", 2),
    callHandlerTemplate: seededGuid("callhandlertemplate", 1),
    voiceMailTemplate: seededGuid("usertemplate", 1),
    administratorTemplate: seededGuid("usertemplate", 2),
    contactTemplate: seededGuid("contacttemplate", 1),
    undeliverableList: seededGuid("distributionlist", 1),
    allUsersList: seededGuid("distributionlist", 2),
    allContactsList: seededGuid("distributionlist", 3),
    openingGreeting: seededGuid("callhandler", 1),
    operatorHandler: seededGuid("callhandler", 2),
    goodbye: seededGuid("callhandler", 3),
    allHoursSchedule: seededGuid("schedule", 1),
    weekdaysSchedule: seededGuid("schedule", 2),
    holidaysSchedule: seededGuid("schedule", 3),
    allHoursSet: seededGuid("scheduleset", 1),
    weekdaysSet: seededGuid("scheduleset", 2),
} as const;

/**
 * The system list whose members are every user with a mailbox (EVERYDAY.md §6.1, §3.5): the store
 * derives its membership from the users instead of keeping 20,000 rows.
 */
export const ALL_USERS_LIST_ALIAS = "allvoicemailusers";

/** The record a kind's table defaults give, with `values` over them. */
function withDefaults(kind: string, values: CupiRecord): CupiRecord {
    const out: CupiRecord = {};
    for (const f of SPECS[kind].fields) if (f.default !== undefined && !f.param) out[f.cupi] = f.default;
    return { ...out, ...values };
}

const CREATED = "2024-01-15T09:30:00Z";

/**
 * Builds a consistent dataset. With no options it is the simulator's default: one phone system
 * (the ids of the seed's port-group pages) with two port groups of four ports each, a tenant, and
 * the built-ins of a fresh Connection server: users `operator` and `undeliverablemessagesmailbox`
 * with their primary call handlers, the default user, administrator and contact templates, the
 * two built-in classes of service, the default partition and search space, the three system lists,
 * a mailbox store, this server's location, the system call handler template and the Opening
 * Greeting, Operator and Goodbye handlers. Every reference between them holds.
 */
export function generateDataset(opts: GenerateOptions = {}): Dataset {
    const systems = opts.phoneSystems ?? 1;
    const groupsPer = opts.portGroupsPerSystem ?? 2;
    const portsPer = opts.portsPerGroup ?? 4;
    const data: Record<string, CupiRecord[]> = { PhoneSystem: [], PortGroup: [], Port: [] };
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
    const phone: CupiRecord = data.PhoneSystem[0] ? { MediaSwitchObjectId: data.PhoneSystem[0].ObjectId } : {};
    const server = VMS_SERVER.VmsServerName;
    const b = BUILT_IN;
    const here = { LocationObjectId: b.location };
    const undeletable = { Undeletable: true, ...here };
    const dialPlan = { PartitionObjectId: b.partition, SearchByExtensionSearchSpaceObjectId: b.searchSpace, SearchByNameSearchSpaceObjectId: b.searchSpace };
    data.Tenant = [{
        ObjectId: "fe6541fb-b42c-44f2-8404-ded14cbf7438",
        Alias: "tenant-a",
        Name: "Tenant A",
        Description: "Default tenant of the simulator",
        SmtpDomain: "tenant-a.example.com",
        PilotNumber: "5000",
        Language: 1033,
        TimeZone: "Etc/UTC",
        MailboxStoreObjectId: b.mailboxStore,
        PartitionObjectId: b.partition,
        PhoneSystemObjectId: data.PhoneSystem[0]?.ObjectId ?? "",
        MediaSwitchObjectId: data.PhoneSystem[0]?.ObjectId ?? "",
        CreationDate: CREATED,
    }];
    data.Location = [{ ObjectId: b.location, DisplayName: server, HostAddress: `${server}.example.com`, IsPrimary: true }];
    data.MailboxStore = [{ ObjectId: b.mailboxStore, DisplayName: "Unity Messaging Database - 1", ServerName: server, Mounted: true, MaxSizeMB: 15360 }];
    data.Partition = [withDefaults("Partition", { ObjectId: b.partition, Name: `${server} Partition`, Description: `${server} Partition`, ...undeletable })];
    data.SearchSpace = [withDefaults("SearchSpace", { ObjectId: b.searchSpace, Name: `${server} Search Space`, Description: `${server} Search Space`, TimeOwnershipChanged: CREATED, ...undeletable })];
    data.SearchSpaceMember = [{ ObjectId: seededGuid("searchspacemember", 1), SearchSpaceObjectId: b.searchSpace, PartitionObjectId: b.partition, SortOrder: 1 }];
    data.ClassOfService = [
        withDefaults("ClassOfService", { ObjectId: b.voiceMailCos, DisplayName: "Voice Mail User COS", ReadOnly: false, ...undeletable }),
        withDefaults("ClassOfService", { ObjectId: b.systemCos, DisplayName: "System", ReadOnly: false, ...undeletable }),
    ];
    const handlerDefaults = withDefaults("CallHandlerTemplate", {
        PartitionObjectId: b.partition, CallSearchSpaceObjectId: b.searchSpace, ...phone,
        // After a message: on to the Goodbye handler's greeting, as on a fresh server.
        AfterMessageTargetConversation: "PHGreeting", AfterMessageTargetHandlerObjectId: b.goodbye,
    });
    data.CallHandlerTemplate = [{ ObjectId: b.callHandlerTemplate, DisplayName: "System Call Handler Template", ...handlerDefaults, Undeletable: true }];
    const template = (id: string, alias: string, name: string, cos: string) => withDefaults("UserTemplate", {
        ObjectId: id, Alias: alias, DisplayName: name, CosObjectId: cos, ...dialPlan, ...phone, MailboxStoreObjectId: b.mailboxStore,
        ListInDirectory: true, ReadOnly: false, CreationTime: CREATED, CallHandlerObjectId: b.callHandlerTemplate, ...undeletable,
    });
    data.UserTemplate = [
        template(b.voiceMailTemplate, "voicemailusertemplate", "Voice Mail User Template", b.voiceMailCos),
        template(b.administratorTemplate, "administratortemplate", "Administrator Template", b.systemCos),
    ];
    data.ContactTemplate = [{ ObjectId: b.contactTemplate, Alias: "systemcontacttemplate", DisplayName: "System Contact Template", PartitionObjectId: b.partition, ListInDirectory: false, Undeletable: true }];
    const list = (id: string, alias: string, name: string, more: CupiRecord = {}) => withDefaults("DistributionList", {
        ObjectId: id, Alias: alias, DisplayName: name, PartitionObjectId: b.partition, IsPublic: true, CreationTime: CREATED, ...undeletable, ...more,
    });
    data.DistributionList = [
        list(b.undeliverableList, "undeliverablemessages", "Undeliverable Messages"),
        list(b.allUsersList, ALL_USERS_LIST_ALIAS, "All Voice Mail Users", { DtmfAccessId: "99991" }),
        list(b.allContactsList, "allvoicemailenabledcontacts", "All Voicemail-Enabled Contacts", { DtmfAccessId: "99992", AllowContacts: true }),
    ];
    data.DistributionListMember = [{ ObjectId: seededGuid("distributionlistmember", 1), DistributionListObjectId: b.undeliverableList, MemberUserObjectId: b.undeliverableMailbox }];
    const user = (id: string, alias: string, name: string) => withDefaults("User", {
        ObjectId: id, Alias: alias, DisplayName: name, CosObjectId: b.systemCos, ...dialPlan, ...phone, MailboxStoreObjectId: b.mailboxStore,
        IsTemplate: false, CreationTime: CREATED, CallHandlerObjectId: derivedId(id, "CallHandler"), ...undeletable,
    });
    data.User = [
        user(b.undeliverableMailbox, "undeliverablemessagesmailbox", "Undeliverable Messages Mailbox"),
        user(b.operator, "operator", "Operator"),
    ];
    // A fresh server's schedules (EVERYDAY.md §9): All Hours, Weekdays (08:00-17:00), and Holidays (none yet), each in its set.
    const owned = { OwnerLocationObjectId: b.location, ...undeletable };
    data.Schedule = [
        withDefaults("Schedule", { ObjectId: b.allHoursSchedule, DisplayName: "All Hours", ...owned }),
        withDefaults("Schedule", { ObjectId: b.weekdaysSchedule, DisplayName: "Weekdays", ...owned }),
        withDefaults("Schedule", { ObjectId: b.holidaysSchedule, DisplayName: "Holidays", IsHoliday: true, ...owned }),
    ];
    const days = (on: string[]) => Object.fromEntries(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].map((d) => [`IsActive${d}`, on.includes(d)]));
    data.ScheduleDetail = [
        { ObjectId: seededGuid("scheduledetail", 1), ScheduleObjectId: b.allHoursSchedule, Subject: "All Hours", StartTime: 0, EndTime: 0, ...days(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) },
        { ObjectId: seededGuid("scheduledetail", 2), ScheduleObjectId: b.weekdaysSchedule, Subject: "Weekdays", StartTime: 480, EndTime: 1020, ...days(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]) },
    ];
    data.ScheduleSet = [
        withDefaults("ScheduleSet", { ObjectId: b.allHoursSet, DisplayName: "All Hours", ...owned }),
        withDefaults("ScheduleSet", { ObjectId: b.weekdaysSet, DisplayName: "Weekdays", ...owned }),
    ];
    data.ScheduleSetMember = [
        { ObjectId: seededGuid("schedulesetmember", 1), ScheduleSetObjectId: b.allHoursSet, ScheduleObjectId: b.allHoursSchedule, Exclude: false },
        { ObjectId: seededGuid("schedulesetmember", 2), ScheduleSetObjectId: b.weekdaysSet, ScheduleObjectId: b.weekdaysSchedule, Exclude: false },
        { ObjectId: seededGuid("schedulesetmember", 3), ScheduleSetObjectId: b.weekdaysSet, ScheduleObjectId: b.holidaysSchedule, Exclude: true },
    ];
    const handler = (id: string, name: string, more: CupiRecord) => ({ ObjectId: id, DisplayName: name, ...handlerDefaults, IsTemplate: false, CreationTime: CREATED, ...here, ...more });
    data.CallHandler = [
        ...data.User.map((u) => handler(String(u.CallHandlerObjectId), String(u.DisplayName), { IsPrimary: true, Undeletable: false, RecipientSubscriberObjectId: u.ObjectId })),
        handler(b.openingGreeting, "Opening Greeting", { IsPrimary: false, Undeletable: true, RecipientDistributionListObjectId: b.undeliverableList }),
        handler(b.operatorHandler, "Operator", { IsPrimary: false, Undeletable: true, RecipientSubscriberObjectId: b.operator }),
        handler(b.goodbye, "Goodbye", { IsPrimary: false, Undeletable: true, RecipientDistributionListObjectId: b.undeliverableList }),
    ];
    return data;
}

const FIRST_NAMES = ["Aaron", "Amelia", "Ana", "Ben", "Carla", "Chen", "Chloe", "Daniel", "David", "Elena", "Emma", "Farid", "Fatima", "Gabriel", "Grace", "Hannah", "Hiroshi", "Ines", "Isaac", "Jack", "Jana", "Javier", "Julia", "Kai", "Karin", "Lars", "Laura", "Leila", "Liam", "Lucia", "Marco", "Maria", "Mateo", "Mei", "Mia", "Nadia", "Noah", "Olga", "Omar", "Paul", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Thomas", "Ursula", "Victor", "Wei", "Yasmin", "Yusuf", "Zoe"];
const LAST_NAMES = ["Abbott", "Adeyemi", "Alvarez", "Bauer", "Bernard", "Brown", "Chen", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Gomez", "Haddad", "Hansen", "Ivanova", "Jansen", "Johnson", "Kaur", "Kim", "Kowalski", "Larsen", "Lee", "Lopez", "Martin", "Meyer", "Moreau", "Müller-Weiss", "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Patel", "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Van der Berg", "Wagner", "Walker", "Wang", "Williams", "Yilmaz", "Zhang"];
const DEPARTMENTS = ["Sales", "Support", "Engineering", "Finance", "Human Resources", "Marketing", "Legal", "Operations", "Facilities", "Purchasing", "Research", "Logistics"];
const TITLES = ["Engineer", "Manager", "Analyst", "Specialist", "Coordinator", "Director", "Assistant", "Consultant"];

/** The most users `--users` seeds: their 4- and 5-digit extensions stay below the system lists' 99991. */
export const MAX_SEEDED_USERS = 80_000;

/**
 * N realistic user create requests, the same every time: varied first and last names, aliases
 * unique like `jana.kowalski2`, extensions unique in the default partition (2000-9999, then
 * 20000-91999), departments and titles, from voicemailusertemplate, each with the seeded ObjectId it gets.
 */
export function* seedUsers(n: number): Generator<{ id: string; body: CupiRecord; params: Record<string, string> }> {
    if (!Number.isInteger(n) || n < 0 || n > MAX_SEEDED_USERS) throw new Error(`users: between 0 and ${MAX_SEEDED_USERS}, got ${n}`);
    const taken = new Map<string, number>();
    for (let i = 0; i < n; i++) {
        const first = FIRST_NAMES[i % FIRST_NAMES.length];
        const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length + i * 7) % LAST_NAMES.length];
        const base = `${first}.${last}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "");
        const seen = (taken.get(base) ?? 0) + 1;
        taken.set(base, seen);
        const alias = seen === 1 ? base : `${base}${seen}`;
        yield {
            id: seededGuid("user", i + 1),
            params: { templateAlias: "voicemailusertemplate" },
            body: {
                Alias: alias,
                DtmfAccessId: String(i < 8000 ? 2000 + i : 20000 + i - 8000),
                FirstName: first,
                LastName: last,
                DisplayName: `${first} ${last}`,
                Department: DEPARTMENTS[(i * 7 + Math.floor(i / DEPARTMENTS.length)) % DEPARTMENTS.length],
                Title: TITLES[(i * 3) % TITLES.length],
                EmailAddress: `${alias}@example.com`,
            },
        };
    }
}
