import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/index.js";
import { evaluateCondition } from "../../src/core/index.js";
import { createProgress } from "../../src/cli/progress.js";
import { Capture, runCaptured, startTestServer, type TestServer } from "./harness.js";
import { BIN, pollUntil, requireBuiltBin, spawnWaymark, SPAWN_TIMEOUT_MS } from "./process-harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** The stored profiles whose id starts with `prefix`, read from the server's SQLite file. */
function storedProfiles(
  prefix: string,
): Map<string, { email: string | null; attributes: Record<string, unknown> }> {
  const db = new Database(join(server.dir, "data", "waymark.db"), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT id, email, attributes FROM profiles WHERE workspace_id = 'default' AND id LIKE ? || '%'",
      )
      .all(prefix) as { id: string; email: string | null; attributes: string }[];
    return new Map(
      rows.map((r) => [
        r.id,
        { email: r.email, attributes: JSON.parse(r.attributes) as Record<string, unknown> },
      ]),
    );
  } finally {
    db.close();
  }
}

/** `header` and then rows `<prefix><n>,<n>@example.com,<n * 10>` for n = 1..count. */
function peopleCsv(prefix: string, count: number): string[] {
  return [
    "id,email,lifetime_value",
    ...Array.from(
      { length: count },
      (_, i) => `${prefix}${i + 1},${prefix}${i + 1}@example.com,${(i + 1) * 10}`,
    ),
  ];
}

describe("waymark profiles import", () => {
  it("imports CSV, attributes from extra columns, and reports rejected lines", async () => {
    const csv = [
      "id,email,timezone,subscribed,plan,city",
      "c1,c1@example.com,Europe/Paris,true,pro,Paris",
      "c2,not-an-email,,,free,",
      "c3,,Mars/Olympus,yes,free,Lyon",
      "",
      "c4,c4@example.com,UTC,maybe,free,Nice",
      ",nobody@example.com,,,,",
      "c5,,,no,,",
    ].join("\n");
    const file = await server.file("people.csv", csv);
    const run = await server.cli("profiles", "import", file);
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe("imported 2 (inserted 2, updated 0), rejected 4");
    expect(lines[1]).toMatch(/^line 3: email: /);
    expect(lines[2]).toMatch(/^line 4: timezone: /);
    expect(lines[3]).toMatch(/^line 6: subscribed: /);
    expect(lines[4]).toMatch(/^line 7: id: /);
    expect(lines).toHaveLength(5);

    const shown = await server.cli("profiles", "show", "c1", "--json");
    const { profile } = JSON.parse(shown.stdout) as { profile: Record<string, unknown> };
    expect(profile).toMatchObject({
      email: "c1@example.com",
      timezone: "Europe/Paris",
      subscribed: true,
      attributes: { plan: "pro", city: "Paris" },
    });
    const c5 = JSON.parse((await server.cli("profiles", "show", "c5", "--json")).stdout) as {
      profile: Record<string, unknown>;
    };
    expect(c5.profile).toMatchObject({ subscribed: false, attributes: {} });
  });

  it("imports NDJSON in batches, counting updates, and reports bad lines", async () => {
    const rows = [
      JSON.stringify({ id: "c1", attributes: { plan: "free" } }),
      "{ not json",
      JSON.stringify({ id: "n1", email: "n1@example.com" }),
      "",
      JSON.stringify({ email: "noid@example.com" }),
      JSON.stringify([1, 2]),
      JSON.stringify({ id: "n2", subscribed: "yes" }),
      JSON.stringify({ id: "n3", attributes: { score: 3 } }),
    ];
    const file = await server.file("people.ndjson", rows.join("\n") + "\n");
    const run = await server.cli("profiles", "import", file, "--batch-size", "2");
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe("imported 3 (inserted 2, updated 1), rejected 4");
    expect(lines.slice(1).map((l) => /^line (\d+): (\w+)/.exec(l)?.slice(1).join(" "))).toEqual([
      "2 invalid",
      "5 id",
      "6 must",
      "7 subscribed",
    ]);
    const c1 = JSON.parse((await server.cli("profiles", "show", "c1", "--json")).stdout) as {
      profile: Record<string, unknown>;
    };
    expect(c1.profile).toMatchObject({
      email: "c1@example.com",
      attributes: { plan: "free", city: "Paris" },
    });
  });

  it("exits 0 with no rejections, reads stdin, and checks its options", async () => {
    const file = await server.file("ok.ndjson", `${JSON.stringify({ id: "ok1" })}\n`);
    const run = await server.cli("profiles", "import", file);
    expect(run).toMatchObject({ code: 0, stdout: "imported 1 (inserted 1, updated 0), rejected 0\n" });

    const piped = await runCaptured(
      ["profiles", "import", "-", "--format", "csv"],
      { WAYMARK_URL: server.url },
      "id,plan\nin1,pro\n",
    );
    expect(piped).toMatchObject({ code: 0, stdout: "imported 1 (inserted 1, updated 0), rejected 0\n" });

    const noFormat = await server.cli("profiles", "import", await server.file("people.txt", "id\nx\n"));
    expect(noFormat.code).toBe(1);
    expect(noFormat.stderr).toMatch(/^error: --format: /);
    const badFormat = await server.cli("profiles", "import", file, "--format", "xml");
    expect(badFormat.stderr).toBe('error: --format: "xml" must be csv or ndjson\n');
    const missing = await server.cli("profiles", "import", `${server.dir}/absent.csv`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: <file>: cannot read .*absent\.csv \(ENOENT\)/);
  });

  it("prints progress lines, not a bar, when stderr is not a terminal", () => {
    const err = new Capture(false);
    const progress = createProgress(err, { noun: "profiles", totalBytes: 100, lineEvery: 2 });
    for (let line = 1; line <= 5; line++) progress.update({ line, bytes: line * 10, written: line - 1 });
    progress.stop({ line: 5, bytes: 50, written: 5 }, true);
    expect(err.text).toBe("profiles: line 2 read, 1 written\nprofiles: line 4 read, 3 written\n");
  });

  it("draws a bar on a terminal, at 100 % only when the whole input was imported", () => {
    const done = new Capture(true);
    const complete = createProgress(done, { noun: "profiles", totalBytes: 100 });
    complete.update({ line: 3, bytes: 50, written: 0 });
    complete.stop({ line: 6, bytes: 100, written: 5 }, true);
    expect(done.text).toContain("100%");
    expect(done.text).toContain("line 6 | 5 written");

    const failed = new Capture(true);
    const stopped = createProgress(failed, { noun: "profiles", totalBytes: 100 });
    stopped.update({ line: 3, bytes: 50, written: 2 });
    stopped.stop({ line: 3, bytes: 50, written: 2 }, false);
    expect(failed.text).toContain("50%");
    expect(failed.text).not.toContain("100%");
  });
});

describe("waymark profiles import: issue 16", () => {
  it("issue 16 defect 3: a stray quote on line 5,625 of 6,000 rejects that line only; every other row is written, typed", async () => {
    const lines = peopleCsv("sq", 5999);
    lines[5624] = 'sq5624,"sq5624@example.com,56240';
    const file = await server.file("stray-quote.csv", lines.join("\n") + "\n");
    const run = await server.cli("profiles", "import", file);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(2);
    const out = run.stdout.trim().split("\n");
    expect(out[0]).toBe("imported 5998 (inserted 5998, updated 0), rejected 1");
    expect(out[1]).toMatch(/^line 5625: a quote opens a value here that is never closed/);
    expect(out).toHaveLength(2);

    const stored = storedProfiles("sq");
    expect(stored.size).toBe(5998);
    expect(stored.has("sq5624")).toBe(false);
    for (const id of ["sq1", "sq5000", "sq5623", "sq5625", "sq5999"]) expect(stored.has(id)).toBe(true);
    expect(stored.get("sq5625")).toEqual({
      email: "sq5625@example.com",
      attributes: { lifetime_value: 56250 },
    });
  });

  it("issue 16 defect 3: rows with too few or too many values, and a second row for an id, are rejected", async () => {
    const csv = [
      "id,email,plan",
      "cc1,cc1@example.com,pro",
      "cc2,cc2@example.com",
      "cc3,cc3@example.com,pro,extra",
      "cc1,other@example.com,free",
      "cc4,cc4@example.com,free",
    ].join("\n");
    const run = await server.cli("profiles", "import", await server.file("counts.csv", csv));
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split("\n")).toEqual([
      "imported 2 (inserted 2, updated 0), rejected 3",
      "line 3: has 2 values, but the header has 3 columns",
      "line 4: has 4 values, but the header has 3 columns",
      'line 5: id: "cc1" is on line 2 already; a file sets each profile once',
    ]);
    const stored = storedProfiles("cc");
    expect([...stored.keys()].sort()).toEqual(["cc1", "cc4"]);
    expect(stored.get("cc1")).toEqual({ email: "cc1@example.com", attributes: { plan: "pro" } });
  });

  it("issue 16 defect 3: `lifetime_value` 120 is stored as a number, and zip:string or --types keep text", async () => {
    const csv = ["id,lifetime_value,zip:string,code,active", "ty1,120,02134,12345,true"].join("\n");
    const file = await server.file("types.csv", csv);
    const run = await server.cli("profiles", "import", file, "--types", "code=string");
    expect(run).toMatchObject({ code: 0, stdout: "imported 1 (inserted 1, updated 0), rejected 0\n" });
    const attributes = storedProfiles("ty").get("ty1")?.attributes ?? {};
    expect(attributes).toEqual({ lifetime_value: 120, zip: "02134", code: "12345", active: true });
    const profile = { workspaceId: "default", id: "ty1", email: null, timezone: null, subscribed: true };
    const facts = {
      profile: { ...profile, attributes, createdAt: 0, updatedAt: 0 },
      event: null,
      results: {},
    };
    expect(evaluateCondition({ field: "profile.lifetime_value", op: "gt", value: 100 }, facts)).toBe(true);
    const badTypes = await server.cli("profiles", "import", file, "--types", "zipp=string");
    expect(badTypes).toMatchObject({ code: 1, stdout: "" });
    expect(badTypes.stderr).toMatch(/^error: --types: the header has no column "zipp"/);
  });

  it("issue 16 defect 1: an NDJSON line with a top-level key that is not a profile field is rejected, naming the key and the line", async () => {
    const rows = [
      JSON.stringify({ id: "uk1", ltv: 120 }),
      JSON.stringify({ id: "uk2", attributes: { ltv: 120 } }),
    ];
    const run = await server.cli("profiles", "import", await server.file("unknown.ndjson", rows.join("\n")));
    expect(run.code).toBe(2);
    expect(run.stdout.trim().split("\n")).toEqual([
      "imported 1 (inserted 1, updated 0), rejected 1",
      'line 1: ltv: unknown field; a line has only id, email, timezone, subscribed, attributes (put other values under "attributes")',
    ]);
    expect([...storedProfiles("uk").keys()]).toEqual(["uk2"]);
  });

  it("issue 16 defect 3: a batch the server fails stops the import, with a summary of what was written, and the bar short of 100 %", async () => {
    /* A real loopback proxy in front of the server: two batches go through, the third gets a 503. */
    let batches = 0;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.url === "/v1/profiles/batch" && ++batches > 2) {
          res.writeHead(503, { "content-type": "application/json" });
          res.end(JSON.stringify({ code: "unavailable", message: "the database is restarting", path: null }));
          return;
        }
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(
            (e): e is [string, string] =>
              typeof e[1] === "string" && !["host", "connection", "content-length"].includes(e[0]),
          ),
        );
        void fetch(`${server.url}${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        }).then(async (answer) => {
          res.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "text/plain",
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const file = await server.file("fails.csv", peopleCsv("bf", 50).join("\n") + "\n");
      const stdout = new Capture();
      const stderr = new Capture(true);
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const code = await runCli(["profiles", "import", file, "--batch-size", "10"], {
        stdout,
        stderr,
        stdin: process.stdin,
        env: { WAYMARK_URL: url },
      });
      expect(code).toBe(1);
      expect(stdout.text).toBe("imported 20 (inserted 20, updated 0), rejected 0\n");
      expect(stderr.text).toContain(
        "error: the import stopped early: the batch of lines 22-31 failed (503 unavailable: the database is restarting); it may or may not have been written. " +
          "Every line through line 21 was written or rejected",
      );
      expect(stderr.text).toMatch(/\d+% \| line 21 \| 20 written/);
      expect(stderr.text).not.toContain("100%");
      expect(storedProfiles("bf").size).toBe(20);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

describe("docs/profiles-import.md", () => {
  /** The first fenced block of `language` in the page. */
  async function example(language: string): Promise<string> {
    const page = await readFile(join(process.cwd(), "docs", "profiles-import.md"), "utf8");
    const block = new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(page);
    if (block?.[1] === undefined) throw new Error(`no ${language} example in docs/profiles-import.md`);
    return block[1];
  }

  it("issue 16 defect 3: the CSV example imports as the page says", async () => {
    const run = await server.cli("profiles", "import", await server.file("docs.csv", await example("csv")));
    expect(run).toMatchObject({ code: 0, stdout: "imported 3 (inserted 3, updated 0), rejected 0\n" });
    const stored = storedProfiles("p");
    expect(stored.get("p1")).toEqual({
      email: "ann@example.com",
      attributes: { plan: "pro", lifetime_value: 120, zip: "02134", signed_up_on: "2026-03-01" },
    });
    expect(stored.get("p2")?.attributes).toEqual({ plan: "free", lifetime_value: 0, zip: "10001" });
    expect(stored.get("p3")?.attributes).toEqual({
      plan: "pro, yearly",
      lifetime_value: 89.5,
      zip: "94105",
      signed_up_on: "2026-05-17",
    });
  });

  it("issue 16 defect 3: the NDJSON example imports as the page says", async () => {
    const file = await server.file("docs.ndjson", await example("json"));
    const run = await server.cli("profiles", "import", file);
    expect(run).toMatchObject({ code: 0, stdout: "imported 3 (inserted 0, updated 3), rejected 0\n" });
    const stored = storedProfiles("p");
    expect(stored.get("p2")).toEqual({
      email: null,
      attributes: { plan: "free", lifetime_value: 0, zip: "10001", tags: ["beta"] },
    });
  });
});

describe("waymark profiles import: the real process reading a pipe", () => {
  beforeAll(() => requireBuiltBin());

  it(
    "issue 16: `profiles import /dev/stdin` reads the pipe",
    async () => {
      const child = spawnWaymark(
        ["profiles", "import", "/dev/stdin", "--format", "csv"],
        { WAYMARK_URL: server.url },
        {
          stdin: "pipe",
        },
      );
      child.child.stdin?.end("id,plan\nds1,pro\nds2,free\n");
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(child.stdout).toEqual(["imported 2 (inserted 2, updated 0), rejected 0"]);
      expect(storedProfiles("ds").get("ds1")?.attributes).toEqual({ plan: "pro" });
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "issue 16: `profiles import /dev/stdin` reads a shell pipe",
    async () => {
      const pipeline = `printf 'id,plan\\nsh1,pro\\n' | "${process.execPath}" "${BIN}" profiles import /dev/stdin --format csv`;
      const shell = spawn("sh", ["-c", pipeline], { env: { ...process.env, WAYMARK_URL: server.url } });
      let stdout = "";
      let stderr = "";
      shell.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      shell.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => shell.once("close", resolve));
      expect({ code, stdout, stderr }).toEqual({
        code: 0,
        stdout: "imported 1 (inserted 1, updated 0), rejected 0\n",
        stderr: "",
      });
      expect(storedProfiles("sh").get("sh1")?.attributes).toEqual({ plan: "pro" });
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "issue 16 defect 3: Ctrl-C stops after the batch in flight and says what was written",
    async () => {
      const child = spawnWaymark(
        ["profiles", "import", "-", "--format", "csv", "--batch-size", "100"],
        { WAYMARK_URL: server.url },
        { stdin: "pipe" },
      );
      try {
        /* 250 rows: two batches are written, 50 rows wait for a third that never fills. */
        child.child.stdin?.write(peopleCsv("ci", 250).join("\n") + "\n");
        expect(await pollUntil(() => Promise.resolve(storedProfiles("ci").size), 200, 30_000)).toBe(200);
        child.child.kill("SIGINT");
        const exit = await child.exited;
        expect(exit).toEqual({ code: 130, signal: null });
        expect(child.stdout).toEqual(["imported 200 (inserted 200, updated 0), rejected 0"]);
        expect(child.stderr.join("\n")).toContain(
          "interrupted by SIGINT. Every line through line 201 was written or rejected, as counted above, and nothing after it was written.",
        );
        expect(storedProfiles("ci").size).toBe(200);
      } finally {
        await child.kill();
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});
