/**
 * The simulator with 20,000 users (issue 27): memory in a process of its own, and counting,
 * querying, sorting and paging them over real HTTP. Times are printed, never asserted.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { Store, type Simulator } from "../../simulator";
import { BUILT_IN, FIRST_PHONE_SYSTEM_ID, generateDataset, seedUsers } from "../../simulator/dataset";
import { raw, ROOT, sim } from "../helpers";

const USERS = 20_000;
const GB = 1024 ** 3;
type Body = Record<string, unknown>;
const listOf = (body: Body, element: string): Body[] => {
    const v = body[element];
    return v === undefined ? [] : Array.isArray(v) ? (v as Body[]) : [v as Body];
};
/** The users --users makes, as the generator describes them (the two built-ins come first on the server). */
const seeded = [...seedUsers(USERS)].map((u) => u.body);

describe("simulator: 20,000 users", function () {
    this.timeout(120_000);

    it("stay far below 1 GB of memory, measured in a process of their own", async () => {
        const script = `
            const { startSimulator } = require(${JSON.stringify(path.join(ROOT, "dist", "simulator"))});
            const started = Date.now();
            startSimulator({ http: true, seed: 1, users: ${USERS} }).then(async (s) => {
                const ms = Date.now() - started;
                global.gc();
                const { heapUsed, rss } = process.memoryUsage();
                console.log(JSON.stringify({ ms, heapUsed, rss }));
                await s.close();
            });`;
        const child = spawn(process.execPath, ["--expose-gc", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        const code = await new Promise<number | null>((r) => child.once("exit", r));
        expect(code, out).to.equal(0);
        const { ms, heapUsed, rss } = JSON.parse(out.trim().split("\n").pop()!) as { ms: number; heapUsed: number; rss: number };
        console.log(`      ${USERS} users: started in ${ms} ms, heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB after GC, resident ${(rss / 2 ** 20).toFixed(0)} MiB`);
        expect(heapUsed, "heap after seeding").to.be.below(GB);
        expect(rss, "resident memory").to.be.below(GB);
    });

    describe("over HTTP", () => {
        let s: Simulator;
        const timings: string[] = [];
        const get = async (p: string): Promise<Body> => {
            const started = Date.now();
            const res = await raw(s, "GET", p, { accept: "application/json" });
            timings.push(`${String(Date.now() - started).padStart(5)} ms  GET ${p}`);
            expect(res.status, `${p}: ${res.body.slice(0, 200)}`).to.equal(200);
            return JSON.parse(res.body) as Body;
        };
        before(async () => {
            s = await sim({ users: USERS });
        });
        after(async () => {
            console.log(timings.map((t) => `      ${t}`).join("\n"));
            await s?.close();
        });

        it("counts them everywhere they show: users, primary call handlers, allvoicemailusers, phone-system associations", async () => {
            const total = String(USERS + 2);
            expect(await get("/vmrest/users?rowsPerPage=0")).to.deep.equal({ "@total": total });
            expect(await get("/vmrest/handlers/callhandlers?query=(IsPrimary%20is%201)&rowsPerPage=0")).to.deep.equal({ "@total": total });
            expect(await get(`/vmrest/distributionlists/${BUILT_IN.allUsersList}/distributionlistmembers?rowsPerPage=0`)).to.deep.equal({ "@total": total });
            expect(await get(`/vmrest/phonesystems/${FIRST_PHONE_SYSTEM_ID}/phonesystemassociations?rowsPerPage=0`)).to.deep.equal({ "@total": total });
            const page = listOf(await get(`/vmrest/distributionlists/${BUILT_IN.allUsersList}/distributionlistmembers?rowsPerPage=10&pageNumber=1001`), "DistributionListMember");
            expect(page.map((m) => m.Alias)).to.deep.equal(seeded.slice(10_000 - 2, 10_010 - 2).map((u) => u.Alias));
        });

        it("are realistic: varied names, unique aliases, 4- and 5-digit extensions unique in the default partition, departments", () => {
            const distinct = (k: string) => new Set(seeded.map((u) => u[k])).size;
            expect(distinct("Alias")).to.equal(USERS);
            expect(distinct("DtmfAccessId")).to.equal(USERS);
            expect(seeded.every((u) => /^\d{4,5}$/.test(String(u.DtmfAccessId)))).to.equal(true);
            expect(distinct("FirstName")).to.be.greaterThan(40);
            expect(distinct("LastName")).to.be.greaterThan(40);
            expect(distinct("Department")).to.equal(12);
            expect(seeded.every((u) => /^[a-z.]+\d*$/.test(String(u.Alias)))).to.equal(true);
        });

        it("answer `is` queries from indexes and `startswith` ones by scanning, with the right counts", async () => {
            const pick = seeded[12_345];
            const [one] = listOf(await get(`/vmrest/users?query=(alias%20is%20${encodeURIComponent(String(pick.Alias).toUpperCase())})`), "User");
            // A list row is the short form: the department is in the user itself.
            expect(one).to.include({ Alias: pick.Alias, DtmfAccessId: pick.DtmfAccessId, PartitionObjectId: BUILT_IN.partition });
            expect(await get(String(one.URI))).to.include({ Department: pick.Department });
            expect(listOf(await get(`/vmrest/users?query=(DtmfAccessId%20is%20${pick.DtmfAccessId})`), "User").map((u) => u.Alias)).to.deep.equal([pick.Alias]);
            const sales = seeded.filter((u) => u.Department === "Sales").length;
            expect(await get("/vmrest/users?query=(department%20is%20sales)&rowsPerPage=0")).to.deep.equal({ "@total": String(sales) });
            const ja = seeded.filter((u) => String(u.Alias).startsWith("ja")).length;
            expect(await get("/vmrest/users?query=(alias%20startswith%20JA)&rowsPerPage=0")).to.deep.equal({ "@total": String(ja) });
            expect(await get("/vmrest/users?query=(TenantObjectId%20is%20fe6541fb-b42c-44f2-8404-ded14cbf7438)")).to.deep.equal({ "@total": "0" });
            expect(await get(`/vmrest/users?query=(CosObjectId%20is%20${BUILT_IN.voiceMailCos})&rowsPerPage=0`)).to.deep.equal({ "@total": String(USERS) });
        });

        it("page through all of them, and sort", async () => {
            const ids = new Set<unknown>();
            for (let n = 1; n <= 11; n++) {
                const body = await get(`/vmrest/users?rowsPerPage=2000&pageNumber=${n}`);
                expect(body["@total"]).to.equal(String(USERS + 2));
                for (const u of listOf(body, "User")) ids.add(u.ObjectId);
            }
            expect(ids.size).to.equal(USERS + 2);
            expect(await get("/vmrest/users?rowsPerPage=2000&pageNumber=12")).to.deep.equal({ "@total": String(USERS + 2) });
            const collator = new Intl.Collator("en", { sensitivity: "base" });
            const all = [...seeded.map((u) => String(u.Alias)), "operator", "undeliverablemessagesmailbox"].sort(collator.compare);
            const first = listOf(await get("/vmrest/users?sort=(alias%20asc)&rowsPerPage=100"), "User").map((u) => u.Alias);
            expect(first).to.deep.equal(all.slice(0, 100));
            const last = listOf(await get("/vmrest/users?sort=(alias%20desc)&rowsPerPage=5&pageNumber=2"), "User").map((u) => u.Alias);
            expect(last).to.deep.equal(all.slice().reverse().slice(5, 10));
            const legal = listOf(await get("/vmrest/users?query=(department%20is%20Legal)&sort=(LastName%20asc)&rowsPerPage=50"), "User").map((u) => String(u.LastName));
            expect(legal).to.deep.equal([...legal].sort(collator.compare));
        });

        it("still refuse a taken extension and a taken alias", async () => {
            const taken = seeded[19_999];
            const res = await raw(s, "POST", "/vmrest/users?templateAlias=voicemailusertemplate", {
                accept: "application/json", contentType: "application/json", body: JSON.stringify({ Alias: "newcomer", DtmfAccessId: taken.DtmfAccessId }),
            });
            expect(res.status).to.equal(400);
            expect(res.body).to.contain(`by user '${String(taken.Alias)}'`);
            const again = await raw(s, "POST", "/vmrest/users?templateAlias=voicemailusertemplate", {
                accept: "application/json", contentType: "application/json", body: JSON.stringify({ Alias: taken.Alias, DtmfAccessId: "99000" }),
            });
            expect(again.status).to.equal(400);
            expect(again.body).to.contain("already used by another user");
        });
    });

    it("are the same users every time: ObjectIds, call handlers and all", () => {
        const a = new Store(generateDataset(), { users: 300 }).snapshot();
        const b = new Store(generateDataset(), { users: 300 }).snapshot();
        const strip = (rows: Body[] | undefined) => rows?.map(({ CreationTime: _t, ...r }) => r);
        expect(strip(a.User)).to.have.length(302).and.to.deep.equal(strip(b.User));
        expect(strip(a.CallHandler)).to.have.length(305).and.to.deep.equal(strip(b.CallHandler));
    });

    it("cuc-sim --users N starts with N users more", async () => {
        const child = spawn(process.execPath, [path.join(ROOT, "dist/simulator/cli.js"), "--http", "--port", "0", "--users", "250"], { stdio: ["ignore", "pipe", "inherit"] });
        try {
            const first = await new Promise<string>((resolve, reject) => {
                readline.createInterface({ input: child.stdout! }).once("line", resolve);
                child.once("exit", () => reject(new Error("cuc-sim exited early")));
            });
            const url = first.replace(/^listening /, "");
            const res = await raw({ url, user: "admin", password: "Cisco-Sim-1!" } as Simulator, "GET", "/vmrest/users?rowsPerPage=0");
            expect(res.body).to.match(/<Users total="252"\/>$/);
        } finally {
            child.kill("SIGTERM");
        }
    });
});
