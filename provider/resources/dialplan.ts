/** Classes of service, partitions and search spaces: auto-named, with a search space's partitions in order. */
import { ClassOfService, Partition, SearchSpace, SearchSpaceMember } from "../specs";
import { creatableFields } from "../specs/types";
import { defineResource } from "./types";

export const ClassOfServiceDef = defineResource({
    kind: "ClassOfService",
    summary: "A class of service (CUPI `/vmrest/coses`): what its users may do, message and greeting lengths, features.",
    phrase: "class of service",
    spec: ClassOfService,
    inputs: creatableFields(ClassOfService),
    autoName: true,
    import: { word: "coses", plural: "classes of service", label: (r) => `cos ${String(r.DisplayName)}` },
});

export const PartitionDef = defineResource({
    kind: "Partition",
    summary: "A partition (CUPI `/vmrest/partitions`): a set of extensions, each unique within it.",
    spec: Partition,
    inputs: creatableFields(Partition),
    autoName: true,
    recordName: (r) => String(r.Name ?? r.ObjectId),
    import: { word: "partitions", label: (r) => `partition ${String(r.Name)}` },
});

export const SearchSpaceDef = defineResource({
    kind: "SearchSpace",
    summary: "A search space (CUPI `/vmrest/searchspaces`): the partitions searched, in order, when a caller or user dials an extension or a name.",
    spec: SearchSpace,
    inputs: creatableFields(SearchSpace),
    members: [{ name: "partitions", spec: SearchSpaceMember, field: "PartitionObjectId", order: "SortOrder", doc: "The partitions searched, first to last" }],
    autoName: true,
    recordName: (r) => String(r.Name ?? r.ObjectId),
    import: { word: "searchspaces", label: (r) => `search space ${String(r.Name)}` },
});
