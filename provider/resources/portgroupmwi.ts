/**
 * PortGroupMwi: patches the MWI codes of an existing port group (CUPI cannot create or delete
 * port groups on the releases in scope); remembers the codes it found and puts them back on delete.
 */
import { PortGroup } from "../specs";
import type { CupiRecord } from "../client/codec";
import { crud, defineResource, fields, plainId } from "./types";

export const PortGroupMwiDef = defineResource({
    kind: "PortGroupMwi",
    summary: "The MWI on/off dial codes of an existing port group (CUPI `/vmrest/portgroups/{id}`). It never creates or deletes the port group; on delete it puts back the codes it found (unless `restoreOnDelete` is false).",
    phrase: "port group MWI patch",
    spec: PortGroup,
    inputs: fields(PortGroup, ["MwiOnCode", "MwiOffCode"]),
    extraInputs: [
        { name: "portGroupId", type: "string", guid: true, replace: true, mandatory: true, doc: "ObjectId of the existing port group whose MWI codes this resource manages (see getPortGroup)." },
        { name: "restoreOnDelete", type: "boolean", doc: "Put back the codes the port group had before this resource managed it when the resource is deleted (default true)." },
    ],
    existing: { input: "portGroupId" },
    carried: [
        { name: "previousMwiOnCode", from: "MwiOnCode", doc: "The MWI on code the port group had before this resource managed it; restored on delete." },
        { name: "previousMwiOffCode", from: "MwiOffCode", doc: "The MWI off code the port group had before this resource managed it; restored on delete." },
    ],
    idFormat: "the port group's ObjectId",
    parseId: plainId.parseId,
    ops: {
        ...crud(PortGroup),
        create: async (c, body, inputs) => {
            const id = String(inputs.portGroupId);
            const before = await c.find(PortGroup, id);
            if (!before) {
                throw new Error(`port group ${id} does not exist on ${c.settings.origin}: PortGroupMwi manages the MWI codes of an existing port group (look it up with getPortGroup)`);
            }
            if (Object.keys(body).length) await c.update(PortGroup, id, body);
            return { objectId: id, recovered: false, before };
        },
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
    import: {
        word: "portgroups",
        plural: "port group MWI patch(es)",
        label: (r) => `mwi ${String(r.DisplayName)}`,
        comment: (r) => `Port group ${String(r.DisplayName)} of ${String(r.MediaSwitchDisplayName ?? "its phone system")}: only its MWI codes are managed.`,
    },
});
