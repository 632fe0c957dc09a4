/** ExternalService: plain CRUD, readable server types, and the seed's second delete path. */
import { isCupiError, type CupiError } from "../client/cupi-error";
import { ExternalService, SERVER_TYPE } from "../specs";
import { creatableFields } from "../specs/types";
import { crud, defineResource } from "./types";

/** Readable names for ServerType, as voice engineers say them. */
const SERVER_TYPE_ALIASES: Record<string, number> = {
    ...Object.fromEntries(Object.entries(SERVER_TYPE).map(([n, label]) => [label.toLowerCase(), Number(n)])),
    exchange: 4, "bpos-d": 4, bposd: 4, office365: 5, o365: 5, "exchange online": 5, meetingplace: 1, "meeting place": 1,
};

export const ExternalServiceDef = defineResource({
    kind: "ExternalService",
    summary: "A unified messaging service (CUPI `/vmrest/externalservices`): Exchange/BPOS-D, Office 365 or MeetingPlace.",
    phrase: "unified messaging service",
    spec: ExternalService,
    inputs: creatableFields(ExternalService),
    autoName: true,
    aliases: { serverType: SERVER_TYPE_ALIASES },
    ops: {
        ...crud(ExternalService),
        remove: async (c, id) => {
            try {
                await c.delete(ExternalService, id);
            } catch (e) {
                // Some releases delete only at the seed's path (REFERENCE.md §11 item 2).
                if (!isCupiError(e, "not-found") && (e as CupiError).status !== 405) throw e;
                if (!(await c.find(ExternalService, id))) return; // already gone
                await c.deleteAt(`usertemplates/externalservices/${id}`);
            }
        },
    },
    import: { word: "externalservices" },
});
