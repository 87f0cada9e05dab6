import express, { type Router } from 'express';
import { z } from 'zod';
import type { CallCounter } from './call-counter.ts';
import { faultSchema, type FaultInjector } from './faults.ts';

export interface ControlOptions {
  faults: FaultInjector;
  calls: CallCounter;
  /** Restores the seeded state. */
  reset: () => void | Promise<void>;
}

/**
 * Test-only routes under `/__sandbox`, outside the emulated API's paths so the
 * official clients never reach them: reset, faults, call counts.
 */
export function createControlRouter({ faults, calls, reset }: ControlOptions): Router {
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

  return router;
}
