/**
 * pulumi-cuc: Cisco Unity Connection resources for Pulumi.
 *
 *     import * as cuc from "pulumi-cuc";
 *     const ps = new cuc.PhoneSystem("cucm", { mwiAlwaysUpdate: true });
 */
export * from "./resources";
export type { ConnectionArgs } from "./base";
