import type { Millis } from "../../core/index.js";
import type { PgContext } from "./postgres-context.js";

/** `Store.manualClockTime` and `Store.saveManualClock`: the one row of `manual_clock`. */
export function makePgManualClock(ctx: PgContext): {
  manualClockTime(): Promise<Millis | null>;
  saveManualClock(at: Millis): Promise<void>;
} {
  return {
    async manualClockTime() {
      const [row] = await ctx.read<{ at: number }>("SELECT at FROM manual_clock WHERE id = 1");
      return row?.at ?? null;
    },
    saveManualClock: (at) =>
      ctx.tx("durable", async (tx) => {
        await tx.query(
          `INSERT INTO manual_clock (id, at) VALUES (1, $1)
           ON CONFLICT (id) DO UPDATE SET at = GREATEST(manual_clock.at, excluded.at)`,
          [at],
        );
      }),
  };
}
