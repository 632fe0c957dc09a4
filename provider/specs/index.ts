export * from "./types";
export { PhoneSystem, AxlServer, PhoneSystemAssociation } from "./phonesystem";
export { PortGroup, Port } from "./portgroup";
export { ExternalService, SERVER_TYPE } from "./externalservice";
export { HttpsLink } from "./httpslink";
export { Tenant } from "./tenant";
export { User, UserPin, UserWebPassword, UserMailbox, AlternateExtension, UserDependency, ALTERNATE_EXTENSION_LABELS } from "./user";
export { UserTemplate, UserTemplatePin, UserTemplateWebPassword, DefaultUserTemplate } from "./usertemplate";
export { Contact, ContactTemplate } from "./contact";
export { DistributionList, DistributionListMember } from "./distributionlist";
export { ClassOfService } from "./cos";
export { Partition, SearchSpace, SearchSpaceMember, MailboxStore, Location } from "./dialplan";
export { Schedule, ScheduleDetail, ScheduleSet, ScheduleSetMember } from "./schedule";
export { CallHandler, CallHandlerTemplate, TransferOption, Greeting, MenuEntry, CallHandlerOwner, ACTIONS, CONVERSATIONS, FRESH_CHILDREN, TRANSFER_OPTION_TYPES, GREETING_TYPES, MENU_KEYS } from "./callhandler";

import { AxlServer, PhoneSystem, PhoneSystemAssociation } from "./phonesystem";
import { PortGroup, Port } from "./portgroup";
import { ExternalService } from "./externalservice";
import { HttpsLink } from "./httpslink";
import { Tenant } from "./tenant";
import { AlternateExtension, User, UserDependency, UserMailbox, UserPin, UserWebPassword } from "./user";
import { DefaultUserTemplate, UserTemplate, UserTemplatePin, UserTemplateWebPassword } from "./usertemplate";
import { Contact, ContactTemplate } from "./contact";
import { DistributionList, DistributionListMember } from "./distributionlist";
import { ClassOfService } from "./cos";
import { Location, MailboxStore, Partition, SearchSpace, SearchSpaceMember } from "./dialplan";
import { CallHandler, CallHandlerOwner, CallHandlerTemplate, Greeting, MenuEntry, TransferOption } from "./callhandler";
import { Schedule, ScheduleDetail, ScheduleSet, ScheduleSetMember } from "./schedule";
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
addSpec(User);
addSpec(UserPin);
addSpec(UserWebPassword);
addSpec(UserMailbox);
addSpec(AlternateExtension);
addSpec(UserDependency);
addSpec(UserTemplate);
addSpec(UserTemplatePin);
addSpec(UserTemplateWebPassword);
addSpec(DefaultUserTemplate);
addSpec(Contact);
addSpec(ContactTemplate);
addSpec(DistributionList);
addSpec(DistributionListMember);
addSpec(ClassOfService);
addSpec(Partition);
addSpec(SearchSpace);
addSpec(SearchSpaceMember);
addSpec(MailboxStore);
addSpec(Location);
addSpec(CallHandler);
addSpec(CallHandlerTemplate);
addSpec(TransferOption);
addSpec(Greeting);
addSpec(MenuEntry);
addSpec(CallHandlerOwner);
addSpec(Schedule);
addSpec(ScheduleDetail);
addSpec(ScheduleSet);
addSpec(ScheduleSetMember);
