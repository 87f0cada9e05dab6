// The mapping form's work per change (apps/web/src/stores/wizard.ts): every
// change of a dropdown re-runs `validateMapping` over the whole mapping;
// `describeMappingOptions` runs once when the org's fields arrive.
import { describeMappingOptions, validateMapping, type Mapping } from '@contact-sync/rules';
import { brevoAccountAttributes, salesforceOrgFields } from './mapping-org.ts';

export interface MappingTiming {
  fields: number;
  attributes: number;
  changes: number;
  validateMedianMs: number;
  validateP99Ms: number;
  describeMedianMs: number;
}

const WARM_UP_CHANGES = 500;
const DESCRIBE_RUNS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** A deterministic pseudo-random sequence, so runs compare. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function timeMappingValidation(changes = 5000, fieldCount = 300): MappingTiming {
  const fields = salesforceOrgFields(fieldCount);
  const attributes = brevoAccountAttributes();

  const describeSamples: number[] = [];
  let options = describeMappingOptions(fields, attributes);
  for (let i = 0; i < DESCRIBE_RUNS; i += 1) {
    const start = process.hrtime.bigint();
    options = describeMappingOptions(fields, attributes);
    describeSamples.push(elapsedMs(start));
  }
  const mappable = options.filter((option) => option.kind !== null && option.eligibleFields.length > 0);

  // A user picking fields: mostly eligible ones, sometimes an ineligible one (an error shown) or clearing a row.
  const random = sequence(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  let mapping: Mapping = { EMAIL: 'Email' };
  const samples: number[] = [];
  for (let i = 0; i < WARM_UP_CHANGES + changes; i += 1) {
    const option = pick(mappable);
    const roll = random();
    const next: Record<string, string> = { ...mapping };
    if (roll < 0.1) delete next[option.attribute.name];
    else if (roll < 0.2 && option.ineligibleFields.length > 0) next[option.attribute.name] = pick(option.ineligibleFields).field.name;
    else next[option.attribute.name] = pick(option.eligibleFields).name;
    mapping = next;
    const start = process.hrtime.bigint();
    validateMapping(mapping, fields, attributes);
    if (i >= WARM_UP_CHANGES) samples.push(elapsedMs(start));
  }
  samples.sort((a, b) => a - b);
  describeSamples.sort((a, b) => a - b);
  return {
    fields: fields.length,
    attributes: attributes.length,
    changes,
    validateMedianMs: percentile(samples, 50),
    validateP99Ms: percentile(samples, 99),
    describeMedianMs: percentile(describeSamples, 50),
  };
}
