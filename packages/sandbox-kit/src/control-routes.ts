import express, { type Router } from 'express';
import { z } from 'zod';
import type { CallCounter } from './call-counter.ts';
import { faultSchema, type FaultInjector } from './faults.ts';
import { latencyRangeSchema, type ApiLatency } from './latency.ts';

export interface ControlOptions {
  faults: FaultInjector;
  calls: CallCounter;
  /** Restores the seeded state. */
  reset: () => void | Promise<void>;
  /** The emulated API's answer times (`/__sandbox/latency`); a reset leaves them as set. */
  latency?: ApiLatency;
}

/**
 * Test-only routes under `/__sandbox`, outside the emulated API's paths so the
 * official clients never reach them: reset, faults, call counts, latency.
 */
export function createControlRouter({ faults, calls, reset, latency }: ControlOptions): Router {
  const router = express.Router();
  router.use(express.json());

  router.post('/reset', async (_req, res) => {
    await reset();
    faults.clear();
    calls.reset();
    res.status(204).end();
  });

  router.get('/faults', (_req, res) => {
    res.json(faults.list());
  });

  router.post('/faults', (req, res) => {
    const parsed = z.union([faultSchema, z.array(faultSchema)]).safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_fault', issues: parsed.error.issues });
      return;
    }
    const added = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).map((fault) => faults.add(fault));
    res.status(201).json(added);
  });

  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });

  router.get('/calls', (_req, res) => {
    res.json(calls.snapshot());
  });

  router.delete('/calls', (_req, res) => {
    calls.reset();
    res.status(204).end();
  });

  if (latency) {
    router.get('/latency', (_req, res) => {
      res.json({ latency: latency.range });
    });

    // Body: `{ "minMs": 80, "maxMs": 150 }`; DELETE turns it off.
    router.put('/latency', (req, res) => {
      const parsed = latencyRangeSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: 'invalid_latency', issues: parsed.error.issues });
        return;
      }
      latency.set(parsed.data);
      res.json({ latency: latency.range });
    });

    router.delete('/latency', (_req, res) => {
      latency.set(null);
      res.status(204).end();
    });
  }

  return router;
}
