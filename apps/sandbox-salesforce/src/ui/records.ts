import express, { type Router } from 'express';
import type { SandboxState } from '../state.ts';

/** Placeholder until the records UI lands. */
export function recordsUiRouter(_state: SandboxState): Router {
  return express.Router();
}
