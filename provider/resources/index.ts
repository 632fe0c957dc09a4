/**
 * Every resource definition, by kind. One engine (provider/engine/provider.ts) serves them all; a new CUPI object
 * is one spec in provider/specs and one definition here.
 */
import { SPECS } from "../specs";
import { addByKind } from "../specs/types";
import { AxlServerDef } from "./axlserver";
import { ExternalServiceDef } from "./externalservice";
import { HttpsLinkDef } from "./httpslink";
import { PhoneSystemDef } from "./phonesystem";
import { PortGroupMwiDef } from "./portgroupmwi";
import { AlternateExtensionDef, UserDef } from "./user";
import { UserTemplateDef } from "./usertemplate";
import { ContactDef } from "./contact";
import { DistributionListDef } from "./distributionlist";
import { ClassOfServiceDef, PartitionDef, SearchSpaceDef } from "./dialplan";
import { CallHandlerDef } from "./callhandler";
import { ScheduleDef, ScheduleSetDef } from "./schedule";
import type { ResourceDef } from "./types";

export type { CarriedOutput, ChildSet, ChildShape, Codec, ExtraInput, ImportSpec, MemberList, Ops, Part, ResourceDef, ResourceOutput, RowList } from "./types";
export { autoNameField, byKey, decodeChild, isAutoNamed, isRequired, onlyToCreate, requiredInputs, shapeNames } from "./types";
export { AxlServerDef, ExternalServiceDef, HttpsLinkDef, PhoneSystemDef, PortGroupMwiDef };
export { AlternateExtensionDef, ClassOfServiceDef, ContactDef, DistributionListDef, PartitionDef, SearchSpaceDef, UserDef, UserTemplateDef };
export { CallHandlerDef, ScheduleDef, ScheduleSetDef };

const resources: Record<string, ResourceDef> = {};

/** Every resource definition, keyed by kind (what addResource added; read when it is used, never copied). */
export const RESOURCES: Readonly<Record<string, ResourceDef>> = resources;

/**
 * Adds a definition to RESOURCES: the index lines below are calls of it, and a test adds a
 * throwaway resource the same way. Its object must be in SPECS. Returns what takes it out again
 * (for such a test).
 */
export function addResource(def: ResourceDef): () => void {
    if (SPECS[def.spec.kind] !== def.spec) throw new Error(`${def.kind}: its object ${def.spec.kind} is not in SPECS (addSpec it first)`);
    const word = Object.values(resources).find((d) => d.import.word === def.import.word);
    if (word) throw new Error(`${def.kind}: cuc-import's word ${def.import.word} is ${word.kind}'s already`);
    return addByKind(resources, "RESOURCES", def);
}

addResource(PhoneSystemDef);
addResource(AxlServerDef);
addResource(ExternalServiceDef);
addResource(HttpsLinkDef);
addResource(PortGroupMwiDef);
addResource(PartitionDef);
addResource(SearchSpaceDef);
addResource(ClassOfServiceDef);
addResource(UserTemplateDef);
addResource(UserDef);
addResource(AlternateExtensionDef);
addResource(ContactDef);
addResource(DistributionListDef);
addResource(ScheduleDef);
addResource(ScheduleSetDef);
addResource(CallHandlerDef);
