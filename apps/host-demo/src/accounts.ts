/** The host's own accounts and users (SPEC §7): what a real host would have in its database. */
export interface DemoAccount {
  id: string;
  name: string;
  plan: string;
  user: { id: string; email: string; name: string };
  /** Server side only: the Contacts page calls Brevo with it. */
  brevoApiKey: string | null;
}

export function demoAccounts(demoBrevoKey: string): DemoAccount[] {
  return [
    {
      id: 'acc_demo',
      name: 'Acme Marketing',
      plan: 'BrevoPlus',
      user: { id: 'usr_demo', email: 'marketer@acme.test', name: 'Maria Rossi' },
      brevoApiKey: demoBrevoKey,
    },
    {
      id: 'acc_free',
      name: 'Free Bakery',
      plan: 'Free',
      user: { id: 'usr_free', email: 'owner@bakery.test', name: 'Luca Bianchi' },
      brevoApiKey: null,
    },
  ];
}

export const LOCALES = ['en', 'it'] as const;
export type Locale = (typeof LOCALES)[number];
export const MODES = ['module', 'iframe'] as const;
export type EmbedMode = (typeof MODES)[number];
