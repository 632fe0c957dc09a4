/** DistributionList: its membership is three member lists over one sub-collection (users, contacts, lists). */
import { DistributionList, DistributionListMember } from "../specs";
import { creatableFields } from "../specs/types";
import { defineResource } from "./types";

export const DistributionListDef = defineResource({
    kind: "DistributionList",
    summary: "A distribution list (CUPI `/vmrest/distributionlists`) and its whole membership: users (and user templates), contacts and other lists, each kept as a set. Deleting a list deletes it for everyone who sends to it.",
    phrase: "distribution list",
    spec: DistributionList,
    inputs: creatableFields(DistributionList),
    members: [
        { name: "users", spec: DistributionListMember, field: "MemberUserObjectId", doc: "The users (and user templates) in the list" },
        { name: "contacts", spec: DistributionListMember, field: "MemberContactObjectId", doc: "The contacts in the list (with allowContacts: true)" },
        { name: "distributionLists", spec: DistributionListMember, field: "MemberDistributionListObjectId", doc: "The lists nested in the list" },
    ],
    rules: (news, _olds, unknown) => {
        const contacts = news.contacts;
        return Array.isArray(contacts) && contacts.length && news.allowContacts !== true && !unknown(news.allowContacts)
            ? [{ property: "contacts", reason: "contacts can be members only of a list with allowContacts: true; add allowContacts: true" }]
            : [];
    },
    recordName: (r) => String(r.Alias ?? r.ObjectId),
    import: { word: "distributionlists", label: (r) => `list ${String(r.Alias)}` },
});
