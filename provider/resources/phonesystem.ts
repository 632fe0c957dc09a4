/** PhoneSystem: plain CRUD on `/vmrest/phonesystems`, auto-named. */
import { PhoneSystem } from "../specs";
import { creatableFields } from "../specs/types";
import { defineResource } from "./types";

export const PhoneSystemDef = defineResource({
    kind: "PhoneSystem",
    summary: "A Cisco Unity Connection phone system (CUPI `/vmrest/phonesystems`): the integration with a Cisco Unified CM cluster or other call control.",
    spec: PhoneSystem,
    inputs: creatableFields(PhoneSystem),
    autoName: true,
    import: { word: "phonesystems" },
});
