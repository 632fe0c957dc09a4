/**
 * Every resource definition, by kind. One engine (provider/engine/provider.ts) serves them all; a new CUPI object
 * is one spec in provider/specs and one definition here.
 */
import { AxlServerDef } from "./axlserver";
import { ExternalServiceDef } from "./externalservice";
import { HttpsLinkDef } from "./httpslink";
import { PhoneSystemDef } from "./phonesystem";
import { PortGroupMwiDef } from "./portgroupmwi";
import type { ResourceDef } from "./types";

export type { CarriedOutput, ExtraInput, ImportSpec, Ops, ResourceDef } from "./types";
export { AxlServerDef, ExternalServiceDef, HttpsLinkDef, PhoneSystemDef, PortGroupMwiDef };

export const RESOURCES: Readonly<Record<string, ResourceDef>> = Object.fromEntries(
    [PhoneSystemDef, AxlServerDef, ExternalServiceDef, HttpsLinkDef, PortGroupMwiDef].map((d) => [d.kind, d]),
);
