/**
 * pulumi-cuc: Cisco Unity Connection resources and data sources for Pulumi.
 *
 *     import * as cuc from "pulumi-cuc";
 *     const ps = new cuc.PhoneSystem("cucm", { mwiAlwaysUpdate: true });
 *     const pg = cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });
 */
export * from "./generated/resources";
export * from "./runtime/data";
export * from "./generated/functions";
export type * from "./generated/types";
