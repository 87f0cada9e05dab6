import { AccountState } from './account-state.ts';
import { seedAccount, type SeedOptions } from './seed.ts';

/**
 * All sandbox state, in memory. Accounts are created on first use and seeded;
 * `reset()` drops everything and reseeds, so tests start from the same data.
 */
export class SandboxState {
  private accounts = new Map<string, AccountState>();
  private readonly created: ((account: AccountState) => void)[] = [];

  constructor(
    private readonly now: () => number,
    private readonly seedOptions: SeedOptions & { seededAccounts?: string[] },
  ) {}

  /** Runs for every account created (now and after each reset): wires webhooks and other listeners. */
  onAccountCreated(listener: (account: AccountState) => void): void {
    this.created.push(listener);
    for (const account of this.accounts.values()) listener(account);
  }

  account(accountId: string): AccountState {
    let account = this.accounts.get(accountId);
    if (!account) {
      account = new AccountState(accountId, this.now);
      const seeded = this.seedOptions.seededAccounts ?? ['acc_demo'];
      if (seeded.includes(accountId)) seedAccount(account, this.seedOptions);
      this.accounts.set(accountId, account);
      for (const listener of this.created) listener(account);
    }
    return account;
  }

  allAccounts(): AccountState[] {
    return [...this.accounts.values()];
  }

  reset(): void {
    const ids = [...this.accounts.keys()];
    this.accounts.clear();
    for (const id of ids) this.account(id);
  }
}
