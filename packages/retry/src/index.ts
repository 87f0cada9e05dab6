export {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  isNetworkError,
  parseRetryAfter,
  RetriesExhaustedError,
  sleep,
  withRetry,
  type ErrorClassifier,
  type RetryDecision,
  type RetryOptions,
} from './retry.ts';
