import type { Command } from "commander";
import type {
  AbortRunResponse,
  LifecycleResponse,
  RemoveFromFlowResponse,
  VersionAction,
  WaymarkClient,
} from "../../client/index.js";
import { CliInputError } from "../cli-error.js";
import { confirmOrRefuse } from "../confirm.js";
import { printJson, type CliContext } from "../context.js";
import { versionLabel } from "../format.js";
import { writeLine } from "../io.js";
import { runConfirmed, requireReason, type ConfirmOptions } from "../lifecycle-command.js";
import { actedCounts } from "../lifecycle-text.js";
import { checkDuration, parseJsonObject } from "../read-input.js";

interface VersionActionOptions extends ConfirmOptions {
  version?: string;
  until?: string;
  then?: string;
  rate?: string;
  skipOlderThan?: string;
}

const DONE: { readonly [action in VersionAction]: string } = {
  pause: "Paused",
  resume: "Resumed",
  close: "Closed",
  stop: "Stopped",
};

const HELP: { readonly [action in VersionAction]: string } = {
  pause: "pause the journey's live version: actions are held; waits and conditions go on",
  resume: "resume a paused version: held actions are released",
  close: "close the journey's active version to new entrances; profiles inside go on to the end",
  stop: "stop the journey's version (the emergency brake): nothing more is sent; queued actions are cancelled",
};

/** A version id, or a version number of the journey (`3`). */
async function resolveVersion(client: WaymarkClient, journeyId: string, given: string): Promise<string> {
  if (!/^\d+$/.test(given)) return given;
  const { versions } = await client.getJourney(journeyId);
  const found = versions.find((v) => v.number === Number(given));
  if (!found) throw new CliInputError(`--version: journey ${journeyId} has no version ${given}`);
  return found.id;
}

function checkUntil(until: string | undefined): string | undefined {
  if (until === undefined) return undefined;
  const at = Date.parse(until);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(until)) {
    throw new CliInputError(`--until: "${until}" must be an ISO time, e.g. 2026-03-02T18:00:00Z`);
  }
  return new Date(at).toISOString();
}

function checkThen(then: string | undefined): "resume" | "stop" | undefined {
  if (then === undefined || then === "resume" || then === "stop") return then;
  throw new CliInputError(`--then: "${then}" must be resume or stop`);
}

function checkRate(rate: string | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const n = Number(rate);
  if (!Number.isFinite(n) || n <= 0) throw new CliInputError(`--rate: "${rate}" must be a number above 0`);
  return n;
}

function addConfirmOptions(command: Command): Command {
  return (
    command
      /* Checked by requireReason, not made mandatory in commander: its message gives an example. */
      .option("--reason <text>", "why, recorded in the audit log (required)")
      .option("--yes", "act without asking for confirmation")
      .option("--dry-run", "show the preview only; change nothing")
      .option("--json", "print JSON")
  );
}

function registerVersionAction(journeys: Command, ctx: CliContext, action: VersionAction): void {
  const command = journeys.command(action).description(HELP[action]).argument("<journeyId>");
  command.option("--version <version>", "version id or number [default: the active version]");
  if (action === "pause") {
    command
      .option("--until <time>", "end the pause by itself at this ISO time")
      .option("--then <what>", "at --until: resume or stop [default: resume]");
  }
  if (action === "resume") {
    command
      .option("--rate <n>", "release held actions at most n per second [default: at once]")
      .option("--skip-older-than <duration>", "skip held sends older than this, e.g. 6h");
  }
  addConfirmOptions(command).action(async (journeyId: string, opts: VersionActionOptions, cmd: Command) => {
    const reason = requireReason(opts.reason);
    const until = checkUntil(opts.until);
    const then = checkThen(opts.then);
    const ratePerSecond = checkRate(opts.rate);
    const skipOlderThan =
      opts.skipOlderThan === undefined ? undefined : checkDuration(opts.skipOlderThan, "--skip-older-than");
    if (then !== undefined && until === undefined) throw new CliInputError("--then: only with --until");
    const client = ctx.client(cmd);
    const versionId =
      opts.version === undefined ? undefined : await resolveVersion(client, journeyId, opts.version);
    const input = {
      reason,
      ...(versionId === undefined ? {} : { versionId }),
      ...(until === undefined ? {} : { until }),
      ...(then === undefined ? {} : { then }),
      ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
      ...(skipOlderThan === undefined ? {} : { skipOlderThan }),
    };
    await runConfirmed<LifecycleResponse>(ctx, opts, {
      verb: action,
      describe: (p) => `${action} version ${versionLabel(p.version)} of journey ${journeyId}`,
      call: (dryRun) => client.changeVersion(journeyId, action, { ...input, dryRun }),
      extras: () => ({
        ...(until === undefined ? {} : { until }),
        ...(then === undefined ? {} : { then }),
        ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
        ...(skipOlderThan === undefined ? {} : { skipOlderThan }),
      }),
      report: (a) => [
        `${DONE[action]} version ${a.version.number} of journey ${journeyId} at ${a.acknowledgedAt} (${a.from} -> ${a.to}).`,
        actedCounts(action, a.counts),
        `Audit entry: ${a.auditId ?? "-"}`,
      ],
    });
  });
}

/**
 * `waymark journeys close|stop|pause|resume <journeyId>`, `journeys new-version <journeyId>`,
 * `journeys duplicate <versionId>` and `journeys delete <versionId>`.
 */
export function registerJourneyLifecycleCommands(journeys: Command, ctx: CliContext): void {
  const { io } = ctx;
  for (const action of ["close", "stop", "pause", "resume"] as const)
    registerVersionAction(journeys, ctx, action);

  journeys
    .command("new-version")
    .description("create a draft version copied from the journey's latest version")
    .argument("<journeyId>")
    .option("--reason <text>", "why, for the audit log [default: new version from version N]")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: { json?: boolean; reason?: string }, cmd: Command) => {
      if (opts.reason !== undefined && opts.reason.trim() === "")
        throw new CliInputError("--reason: must not be empty");
      const version = await ctx.client(cmd).newVersion(journeyId, opts.reason);
      if (opts.json) return printJson(io, { version });
      writeLine(io.stdout, `created draft version ${version.number} (${version.id}) of journey ${journeyId}`);
      writeLine(
        io.stdout,
        `edit it with: ${ctx.hint(cmd, `journeys edit ${journeyId} --file <definition.json>`)}`,
      );
      writeLine(io.stdout, `then publish it with: ${ctx.hint(cmd, `journeys publish ${journeyId}`)}`);
    });

  journeys
    .command("duplicate")
    .description("copy a version (closed, stopped and finished ones too) into a new journey")
    .argument("<versionId>")
    .option("--name <name>", "the new journey's name [default: <name> (copy)]")
    .option("--reason <text>", "why, for the audit log [default: duplicate of version N]")
    .option("--json", "print JSON")
    .action(
      async (versionId: string, opts: { name?: string; json?: boolean; reason?: string }, cmd: Command) => {
        if (opts.name !== undefined && opts.name.trim() === "")
          throw new CliInputError("--name: must not be empty");
        if (opts.reason !== undefined && opts.reason.trim() === "")
          throw new CliInputError("--reason: must not be empty");
        const answer = await ctx.client(cmd).duplicateVersion(versionId, opts.name, opts.reason);
        if (opts.json) return printJson(io, answer);
        writeLine(
          io.stdout,
          `duplicated version ${versionId} into journey ${answer.journey.id} "${answer.journey.name}", version 1 (draft ${answer.version.id})`,
        );
      },
    );

  addConfirmOptions(
    journeys
      .command("delete")
      .description("delete (archive) a draft or finished version; the audit keeps it")
      .argument("<versionId>"),
  ).action(async (versionId: string, opts: ConfirmOptions, cmd: Command) => {
    const reason = requireReason(opts.reason);
    const client = ctx.client(cmd);
    const out = opts.json ? io.stderr : io.stdout;
    writeLine(out, `Preview: delete version ${versionId}`);
    writeLine(out, "  The version will be archived: it leaves the journey's list; the audit keeps it.");
    if (opts.dryRun) return;
    await confirmOrRefuse(io, opts.yes === true);
    const version = await client.deleteVersion(versionId, reason);
    if (opts.json) return printJson(io, { version });
    writeLine(
      io.stdout,
      `Deleted version ${version.number} of journey ${version.journeyId} (now ${version.status}).`,
    );
  });
}

/** `waymark runs abort <runId>`. */
export function registerRunAbortCommand(runs: Command, ctx: CliContext): void {
  addConfirmOptions(
    runs
      .command("abort")
      .description("abort an audience run: the brake scoped to its enrollments; the version stays live")
      .argument("<runId>"),
  ).action(async (runId: string, opts: ConfirmOptions, cmd: Command) => {
    const reason = requireReason(opts.reason);
    const client = ctx.client(cmd);
    await runConfirmed<AbortRunResponse>(ctx, opts, {
      verb: "abort",
      describe: (p) => `abort run ${runId} (${p.run.status}) of journey ${p.run.journeyId}`,
      call: (dryRun) => client.abortRun(runId, { reason, dryRun }),
      report: (a) => [
        `Aborted run ${runId} at ${a.acknowledgedAt} (${a.from} -> ${a.to}).`,
        actedCounts("abort", a.counts),
        `Audit entry: ${a.auditId ?? "-"}`,
      ],
    });
  });
}

interface RemoveOptions extends ConfirmOptions {
  profile?: string[];
  filter?: string;
  journey?: string;
  all?: boolean;
}

/** `waymark profiles remove-from-flow [--profile ID...] [--filter JSON] [--journey ID | --all]`. */
export function registerRemoveFromFlowCommand(profiles: Command, ctx: CliContext): void {
  addConfirmOptions(
    profiles
      .command("remove-from-flow")
      .description("end profiles' enrollments (exit reason removed) in one journey or in all of them")
      .option("--profile <id...>", "profile ids")
      .option(
        "--filter <json>",
        `a profile filter, e.g. '{"field":"profile.attributes.plan","op":"eq","value":"pro"}'`,
      )
      .option("--journey <journeyId>", "only this journey")
      .option("--all", "every journey"),
  ).action(async (opts: RemoveOptions, cmd: Command) => {
    const reason = requireReason(opts.reason);
    if ((opts.profile === undefined) === (opts.filter === undefined)) {
      throw new CliInputError("--profile: give profile ids with --profile, or a --filter (one of the two)");
    }
    if ((opts.journey === undefined) === (opts.all !== true)) {
      throw new CliInputError(
        "--journey: name one journey with --journey <id>, or pass --all for every journey",
      );
    }
    const filter = opts.filter === undefined ? undefined : parseJsonObject(opts.filter, "--filter");
    const scope = opts.journey === undefined ? "every journey" : `journey ${opts.journey}`;
    const who =
      opts.profile === undefined ? "profiles matching the filter" : `${opts.profile.length} named profile(s)`;
    const client = ctx.client(cmd);
    await runConfirmed<RemoveFromFlowResponse>(ctx, opts, {
      verb: "remove",
      describe: () => `remove ${who} from ${scope}`,
      call: (dryRun) =>
        client.removeFromFlow({
          reason,
          dryRun,
          ...(opts.profile === undefined ? {} : { profileIds: opts.profile }),
          ...(filter === undefined ? {} : { filter }),
          ...(opts.journey === undefined ? {} : { journeyId: opts.journey }),
        }),
      report: (a) => [
        `Removed ${a.removed.toLocaleString("en-US")} enrollment(s) from ${scope} at ${a.acknowledgedAt}.`,
        actedCounts("remove", a.counts),
        `Audit entry: ${a.auditId ?? "-"}`,
      ],
    });
  });
}
