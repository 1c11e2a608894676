import { randomBytes } from "node:crypto";
import type { Millis } from "../../core/index.js";

/* Process-wide state: ids must keep increasing across every store of the process. */
const processBits = randomBytes(6).toString("hex");
let lastMs = -1;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562) that increases monotonically within the process: 48 bits of milliseconds, then a
 * 24-bit counter (RFC 9562 §6.2 method 1) that restarts at each new millisecond, then 48 random bits
 * fixed per process. Rows created together get neighbouring keys, so a batch touches a few B-tree
 * pages instead of one page per row. On a manual clock every id of a batch shares one millisecond:
 * the counter, not randomness, must order them, or each commit rewrites most of the log's pages.
 * A clock that goes backwards keeps the last millisecond.
 */
export function timeOrderedId(now: Millis): string {
  const ms = Math.max(Math.trunc(now), lastMs, 0);
  if (ms === lastMs) {
    counter += 1;
  } else {
    lastMs = ms;
    counter = 0;
  }
  if (counter > 0xff_ffff) {
    /* 16.7M ids in one millisecond: borrow the next millisecond rather than wrap. */
    lastMs = ms + 1;
    counter = 0;
  }
  const msHex = lastMs.toString(16).padStart(12, "0");
  const high = (counter >>> 12) & 0xfff;
  const low = counter & 0xfff;
  return (
    `${msHex.slice(0, 8)}-${msHex.slice(8, 12)}-7${high.toString(16).padStart(3, "0")}-` +
    `${(0x8 | (low >>> 10)).toString(16)}${(low & 0x3ff).toString(16).padStart(3, "0")}-${processBits}`
  );
}
