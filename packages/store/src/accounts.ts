import type { SealedSecret, SecretBox } from '@contact-sync/secrets';
import { Schema, type Connection, type Model } from 'mongoose';
import { sealedSecretSchema } from './sealed-secret-schema.ts';

/**
 * A host account as the plugin knows it: its Brevo API key (sealed) and the
 * address R16 notices go to. The plan is not stored: it comes with every
 * host token.
 */
export interface AccountDoc {
  accountId: string;
  brevoApiKey: SealedSecret | null;
  /** The key's name in Brevo (webhooks' `api_key_name`): changes made with it are the integration's own. */
  brevoApiKeyName: string | null;
  notificationEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const accountSchema = new Schema<AccountDoc>(
  {
    accountId: { type: String, required: true },
    brevoApiKey: { type: sealedSecretSchema, default: null },
    brevoApiKeyName: { type: String, default: null },
    notificationEmail: { type: String, default: null },
  },
  { timestamps: true, collection: 'accounts', strict: 'throw' },
);
accountSchema.index({ accountId: 1 }, { unique: true, name: 'account_id' });

export function accountModel(connection: Connection): Model<AccountDoc> {
  return (connection.models.Account as Model<AccountDoc> | undefined) ?? connection.model<AccountDoc>('Account', accountSchema);
}

/** The additional data a Brevo key is sealed with: it opens only for its own account. */
export function brevoKeyContext(accountId: string): string {
  return `account:${accountId}:brevo-api-key`;
}

export interface BrevoKeyInput {
  apiKey: string;
  apiKeyName?: string | null;
  notificationEmail?: string | null;
}

export interface AccountRepository {
  find(accountId: string): Promise<AccountDoc | null>;
  /**
   * Creates the account when missing. The key's name goes with the key (a key set
   * without one clears the old key's); the notification email is kept when not given.
   */
  setBrevoKey(accountId: string, key: BrevoKeyInput): Promise<AccountDoc>;
  /** The plaintext key, or null when none is stored. */
  brevoApiKey(accountId: string): Promise<string | null>;
  /** The plaintext key of an account already read (`find`), or null when none is stored. */
  openBrevoApiKey(account: AccountDoc): string | null;
  /** Re-seals the account's key with the current encryption key (rotation). Returns whether it changed. */
  resealBrevoKey(accountId: string): Promise<boolean>;
}

export function accountRepository(connection: Connection, secrets: SecretBox): AccountRepository {
  const Account = accountModel(connection);
  const find = (accountId: string) => Account.findOne({ accountId }).lean<AccountDoc>().exec();
  const openBrevoApiKey = (account: AccountDoc) => (account.brevoApiKey ? secrets.open(account.brevoApiKey, brevoKeyContext(account.accountId)) : null);

  return {
    find,

    async setBrevoKey(accountId, { apiKey, apiKeyName, notificationEmail }) {
      const set: Partial<AccountDoc> = { brevoApiKey: secrets.seal(apiKey, brevoKeyContext(accountId)), brevoApiKeyName: apiKeyName ?? null };
      if (notificationEmail !== undefined) set.notificationEmail = notificationEmail;
      await Account.updateOne({ accountId }, { $set: set, $setOnInsert: { accountId } }, { upsert: true }).exec();
      return (await find(accountId))!;
    },

    async brevoApiKey(accountId) {
      const account = await find(accountId);
      return account ? openBrevoApiKey(account) : null;
    },

    openBrevoApiKey,

    async resealBrevoKey(accountId) {
      const account = await find(accountId);
      if (!account?.brevoApiKey || !secrets.needsReseal(account.brevoApiKey)) return false;
      const resealed = secrets.reseal(account.brevoApiKey, brevoKeyContext(accountId));
      const result = await Account.updateOne(
        { accountId, 'brevoApiKey.data': account.brevoApiKey.data },
        { $set: { brevoApiKey: resealed } },
      ).exec();
      return result.modifiedCount === 1;
    },
  };
}
