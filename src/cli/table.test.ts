import { describe, expect, it } from "vitest";
import { formatTable } from "./table.js";

describe("formatTable", () => {
  it("pads columns to the widest cell and trims line ends", () => {
    expect(
      formatTable(
        ["id", "name"],
        [
          ["j1", "Welcome"],
          ["journey-2", ""],
        ],
      ),
    ).toBe(["id         name", "---------  -------", "j1         Welcome", "journey-2"].join("\n"));
  });
});
