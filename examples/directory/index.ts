// The directory of a sales floor, as code: its own partition and search space, a class of service,
// a user template with a default PIN, 20 users read from users.csv, a distribution list per
// department, and a contact outside the company that sales can reach by extension.
//
// Point it at a Connection publisher (or at `npx cuc-sim`):
//   pulumi config set cuc:server cuc-pub.example.com
//   pulumi config set cuc:username admin
//   pulumi config set --secret cuc:password ...
//   pulumi config set --secret defaultPin 80264713      # new users' first PIN; they must change it
//   pulumi up
//
// A user is a mailbox: deleting one deletes every message in it. In production, protect them
// (`protect: true`: `pulumi destroy` and a line removed from the CSV then fail instead of deleting),
// or let a leaver's mailbox stay on the server when they leave the program (`retainOnDelete: true`).
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "csv-parse/sync";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();
const protectUsers = config.getBoolean("protectUsers") ?? false;

interface Row { alias: string; firstName: string; lastName: string; extension: string; department: string; email: string }
const rows = parse(fs.readFileSync(path.join(__dirname, config.get("usersFile") ?? "users.csv")), {
    columns: true, skip_empty_lines: true, trim: true,
}) as Row[];

// Built into every Connection server: the template new users come from, and its partition (the server's default).
const builtIn = cuc.getUserTemplateOutput({ alias: "voicemailusertemplate" });
const defaultPartition = builtIn.apply((t) => {
    if (!t.partitionId) throw new pulumi.RunError("voicemailusertemplate has no partition: pass the default partition's objectId instead");
    return t.partitionId;
});

// Sales dials its own extensions first, then everyone else's.
const partition = new cuc.Partition("sales-floor", { description: "Extensions of the sales floor" });
const searchSpace = new cuc.SearchSpace("sales-floor", {
    description: "Sales floor first, then the rest",
    partitions: [partition.objectId, defaultPartition],
});

const cos = new cuc.ClassOfService("sales", {
    maxMsgLength: 600,
    maxGreetingLength: 120,
    accessTts: true,
    accessVmi: true,
    requireSecureMessages: 3, // ask
});

// What every new hire gets, with a first PIN they must change at their first sign-in.
const template = new cuc.UserTemplate("sales-template", {
    alias: "sales-template",
    displayName: "Sales floor users",
    templateAlias: "voicemailusertemplate",
    cosId: cos.objectId,
    partitionId: partition.objectId,
    searchByExtensionSearchSpaceId: searchSpace.objectId,
    searchByNameSearchSpaceId: searchSpace.objectId,
    pin: config.requireSecret("defaultPin"),
    pinMustChange: true,
    listInDirectory: true,
});

const users = rows.map((r) => new cuc.User(r.alias, {
    alias: r.alias,
    firstName: r.firstName,
    lastName: r.lastName,
    displayName: `${r.firstName} ${r.lastName}`,
    dtmfAccessId: r.extension,
    department: r.department,
    emailAddress: r.email,
    // Shapes only the creation: the template's PIN, COS, partition and search spaces.
    templateAlias: template.alias,
}, { protect: protectUsers }));

// A partner sales can reach by extension, and leave messages for.
const partner = new cuc.Contact("acme-support", {
    alias: "acme-support",
    displayName: "ACME Support",
    dtmfAccessId: "4900",
    partitionId: partition.objectId,
    transferEnabled: true,
    transferExtension: "900442071234567",
});

// One list per department, its members whoever the CSV puts there; sales also reaches the partner.
const departments = [...new Set(rows.map((r) => r.department))];
const lists = departments.map((department) => {
    const members = users.filter((_, i) => rows[i].department === department).map((u) => u.objectId);
    const alias = department.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return new cuc.DistributionList(alias, {
        alias,
        displayName: `${department} team`,
        partitionId: partition.objectId,
        users: members,
        ...(department === "Sales" ? { allowContacts: true, contacts: [partner.objectId] } : {}),
    });
});

export const userCount = users.length;
export const distributionLists = pulumi.all(lists.map((l) => l.alias));
export const searchOrder = searchSpace.partitions;
export const templateId = template.objectId;
