import { secretBoxFromEnv } from '@contact-sync/secrets';
import { accountRepository } from '@contact-sync/store';
import { useTestDatabase } from '@contact-sync/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const db = useTestDatabase('bff_cli');
const keys = `c1:${randomBytes(32).toString('base64')}`;
const script = fileURLToPath(new URL('./set-brevo-key.ts', import.meta.url));
const appDir = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[], stdin: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: appDir,
      env: { PATH: process.env.PATH ?? '', MONGODB_URI: db.uri, ENCRYPTION_KEYS: keys, ENCRYPTION_KEY_ID: 'c1', DEMO_SEED: 'false', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('set-brevo-key CLI', () => {
  it('stores the key from stdin, sealed', async () => {
    const result = await run(['acc_cli', '--email', 'ops@acme.test'], 'xkeysib-from-stdin-123\n');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('brevo key set for acc_cli');
    const accounts = accountRepository(db.connection, secretBoxFromEnv(keys, 'c1'));
    expect(await accounts.brevoApiKey('acc_cli')).toBe('xkeysib-from-stdin-123');
    expect((await accounts.find('acc_cli'))?.notificationEmail).toBe('ops@acme.test');
    expect(JSON.stringify(await db.connection.db!.collection('accounts').find({}).toArray())).not.toContain('xkeysib-from-stdin');
  }, 30_000);

  it('refuses a missing key or account id with a clear message', async () => {
    const noKey = await run(['acc_cli'], '');
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('no Brevo API key');
    const noAccount = await run([], 'xkeysib-x-123456');
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toContain('usage: set-brevo-key');
  }, 30_000);
});
