// npm start: installs what is missing, then runs the whole product locally
// (database, both sandboxes, BFF, worker, microfrontend, host demo) until Ctrl-C.
//   node scripts/start.mjs [--only devdb|sandboxes|product]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from './lib/bootstrap.mjs';
import { repoRoot } from './lib/paths.mjs';
import { ProcessGroup } from './lib/process-group.mjs';
import { isBuilt, APPS, startStack } from './lib/stack.mjs';

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (only !== undefined && !['devdb', 'sandboxes', 'product'].includes(only)) {
  console.error(`unknown --only ${only}: use devdb, sandboxes or product`);
  process.exit(2);
}

const envFile = join(repoRoot, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

try {
  bootstrap();
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

const group = new ProcessGroup({
  onUnexpectedExit: async (name, code, signal) => {
    console.error(`\n${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping everything.`);
    await group.stopAll();
    process.exit(1);
  },
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping...');
    await group.stopAll();
    process.exit(0);
  });
}

try {
  const { started, ports } = await startStack(group, { only });
  const hostDemo = APPS.find((app) => app.name === 'host-demo');
  console.log(`\nstarted: ${started.join(', ')}`);
  if (hostDemo && isBuilt(hostDemo) && started.includes('host-demo')) {
    console.log(`\n  Open http://localhost:${ports.host}  (Salesforce login: demo@acme.test / demo1234)\n`);
  } else if (started.includes('salesforce-sandbox')) {
    console.log(`\n  Salesforce sandbox http://localhost:${ports.salesforce}  (demo@acme.test / demo1234)`);
    console.log(`  Brevo sandbox      http://localhost:${ports.brevo}  (API key xkeysib-sandbox-demo)\n`);
  }
  console.log('Press Ctrl-C to stop everything.');
} catch (error) {
  console.error(`\n${error.message}`);
  await group.stopAll();
  process.exit(1);
}
