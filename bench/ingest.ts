import { BENCH_T0, WORKSPACE, openEmbedded, peakRssMb } from "./setup.js";

/** Result line of `bench ingest`. */
export interface IngestBenchResult {
  readonly workload: "ingest";
  readonly store: "sqlite";
  readonly events: number;
  readonly batchSize: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMb: number;
}

/**
 * Batch ingestion through the store, as the API does it: batches of 10,000 events, each committed
 * durably before the next. Profiles are created by their first event; every event is checked against
 * the dedupe index.
 */
export async function runIngestBench(events: number, batchSize: number): Promise<IngestBenchResult> {
  const bench = await openEmbedded();
  try {
    const started = performance.now();
    let sent = 0;
    for (let i = 0; i < events; i += batchSize) {
      const n = Math.min(batchSize, events - i);
      const batch = Array.from({ length: n }, (_, k) => ({
        eventId: `evt-${i + k}`,
        profileId: `p${(i + k) % 50_000}`,
        name: "page_viewed",
        payload: { path: `/docs/${(i + k) % 97}`, n: i + k },
        occurredAt: BENCH_T0,
      }));
      const result = await bench.store.appendEvents(WORKSPACE, batch, BENCH_T0);
      sent += result.accepted + result.duplicates;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      workload: "ingest",
      store: "sqlite",
      events: sent,
      batchSize,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(sent / seconds),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await bench.close();
  }
}
