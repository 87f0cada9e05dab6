/**
 * The embedding contract between a host dashboard and the contact-sync
 * microfrontend (SPEC §5). Bump the major version on any breaking change:
 * both sides refuse messages of another major version.
 */
export const CONTRACT_VERSION = '1.1.0';

export interface MountUser {
  readonly id: string;
  readonly email: string;
  /** BCP 47 tag chosen by the host, e.g. `en` or `it-IT`. */
  readonly locale: string;
}

/** What the host hands the microfrontend, in both module and iframe mode. */
export interface MountContext {
  readonly contractVersion: string;
  readonly accountId: string;
  readonly user: MountUser;
  readonly plan: string;
  /** Path prefix under which the host shows the microfrontend, e.g. `/integrations`. */
  readonly basePath: string;
  /** A fresh short-lived JWT for the BFF; called before every request. */
  getToken(): Promise<string>;
  /**
   * (1.1) The host's own upgrade flow (plans, billing), offered on the app's upgrade notice; without
   * it the notice only says which plan is needed.
   */
  onUpgrade?(): void;
}

/** The context without its functions: what crosses a `postMessage` boundary. */
export type SerializableContext = Omit<MountContext, 'getToken' | 'onUpgrade'>;

/** Module mode: what `mount(el, context)` returns. */
export interface MountedApp {
  /** New locale, plan, account… without remounting. */
  update(context: MountContext): void;
  /** Tears the app down; leaves `el` empty and nothing global behind. */
  unmount(): void;
}

export type MountFunction = (el: Element, context: MountContext) => MountedApp;

/** `true` when `version` shares our major version (semver). */
export function isCompatibleVersion(version: unknown): boolean {
  if (typeof version !== 'string') return false;
  return version.split('.')[0] === CONTRACT_VERSION.split('.')[0];
}

export function toSerializableContext(context: MountContext): SerializableContext {
  const { contractVersion, accountId, user, plan, basePath } = context;
  return { contractVersion, accountId, user: { id: user.id, email: user.email, locale: user.locale }, plan, basePath };
}
