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
import type { ObjectSpec } from "./types";

/** Every in-scope object, keyed by kind. */
export const SPECS: Readonly<Record<string, ObjectSpec>> = {
    PhoneSystem, AxlServer, PhoneSystemAssociation, PortGroup, Port, ExternalService, HttpsLink, Tenant,
};
