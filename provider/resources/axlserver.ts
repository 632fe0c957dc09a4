/** AxlServer: lives under a phone system; no unique name, so an interrupted create is recovered by its fields. */
import { AxlServer } from "../specs";
import type { CupiRecord } from "../client/codec";
import { crud, defineResource, fields } from "./types";

/** An AXL server has no name: its address tells it from the others. */
const host = (r: CupiRecord) => String(r.HostOrIPAddress ?? r.ObjectId);

export const AxlServerDef = defineResource({
    kind: "AxlServer",
    summary: "An AXL server of a phone system (CUPI `/vmrest/phonesystems/{id}/axlservers`): the Cisco Unified CM node Connection queries over AXL.",
    spec: AxlServer,
    inputs: fields(AxlServer, ["MediaSwitchObjectId", "HostOrIPAddress", "HostOrIPAddressV6", "Port", "TlsPort", "Precedence", "CcmAXLUser", "CcmAXLPassword", "IsPinSyncEnabled"]),
    createDefaults: { MediaRemoteServiceEnum: 103 },
    recordName: host,
    rules: (news, _olds, unknown) =>
        news.isPinSyncEnabled === true && !unknown(news.precedence) && news.precedence !== undefined && news.precedence !== 0
            ? [{
                property: "isPinSyncEnabled",
                reason: `PIN synchronisation is honoured only on the primary AXL server (precedence 0), but this one has precedence ${String(news.precedence)}: set isPinSyncEnabled on the primary server instead, or set precedence: 0`,
            }]
            : [],
    ops: {
        ...crud(AxlServer),
        create: async (c, body, _inputs, parentId) => {
            // AXL servers have no unique name: after an ambiguous POST, the server under this
            // phone system whose readable fields all equal what was sent is ours. (Listing
            // before every POST would cost a request per create to cover a rare failure; an
            // identical server that already existed is indistinguishable anyway.)
            const sent = Object.entries(body).filter(([k]) => AxlServer.byCupi.get(k)?.access !== "wo" && k !== "MediaSwitchObjectId");
            const { id, recovered } = await c.createVerified(() => c.create(AxlServer, body, parentId), async () => {
                const same = (await c.list(AxlServer, { parentId })).filter((a) => sent.every(([k, v]) => String(a[k]) === String(v)));
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
    },
    import: { word: "axlservers", configKeys: { ccmAxlPassword: "Password" }, label: (r, parentLabel) => `${parentLabel ?? "phone system"} axl ${host(r)}` },
});
