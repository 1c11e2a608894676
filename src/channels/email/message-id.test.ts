import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emailMessageId } from "./message-id.js";

describe("emailMessageId", () => {
  it("keeps safe characters and encodes the rest", () => {
    expect(emailMessageId("enr_1:3")).toBe("<enr_1=3A3@waymark>");
    expect(emailMessageId("a-b_C9")).toBe("<a-b_C9@waymark>");
    expect(emailMessageId("a b<>@=é")).toBe("<a=20b=3C=3E=40=3D=C3=A9@waymark>");
  });

  it("always gives a valid dot-atom local part, and different keys different ids", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const id = emailMessageId(a);
        expect(id).toMatch(/^<[A-Za-z0-9_=-]*@waymark>$/);
        if (a !== b) expect(emailMessageId(b)).not.toBe(id);
      }),
    );
  });
});
