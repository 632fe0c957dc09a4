/** PhoneSystem: plain CRUD on `/vmrest/phonesystems`, auto-named. */
import { PhoneSystem } from "../specs";
import { defineResource, writable } from "./types";

export const PhoneSystemDef = defineResource({
    kind: "PhoneSystem",
    summary: "A Cisco Unity Connection phone system (CUPI `/vmrest/phonesystems`): the integration with a Cisco Unified CM cluster or other call control.",
    noun: "phone system",
    spec: PhoneSystem,
    inputs: writable(PhoneSystem),
    autoName: true,
    import: { word: "phonesystems" },
});
