/**
 * Resource definitions: which fields of a CUPI object a resource manages, how its id is formed,
 * and the few operations that differ from plain CRUD (HTTPS links join and unjoin; a port group's
 * MWI codes are patched on an object that already exists). One engine (engine.ts) serves them all.
 */
import type { CupiClient } from "./client/client";
import type { CupiRecord } from "./client/codec";
import { isCupiError } from "./client/errors";
import { AxlServer, ExternalService, HttpsLink, PhoneSystem, PortGroup, SERVER_TYPE } from "./specs";
import { GUID_RE, type Field, type ObjectSpec, type Scalar } from "./specs/types";

/** An input that is not a CUPI field (e.g. PortGroupMwi's restoreOnDelete). */
export interface ExtraInput {
    name: string;
    type: "string" | "boolean";
    doc: string;
    replace?: boolean;
    guid?: boolean;
    mandatory?: boolean;
}

export interface Ops {
    /** Creates the object; returns its ObjectId and outputs that only create can know. */
    create(c: CupiClient, fields: CupiRecord, inputs: Record<string, unknown>): Promise<{
        objectId: string;
        recovered: boolean;
        extra?: Record<string, unknown>;
        /** Fields the create request cannot carry, PUT right after (the engine does it safely). */
        followUp?: CupiRecord;
    }>;
    /** The object, or undefined when it is gone. */
    get(c: CupiClient, objectId: string, parentId?: string): Promise<CupiRecord | undefined>;
    update(c: CupiClient, objectId: string, fields: CupiRecord, parentId?: string): Promise<void>;
    remove(c: CupiClient, objectId: string, props: Record<string, unknown>): Promise<void>;
}

export interface ResourceDef {
    /** Type token `cuc:<kind>`. */
    kind: string;
    spec: ObjectSpec;
    /** CUPI fields the user manages. */
    inputs: readonly Field[];
    extraInputs?: readonly ExtraInput[];
    /** Inputs used only to create the object (join credentials): never diffed, never replaced. */
    createOnlyInputs?: readonly string[];
    /** DisplayName may be omitted: the resource name plus a suffix derived from the stack and the name. */
    autoName?: boolean;
    /** Input holding the parent phone system's ObjectId (AXL servers). */
    parentInput?: string;
    /** Fixed CUPI values sent on create. */
    createDefaults?: CupiRecord;
    /** Readable aliases for integer enum inputs, e.g. serverType "Office 365" -> 5. */
    aliases?: Record<string, Record<string, number>>;
    /** Cross-field rules: failures that name the input and the fix. */
    rules?: (news: Record<string, unknown>, olds: Record<string, unknown>, isUnknown: (v: unknown) => boolean) => { property: string; reason: string }[];
    /** How the resource id is formed from the ObjectId (and parent) and parsed back. */
    idFormat: string;
    makeId(objectId: string, parentId?: string): string;
    parseId(id: string): { objectId: string; parentId?: string } | undefined;
    ops: Ops;
}

const plainId = {
    idFormat: "the object's ObjectId (a GUID)",
    makeId: (objectId: string) => objectId,
    parseId: (id: string) => (GUID_RE.test(id) ? { objectId: id.toLowerCase() } : undefined),
};
const fields = (spec: ObjectSpec, names: string[]) => names.map((n) => {
    const f = spec.byCupi.get(n);
    if (!f) throw new Error(`${spec.kind} has no field ${n}`);
    return f;
});
const writable = (spec: ObjectSpec, except: string[] = []) =>
    spec.fields.filter((f) => f.access !== "ro" && !except.includes(f.cupi));

/** Looks a uniquely named object up after an ambiguous POST. */
const byDisplayName = (c: CupiClient, spec: ObjectSpec, name: Scalar | undefined) => async () => {
    if (name === undefined) return undefined;
    const found = await c.list(spec, { query: { column: "DisplayName", value: name } });
    const exact = found.filter((r) => String(r.DisplayName).toLowerCase() === String(name).toLowerCase());
    return exact.length === 1 ? String(exact[0].ObjectId) : undefined;
};

/** Plain CRUD on a top-level object with a unique DisplayName. */
function crud(spec: ObjectSpec): Ops {
    return {
        create: async (c, body) => {
            const { id, recovered } = await c.createVerified(() => c.create(spec, body), byDisplayName(c, spec, body.DisplayName));
            return { objectId: id, recovered };
        },
        get: (c, id) => c.find(spec, id),
        update: (c, id, body) => c.update(spec, id, body),
        remove: async (c, id) => {
            try {
                await c.delete(spec, id);
            } catch (e) {
                if (!isCupiError(e, "not-found")) throw e;
            }
        },
    };
}

export const PhoneSystemDef: ResourceDef = {
    kind: "PhoneSystem",
    spec: PhoneSystem,
    inputs: writable(PhoneSystem),
    autoName: true,
    ...plainId,
    ops: crud(PhoneSystem),
};

export const AxlServerDef: ResourceDef = {
    kind: "AxlServer",
    spec: AxlServer,
    inputs: fields(AxlServer, ["MediaSwitchObjectId", "HostOrIPAddress", "HostOrIPAddressV6", "Port", "TlsPort", "Precedence", "CcmAXLUser", "CcmAXLPassword", "IsPinSyncEnabled"]),
    parentInput: "phoneSystemId",
    createDefaults: { MediaRemoteServiceEnum: 103 },
    rules: (news, _olds, unknown) =>
        news.isPinSyncEnabled === true && !unknown(news.precedence) && news.precedence !== undefined && news.precedence !== 0
            ? [{
                property: "isPinSyncEnabled",
                reason: `PIN synchronisation is honoured only on the primary AXL server (precedence 0), but this one has precedence ${String(news.precedence)}: set isPinSyncEnabled on the primary server instead, or set precedence: 0`,
            }]
            : [],
    idFormat: "`<phoneSystemId>/<axlServerObjectId>` (an AXL server is addressed under its phone system)",
    makeId: (objectId, parentId) => `${parentId}/${objectId}`,
    parseId: (id) => {
        const [parentId, objectId, extra] = id.split("/");
        return extra === undefined && GUID_RE.test(parentId ?? "") && GUID_RE.test(objectId ?? "")
            ? { objectId: objectId.toLowerCase(), parentId: parentId.toLowerCase() }
            : undefined;
    },
    ops: {
        create: async (c, body) => {
            const parentId = String(body.MediaSwitchObjectId);
            // AXL servers have no unique name: after an ambiguous POST, the server under this
            // phone system whose readable fields all equal what was sent is ours. (Listing
            // before every POST would cost a request per create to cover a rare failure; an
            // identical server that already existed is indistinguishable anyway.)
            const sent = Object.entries(body).filter(([k]) => AxlServer.byCupi.get(k)?.access !== "wo" && k !== "MediaSwitchObjectId");
            const { id, recovered } = await c.createVerified(() => c.create(AxlServer, body, parentId), async () => {
                const now = await c.list(AxlServer, { parentId });
                const same = now.filter((a) => sent.every(([k, v]) => String(a[k]) === String(v)));
                if (same.length > 1) {
                    throw new Error(
                        `the create request was interrupted, and phone system ${parentId} now has ${same.length} identical AXL servers for ${String(body.HostOrIPAddress)} ` +
                            `(${same.map((a) => String(a.ObjectId)).join(", ")}): delete the extra one in Connection Administration, then adopt the other`,
                    );
                }
                return same.length === 1 ? String(same[0].ObjectId) : undefined;
            });
            return { objectId: id, recovered };
        },
        get: (c, id, parentId) => c.find(AxlServer, id, parentId),
        update: (c, id, body, parentId) => c.update(AxlServer, id, body, parentId),
        remove: async (c, id, props) => {
            try {
                await c.delete(AxlServer, id, String(props.phoneSystemId));
            } catch (e) {
                if (!isCupiError(e, "not-found")) throw e;
            }
        },
    },
};

/** Readable names for ServerType, as voice engineers say them. */
const SERVER_TYPE_ALIASES: Record<string, number> = {
    ...Object.fromEntries(Object.entries(SERVER_TYPE).map(([n, label]) => [label.toLowerCase(), Number(n)])),
    exchange: 4, "bpos-d": 4, bposd: 4, office365: 5, o365: 5, "exchange online": 5, meetingplace: 1, "meeting place": 1,
};

export const ExternalServiceDef: ResourceDef = {
    kind: "ExternalService",
    spec: ExternalService,
    inputs: writable(ExternalService),
    autoName: true,
    aliases: { serverType: SERVER_TYPE_ALIASES },
    ...plainId,
    ops: crud(ExternalService),
};

export const HttpsLinkDef: ResourceDef = {
    kind: "HttpsLink",
    spec: HttpsLink,
    inputs: fields(HttpsLink, ["DisplayName", "RemoteServer", "RemoteUsername", "RemotePassword", "UseSSL", "AcceptSelfSignedCertificates", "AcceptCertificateErrors", "SyncDistributionLists", "EnableDirectorySync", "EnableVoicenameSync"]),
    createOnlyInputs: ["remoteUsername", "remotePassword", "enableDirectorySync", "enableVoicenameSync"],
    rules: (news, olds, unknown) => {
        const failures: { property: string; reason: string }[] = [];
        const creating = olds.remoteServer === undefined;
        if (creating && news.useSsl === false) {
            failures.push({ property: "useSsl", reason: "useSsl must be true to join a site: Connection's HTTPS networking only joins over SSL (set useSsl: true, or omit it)" });
        }
        if (olds.syncDistributionLists === true && news.syncDistributionLists === false && !unknown(news.syncDistributionLists)) {
            failures.push({
                property: "syncDistributionLists",
                reason: "syncDistributionLists cannot be turned off once it is on: Connection refuses true -> false. Remove the input (or keep it true); to stop replicating lists, unjoin and join the site again",
            });
        }
        return failures;
    },
    ...plainId,
    ops: {
        create: async (c, body) => {
            const join: CupiRecord = {};
            for (const k of ["RemoteServer", "RemoteUsername", "RemotePassword", "UseSSL", "AcceptSelfSignedCertificates", "AcceptCertificateErrors", "EnableDirectorySync", "EnableVoicenameSync"]) {
                if (body[k] !== undefined) join[k] = body[k];
            }
            join.UseSSL = true;
            const remote = String(body.RemoteServer).toLowerCase();
            const { id, recovered } = await c.createVerified(() => c.autojoin(join), async () => {
                const links = await c.list(HttpsLink);
                const ours = links.filter((l) => l.Deleted !== true && String(l.BaseFeedURL).toLowerCase() === `https://${remote}/feeder`);
                return ours.length === 1 ? String(ours[0].ObjectId) : undefined;
            });
            // Autojoin takes only the join fields; the rest is set on the new link.
            const followUp: CupiRecord = {};
            if (body.DisplayName !== undefined) followUp.DisplayName = body.DisplayName;
            if (body.SyncDistributionLists === true) followUp.SyncDistributionLists = true;
            return { objectId: id, recovered, followUp };
        },
        get: async (c, id) => {
            const link = await c.find(HttpsLink, id);
            // An unjoined link stays visible with Deleted=true until the clean-up task: it is gone.
            return link && link.Deleted !== true ? link : undefined;
        },
        update: (c, id, body) => c.update(HttpsLink, id, body),
        remove: async (c, id) => {
            try {
                const link = await c.find(HttpsLink, id);
                if (link && link.Deleted !== true) await c.unjoin(id);
            } catch (e) {
                if (!isCupiError(e, "not-found")) throw e;
            }
        },
    },
};

export const PortGroupMwiDef: ResourceDef = {
    kind: "PortGroupMwi",
    spec: PortGroup,
    inputs: fields(PortGroup, ["MwiOnCode", "MwiOffCode"]),
    extraInputs: [
        { name: "portGroupId", type: "string", guid: true, replace: true, mandatory: true, doc: "ObjectId of the existing port group whose MWI codes this resource manages (see getPortGroup)." },
        { name: "restoreOnDelete", type: "boolean", doc: "Put back the codes the port group had before this resource managed it when the resource is deleted (default true)." },
    ],
    idFormat: "the port group's ObjectId",
    makeId: (objectId) => objectId,
    parseId: plainId.parseId,
    ops: {
        create: async (c, body, inputs) => {
            const id = String(inputs.portGroupId);
            const before = await c.find(PortGroup, id);
            if (!before) {
                throw new Error(`port group ${id} does not exist on ${c.settings.origin}: PortGroupMwi manages the MWI codes of an existing port group (look it up with getPortGroup)`);
            }
            if (Object.keys(body).length) await c.update(PortGroup, id, body);
            return { objectId: id, recovered: false, extra: { previousMwiOnCode: before.MwiOnCode ?? "", previousMwiOffCode: before.MwiOffCode ?? "" } };
        },
        get: (c, id) => c.find(PortGroup, id),
        update: (c, id, body) => c.update(PortGroup, id, body),
        remove: async (c, id, props) => {
            if (props.restoreOnDelete === false) return;
            const restore: CupiRecord = {};
            if (props.mwiOnCode !== undefined) restore.MwiOnCode = String(props.previousMwiOnCode ?? "");
            if (props.mwiOffCode !== undefined) restore.MwiOffCode = String(props.previousMwiOffCode ?? "");
            if (!Object.keys(restore).length) return;
            try {
                await c.update(PortGroup, id, restore);
            } catch (e) {
                // CUPI answers a PUT to a missing port group with 400 "not found": nothing to restore.
                if (!(await c.find(PortGroup, id))) return;
                throw e;
            }
        },
    },
};

export const RESOURCES: Readonly<Record<string, ResourceDef>> = {
    PhoneSystem: PhoneSystemDef,
    AxlServer: AxlServerDef,
    ExternalService: ExternalServiceDef,
    HttpsLink: HttpsLinkDef,
    PortGroupMwi: PortGroupMwiDef,
};
