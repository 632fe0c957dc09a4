// Port groups and ports: find a port group by its display name with the data sources, list its
// ports, and manage its MWI dial codes. Deleting the stack puts the old codes back.
//
//   pulumi config set cuc:server cuc-pub.example.com
//   pulumi config set cuc:username admin && pulumi config set --secret cuc:password ...
//   pulumi config set portGroup "PhoneSystem-1"
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();
const portGroupName = config.get("portGroup") ?? "PhoneSystem-1";

const group = cuc.getPortGroupOutput({ displayName: portGroupName });
const ports = cuc.getPortsOutput({ portGroupId: group.objectId, sort: { column: "portNumInGroup" } });

const mwi = new cuc.PortGroupMwi("mwi-codes", {
    portGroupId: group.objectId,
    mwiOnCode: "*55",
    mwiOffCode: "#55",
});

export const portGroupId = group.objectId;
export const phoneSystem = group.phoneSystemDisplayName;
export const portNames = ports.ports.apply((p) => p.map((port) => port.displayName));
export const mwiOnCode = mwi.mwiOnCode;
export const codesBefore = pulumi.all([mwi.previousMwiOnCode, mwi.previousMwiOffCode]);
