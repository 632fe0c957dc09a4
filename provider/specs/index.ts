export * from "./types";
export { PhoneSystem, AxlServer, PhoneSystemAssociation } from "./phonesystem";
export { PortGroup, Port } from "./portgroup";
export { ExternalService, SERVER_TYPE } from "./externalservice";
export { HttpsLink } from "./httpslink";
export { Tenant } from "./tenant";

import { AxlServer, PhoneSystem, PhoneSystemAssociation } from "./phonesystem";
import { PortGroup, Port } from "./portgroup";
import { ExternalService } from "./externalservice";
import { HttpsLink } from "./httpslink";
import { Tenant } from "./tenant";
import { addByKind, type ObjectSpec } from "./types";

const specs: Record<string, ObjectSpec> = {};

/** Every in-scope object, keyed by kind (what addSpec added; everything that lists objects reads it when it runs). */
export const SPECS: Readonly<Record<string, ObjectSpec>> = specs;

/**
 * Adds an object to SPECS: the index lines below are calls of it, and a test adds a throwaway
 * object the same way. A sub-collection's parent must be there first. Returns what takes it out
 * again (for such a test).
 */
export function addSpec(spec: ObjectSpec): () => void {
    if (spec.parent && !specs[spec.parent.kind]) throw new Error(`${spec.kind}: its parent ${spec.parent.kind} is not in SPECS (add it first)`);
    return addByKind(specs, "SPECS", spec);
}

addSpec(PhoneSystem);
addSpec(AxlServer);
addSpec(PhoneSystemAssociation);
addSpec(PortGroup);
addSpec(Port);
addSpec(ExternalService);
addSpec(HttpsLink);
addSpec(Tenant);
