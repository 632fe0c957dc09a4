/**
 * HttpsLink: created by joining the remote site (`operation/autojoin`) and removed by leaving it
 * (`operation/unjoin/{id}`); an unjoined link stays visible with Deleted=true until CUC's
 * clean-up task, and counts as gone.
 */
import type { CupiClient } from "../client/client";
import { checkId } from "../client/client";
import type { CupiRecord } from "../client/codec";
import { HttpsLink } from "../specs";
import { crud, defineResource, fields, removeIfThere } from "./types";

/** `POST /vmrest/httpslinks/operation/autojoin`: joins the remote site; returns the link id. */
export const autojoin = (c: CupiClient, record: CupiRecord) => c.post("httpslinks/operation/autojoin", HttpsLink, record, c.settings.autojoinTimeoutMs);

/** `DELETE /vmrest/httpslinks/operation/unjoin/{id}`: the link is marked Deleted, purged later. */
export function unjoin(c: CupiClient, id: string): Promise<void> {
    checkId(id, "HttpsLink ObjectId");
    return c.deleteAt(`httpslinks/operation/unjoin/${id}`, c.settings.autojoinTimeoutMs);
}

/** `DELETE /vmrest/httpslinks/operation/unjoinself`: leaves the whole network. */
export const unjoinSelf = (c: CupiClient) => c.deleteAt("httpslinks/operation/unjoinself", c.settings.autojoinTimeoutMs);

/** The fields autojoin takes; the others are set on the new link right after. */
const JOIN_FIELDS = ["RemoteServer", "RemoteUsername", "RemotePassword", "UseSSL", "AcceptSelfSignedCertificates", "AcceptCertificateErrors", "EnableDirectorySync", "EnableVoicenameSync"];

/** The host a link was joined to: its feeder URL names it (RemoteServer itself is write-only). */
const joinedHost = (link: CupiRecord) => /^https?:\/\/([^/]+)/.exec(String(link.BaseFeedURL ?? ""))?.[1];

const get = async (c: CupiClient, id: string) => {
    const link = await c.find(HttpsLink, id);
    return link && link.Deleted !== true ? link : undefined;
};

export const HttpsLinkDef = defineResource({
    kind: "HttpsLink",
    summary: "An HTTPS networking link to another Connection site (CUPI `/vmrest/httpslinks`): created by autojoin, removed by unjoin.",
    phrase: "HTTPS link",
    spec: HttpsLink,
    inputs: fields(HttpsLink, ["DisplayName", "RemoteServer", "RemoteUsername", "RemotePassword", "UseSSL", "AcceptSelfSignedCertificates", "AcceptCertificateErrors", "SyncDistributionLists", "EnableDirectorySync", "EnableVoicenameSync"]),
    ignoreChanges: ["remoteUsername", "remotePassword", "enableDirectorySync", "enableVoicenameSync"],
    readBack: { remoteServer: (link) => joinedHost(link) },
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
    ops: {
        ...crud(HttpsLink),
        create: async (c, body) => {
            const join: CupiRecord = Object.fromEntries(JOIN_FIELDS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
            join.UseSSL = true;
            const remote = String(body.RemoteServer).toLowerCase();
            const { id, recovered } = await c.createVerified(() => autojoin(c, join), async () => {
                const ours = (await c.list(HttpsLink)).filter((l) => l.Deleted !== true && joinedHost(l)?.toLowerCase() === remote);
                return ours.length === 1 ? String(ours[0].ObjectId) : undefined;
            });
            const followUp: CupiRecord = {};
            if (body.DisplayName !== undefined) followUp.DisplayName = body.DisplayName;
            if (body.SyncDistributionLists === true) followUp.SyncDistributionLists = true;
            return { objectId: id, recovered, followUp };
        },
        get,
        // An unjoined link is gone: a refresh reads it the same way (not from a listing of every link).
        read: get,
        remove: (c, id) => removeIfThere(async () => {
            if (await get(c, id)) await unjoin(c, id);
        }),
    },
    import: { word: "httpslinks", label: (r) => `link ${String(r.DisplayName)}`, keep: (r) => r.Deleted !== true },
});
