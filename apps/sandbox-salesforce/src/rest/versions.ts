import { LATEST_VERSION } from '../state.ts';

/** `GET /services/data`: every version from 20.0 (Winter '11) to the latest, three releases a year. */
export function versionsList() {
  const latest = Number(LATEST_VERSION);
  const out: { label: string; url: string; version: string }[] = [];
  for (let v = 20; v <= latest; v += 1) {
    const k = v - 20;
    const season = ['Winter', 'Spring', 'Summer'][k % 3]!;
    const year = String(11 + Math.floor(k / 3)).padStart(2, '0');
    out.push({ label: `${season} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

/** `GET /services/data/vXX.X`: the resources this sandbox serves (and a few it only lists). */
export function resourcesList(version: string, identityUrl: string) {
  const base = `/services/data/v${version}`;
  return {
    tooling: `${base}/tooling`,
    metadata: `${base}/metadata`,
    eclair: `${base}/eclair`,
    folders: `${base}/folders`,
    chatter: `${base}/chatter`,
    tabs: `${base}/tabs`,
    appMenu: `${base}/appMenu`,
    quickActions: `${base}/quickActions`,
    queryAll: `${base}/queryAll`,
    analytics: `${base}/analytics`,
    search: `${base}/search`,
    identity: identityUrl,
    composite: `${base}/composite`,
    parameterizedSearch: `${base}/parameterizedSearch`,
    theme: `${base}/theme`,
    recent: `${base}/recent`,
    connect: `${base}/connect`,
    limits: `${base}/limits`,
    process: `${base}/process`,
    'async-queries': `${base}/async-queries`,
    query: `${base}/query`,
    jobs: `${base}/jobs`,
    sobjects: `${base}/sobjects`,
    actions: `${base}/actions`,
    support: `${base}/support`,
  };
}
