import { describe, expect, it } from "vitest";
import { T0, type ContractContext } from "./contract-fixtures.js";

/** `manualClockTime` and `saveManualClock`. */
export function describeManualClockContract(ctx: ContractContext): void {
  describe("manual clock", () => {
    it("issue 16 defect 5: stores the time a manual clock reached, and keeps it from going back", async () => {
      const store = ctx.store();
      expect(await store.manualClockTime()).toBeNull();
      await store.saveManualClock(T0);
      expect(await store.manualClockTime()).toBe(T0);
      const later = T0 + 340 * 86_400_000 + 1;
      await store.saveManualClock(later);
      expect(await store.manualClockTime()).toBe(later);
      await store.saveManualClock(T0 + 1);
      expect(await store.manualClockTime()).toBe(later);
    });
  });
}
