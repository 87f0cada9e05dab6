import type { SealedSecret, SecretBox } from '@contact-sync/secrets';
import { Schema, type Connection, type Model } from 'mongoose';
import { sealedSecretSchema } from './sealed-secret-schema.ts';

/**
 * OAuth `state` of a Salesforce connection in progress, bound to account,
 * integration and host user, holding the PKCE verifier (sealed). Single use:
 * taking a state deletes it (findOneAndDelete: of concurrent requests, only one
 * gets the document). No TTL index (the embedded default has none): expiry is
 * checked on use and old states are swept on creation.
 */
export interface OAuthStateDoc {
  state: string;
  accountId: string;
  integrationId: string;
  userId: string;
  codeVerifier: SealedSecret;
  expiresAt: Date;
  createdAt: Date;
}

const oauthStateSchema = new Schema<OAuthStateDoc>(
  {
    state: { type: String, required: true },
    accountId: { type: String, required: true },
    integrationId: { type: String, required: true },
    userId: { type: String, required: true },
    codeVerifier: { type: sealedSecretSchema, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'oauth_states', strict: 'throw', versionKey: false },
);
oauthStateSchema.index({ state: 1 }, { unique: true, name: 'state' });
oauthStateSchema.index({ expiresAt: 1 }, { name: 'expires_at' });

export function oauthStateModel(connection: Connection): Model<OAuthStateDoc> {
  return (
    (connection.models.OAuthState as Model<OAuthStateDoc> | undefined) ??
    connection.model<OAuthStateDoc>('OAuthState', oauthStateSchema)
  );
}

/** Unused expired states are kept this long (for diagnostics), then swept. */
const SWEEP_AFTER_MS = 60 * 60_000;

const verifierContext = (state: string) => `oauth-state:${state}:code-verifier`;

export interface ConsumedOAuthState {
  accountId: string;
  integrationId: string;
  userId: string;
  codeVerifier: string;
}

export function oauthStateRepository(connection: Connection, secrets: SecretBox) {
  const OAuthState = oauthStateModel(connection);
  return {
    async create(
      input: { state: string; accountId: string; integrationId: string; userId: string; codeVerifier: string },
      ttlMs: number,
      now: Date,
    ): Promise<void> {
      await OAuthState.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - SWEEP_AFTER_MS) } }).exec();
      await OAuthState.create({
        state: input.state,
        accountId: input.accountId,
        integrationId: input.integrationId,
        userId: input.userId,
        codeVerifier: secrets.seal(input.codeVerifier, verifierContext(input.state)),
        expiresAt: new Date(now.getTime() + ttlMs),
        createdAt: now,
      });
    },

    /** Takes the state once: null when unknown, expired or already used (replay). */
    async consume(state: string, now: Date): Promise<ConsumedOAuthState | null> {
      const doc = await OAuthState.findOneAndDelete({ state }).lean<OAuthStateDoc>().exec();
      if (!doc || doc.expiresAt.getTime() <= now.getTime()) return null;
      return {
        accountId: doc.accountId,
        integrationId: doc.integrationId,
        userId: doc.userId,
        codeVerifier: secrets.open(doc.codeVerifier, verifierContext(state)),
      };
    },
  };
}

export type OAuthStateRepository = ReturnType<typeof oauthStateRepository>;
