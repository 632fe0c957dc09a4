/**
 * The serialized provider stored in every resource's state. It captures nothing but the kind
 * and loads the implementation by package name when the host runs it: no credentials, no module
 * graph, and state written by an older version runs the installed code.
 */
import type * as pulumi from "@pulumi/pulumi";

export function shim(kind: string): pulumi.dynamic.ResourceProvider {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const impl = (): pulumi.dynamic.ResourceProvider => require("pulumi-cuc/provider").providers[kind];
    return {
        configure: (req) => impl().configure!(req),
        check: (olds, news) => impl().check!(olds, news),
        diff: (id, olds, news) => impl().diff!(id, olds, news),
        create: (inputs) => impl().create(inputs),
        read: (id, props) => impl().read!(id, props),
        update: (id, olds, news) => impl().update!(id, olds, news),
        delete: (id, props) => impl().delete!(id, props),
    };
}
