import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Capture, runCaptured, startTestServer, type TestServer } from "./harness.js";
import { createProgress } from "../../src/cli/progress.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

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
    for (let rows = 1; rows <= 5; rows++) progress.update(rows, rows * 10);
    progress.stop(5);
    expect(err.text).toBe("profiles: 2 rows read\nprofiles: 4 rows read\n");
  });

  it("draws a bar on a terminal", () => {
    const err = new Capture(true);
    const progress = createProgress(err, { noun: "profiles", totalBytes: 100 });
    progress.update(3, 50);
    progress.stop(6);
    expect(err.text).toContain("100%");
    expect(err.text).toContain("6 rows");
  });
});
