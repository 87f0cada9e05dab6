/**
 * Sets an account's Brevo API key (stored encrypted) and notification email:
 *   node --import tsx src/cli/set-brevo-key.ts <accountId> [--key-name "Contact sync"] [--email ops@acme.test] < key.txt
 *   BREVO_KEY=xkeysib-... node --import tsx src/cli/set-brevo-key.ts <accountId>
 * The key is read from stdin or BREVO_KEY, never from the command line (shell history, ps).
 */
import { setBrevoKeyBodySchema } from '@contact-sync/api';
import { secretBoxFromEnv } from '@contact-sync/secrets';
import { accountRepository, connectStore, ensureBffIndexes } from '@contact-sync/store';
import { parseArgs } from 'node:util';
import { loadBffConfig } from '../config.ts';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function run(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { email: { type: 'string' }, 'key-name': { type: 'string' } } });
  const accountId = positionals[0];
  if (!accountId || !/^[A-Za-z0-9_-]{1,64}$/.test(accountId)) throw new Error('usage: set-brevo-key <accountId> [--key-name name] [--email address] (key on stdin or in BREVO_KEY)');
  const apiKey = process.env.BREVO_KEY?.trim() || (await readStdin());
  if (!apiKey) throw new Error('no Brevo API key: pipe it on stdin or set BREVO_KEY');
  const input = setBrevoKeyBodySchema.parse({
    apiKey,
    ...(values['key-name'] !== undefined ? { apiKeyName: values['key-name'] } : {}),
    ...(values.email ? { notificationEmail: values.email } : {}),
  });

  const config = loadBffConfig();
  const connection = await connectStore(config.MONGODB_URI);
  try {
    await ensureBffIndexes(connection);
    const accounts = accountRepository(connection, secretBoxFromEnv(config.ENCRYPTION_KEYS, config.ENCRYPTION_KEY_ID));
    await accounts.setBrevoKey(accountId, input);
    console.log(`brevo key set for ${accountId}`);
  } finally {
    await connection.close();
  }
}

run().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
