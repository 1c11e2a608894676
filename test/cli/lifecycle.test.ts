import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/index.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Email at once, then wait a day: after one clock step every profile is in flight with one email sent. */
const mailThenWait = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "api" }, next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "done" },
    { id: "done", kind: "exit" },
  ],
};

let journeys = 0;

/** A live journey with `profiles` enrolled and past their email. Returns the journey and version ids. */
async function liveJourney(profiles: readonly string[]): Promise<{ journeyId: string; versionId: string }> {
  journeys += 1;
  const people = profiles.map((id) => JSON.stringify({ id, email: `${id}@example.com` })).join("\n");
  expect(
    (await server.cli("profiles", "import", await server.file(`p${journeys}.ndjson`, people))).code,
  ).toBe(0);
  const file = await server.file(`j${journeys}.json`, JSON.stringify(mailThenWait));
  const created = await server.cli(
    "journeys",
    "create",
    "--name",
    `Sale ${journeys}`,
    "--file",
    file,
    "--json",
  );
  const answer = JSON.parse(created.stdout) as { journey: { id: string }; version: { id: string } };
  expect((await server.cli("journeys", "publish", answer.journey.id)).code).toBe(0);
  expect((await server.cli("enroll", answer.journey.id, ...profiles)).code).toBe(0);
  expect((await server.cli("clock", "advance", "1m")).code).toBe(0);
  return { journeyId: answer.journey.id, versionId: answer.version.id };
}

async function statusOf(journeyId: string): Promise<string[]> {
  const shown = await server.cli("journeys", "show", journeyId, "--json");
  return (JSON.parse(shown.stdout) as { versions: { status: string }[] }).versions.map((v) => v.status);
}

describe("waymark journeys stop: preview, confirmation, act", () => {
  it("requires --reason, naming it", async () => {
    const { journeyId } = await liveJourney(["r1"]);
    const missing = await server.cli("journeys", "stop", journeyId, "--yes");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: --reason: required/);
    expect(await statusOf(journeyId)).toEqual(["live"]);
  });

  it("shows the preview, then refuses without a terminal and without --yes; nothing changes", async () => {
    const { journeyId } = await liveJourney(["a1", "a2", "a3"]);
    const refused = await server.cli("journeys", "stop", journeyId, "--reason", "wrong coupon");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`Preview: stop version 1 (live) of journey ${journeyId}`);
    expect(refused.stdout).toContain(
      "3 profiles will stop; 0 queued actions will not be sent; 0 actions already dispatched may still complete; 3 actions already attempted are not recalled (3 succeeded, 0 failed).",
    );
    expect(refused.stderr).toMatch(/not a terminal.*--yes/);
    expect(await statusOf(journeyId)).toEqual(["live"]);
  });

  it("asks Proceed? [y/N]: `n` cancels, `y` stops and prints the counts and the audit id", async () => {
    const { journeyId } = await liveJourney(["b1", "b2"]);
    const no = await server.cliAnswering("n\n", "journeys", "stop", journeyId, "--reason", "wrong coupon");
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("Proceed? [y/N] ");
    expect(no.stderr).toContain("cancelled");
    expect(await statusOf(journeyId)).toEqual(["live"]);

    const yes = await server.cliAnswering("y\n", "journeys", "stop", journeyId, "--reason", "wrong coupon");
    expect(yes.stderr).toBe("");
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(
      new RegExp(`Stopped version 1 of journey ${journeyId} at \\S+ \\(live -> stopped\\)\\.`),
    );
    expect(yes.stdout).toContain("At that moment: 2 profiles in flight; 0 queued actions cancelled;");
    const auditId = /Audit entry: (\S+)/.exec(yes.stdout)?.[1];
    expect(auditId).toBeDefined();
    expect(await statusOf(journeyId)).toEqual(["stopped"]);

    const audit = await server.cli("audit", "--journey", journeyId, "--json");
    const entries = (JSON.parse(audit.stdout) as { entries: { id: string; actor: string; reason: string }[] })
      .entries;
    expect(entries.find((e) => e.id === auditId)).toMatchObject({ actor: "cli", reason: "wrong coupon" });
    const table = await server.cli("audit", "--journey", journeyId);
    expect(table.stdout).toContain("wrong coupon");
    const notes = await server.cli("notifications", "--journey", journeyId);
    expect(notes.code).toBe(0);
    expect(notes.stdout).toContain("version:stopped");

    const outbox = await server.cli("outbox", journeyId);
    expect(outbox.code).toBe(0);
    expect(outbox.stdout.match(/dispatched before stop/g)).toHaveLength(2);

    const resume = await server.cli("journeys", "resume", journeyId, "--reason", "undo", "--yes");
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain("current state: stopped");
  });

  it("--dry-run shows the preview only; --json prints the answer alone on stdout", async () => {
    const { journeyId } = await liveJourney(["c1"]);
    const dry = await server.cli("journeys", "close", journeyId, "--reason", "over", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Nobody new will enter; 1 profile already inside go on to the end");
    expect(await statusOf(journeyId)).toEqual(["live"]);

    const closed = await server.cli("journeys", "close", journeyId, "--reason", "over", "--yes", "--json");
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ from: "live", to: "closed", dryRun: false });
    expect(closed.stderr).toContain("Preview: close version 1 (live)");
    expect(await statusOf(journeyId)).toEqual(["closed"]);
  });
});

describe("waymark journeys pause|resume|new-version|duplicate|delete", () => {
  it("pauses until a time, then resumes at a rate", async () => {
    const { journeyId } = await liveJourney(["d1"]);
    const until = "2099-01-01T00:00:00Z";
    const bad = await server.cli("journeys", "pause", journeyId, "--reason", "r", "--then", "later", "--yes");
    expect(bad.stderr).toMatch(/^error: --then: "later" must be resume or stop/);
    const pause = await server.cliAnswering(
      "yes\n",
      "journeys",
      "pause",
      journeyId,
      "--reason",
      "check copy",
      "--until",
      until,
      "--then",
      "stop",
    );
    expect(pause.stderr).toBe("");
    expect(pause.stdout).toContain("The pause ends at 2099-01-01T00:00:00.000Z with a stop.");
    expect(pause.stdout).toContain("(live -> paused)");
    expect(await statusOf(journeyId)).toEqual(["paused"]);

    const resume = await server.cli(
      "journeys",
      "resume",
      journeyId,
      "--reason",
      "copy ok",
      "--rate",
      "5",
      "--skip-older-than",
      "6h",
      "--yes",
    );
    expect(resume.stderr).toBe("");
    expect(resume.stdout).toContain(
      "will be released at most 5 per second; held sends older than 6h are skipped.",
    );
    expect(resume.stdout).toContain("(paused -> live)");
    expect(await statusOf(journeyId)).toEqual(["live"]);
  });

  it("creates a new version, deletes it, duplicates the first into a new journey", async () => {
    const { journeyId, versionId } = await liveJourney(["e1"]);
    const blank = await server.cli("journeys", "new-version", journeyId, "--reason", " ");
    expect(blank).toMatchObject({ code: 1, stderr: "error: --reason: must not be empty\n" });
    const next = await server.cli("journeys", "new-version", journeyId, "--reason", "copy edits", "--json");
    const draft = (JSON.parse(next.stdout) as { version: { id: string; number: number; status: string } })
      .version;
    expect(draft).toMatchObject({ number: 2, status: "draft" });
    const audit = await server.cli("audit", "--journey", journeyId, "--json");
    expect(audit.stdout).toContain('"reason": "copy edits"');
    expect(audit.stdout).toContain('"action": "version:created"');

    const noReason = await server.cli("journeys", "delete", draft.id, "--yes");
    expect(noReason.stderr).toMatch(/^error: --reason: required/);
    const refused = await server.cli("journeys", "delete", draft.id, "--reason", "not needed");
    expect(refused.code).toBe(1);
    expect(await statusOf(journeyId)).toEqual(["live", "draft"]);
    const del = await server.cli("journeys", "delete", draft.id, "--reason", "not needed", "--yes");
    expect(del.stderr).toBe("");
    expect(del.stdout).toContain(`Deleted version 2 of journey ${journeyId} (now archived).`);

    const liveDelete = await server.cli("journeys", "delete", versionId, "--reason", "tidy", "--yes");
    expect(liveDelete.code).toBe(1);
    expect(liveDelete.stderr).toContain("current state: live");

    const dup = await server.cli("journeys", "duplicate", versionId, "--name", "Sale copy");
    expect(dup.code).toBe(0);
    expect(dup.stdout).toMatch(
      /^duplicated version \S+ into journey \S+ "Sale copy", version 1 \(draft \S+\)/,
    );
  });
});

describe("waymark runs abort and profiles remove-from-flow", () => {
  it("aborts a running audience run after confirmation", async () => {
    const { journeyId, versionId } = await liveJourney(["f1"]);
    /* A run written straight to the store stays running, so the abort cannot race its completion. */
    const store = createSqliteStore({ path: join(server.dir, "data", "waymark.db") });
    let runId: string;
    try {
      runId = (
        await store.createRun({ workspaceId: "default", journeyId, versionId, trigger: "now" }, Date.now())
      ).id;
    } finally {
      await store.close();
    }
    const abort = await server.cliAnswering("y\n", "runs", "abort", runId, "--reason", "wrong list");
    expect(abort.stderr).toBe("");
    expect(abort.stdout).toContain(`Preview: abort run ${runId} (running) of journey ${journeyId}`);
    expect(abort.stdout).toContain("will stop;");
    expect(abort.stdout).toMatch(/Aborted run \S+ at \S+ \(running -> aborted\)\./);
    const shown = await server.cli("runs", "show", runId, "--json");
    expect((JSON.parse(shown.stdout) as { run: { status: string } }).run.status).toBe("aborted");

    const again = await server.cli("runs", "abort", runId, "--reason", "again", "--yes");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("current state: aborted");
  });

  it("removes named profiles from one journey", async () => {
    const { journeyId } = await liveJourney(["g1", "g2"]);
    const noScope = await server.cli(
      "profiles",
      "remove-from-flow",
      "--profile",
      "g1",
      "--reason",
      "asked",
      "--yes",
    );
    expect(noScope.stderr).toMatch(/^error: --journey: /);
    const removed = await server.cli(
      "profiles",
      "remove-from-flow",
      "--profile",
      "g1",
      "--journey",
      journeyId,
      "--reason",
      "asked",
      "--yes",
    );
    expect(removed.stderr).toBe("");
    expect(removed.stdout).toContain("1 enrollment will end (removed)");
    expect(removed.stdout).toMatch(
      new RegExp(
        `Removed 1 enrollment\\(s\\) from journey ${journeyId} at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\.`,
      ),
    );
    const g1 = await server.cli("profiles", "show", "g1", "--json");
    const enrollments = (JSON.parse(g1.stdout) as { enrollments: { exitReason?: string }[] }).enrollments;
    expect(enrollments[0]?.exitReason).toBe("removed");
  });

  it("removes by filter from every journey", async () => {
    await liveJourney(["h1"]);
    const filter = JSON.stringify({ field: "profile.id", op: "eq", value: "h1" });
    const removed = await server.cli(
      "profiles",
      "remove-from-flow",
      "--filter",
      filter,
      "--all",
      "--reason",
      "gdpr",
      "--yes",
    );
    expect(removed.stderr).toBe("");
    expect(removed.stdout).toMatch(
      /Removed 1 enrollment\(s\) from every journey at \d{4}-\d\d-\d\dT[\d:.]+Z\./,
    );
  });
});
