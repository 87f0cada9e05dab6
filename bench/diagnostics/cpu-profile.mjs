// A CPU profile of each Node process of a benchmark's stack, for "where the
// time goes" (#7): `--cpu-prof` is not allowed in NODE_OPTIONS, this preload is
// (`--import`, plain JS: before tsx). It profiles a process whose command line
// contains CPU_PROFILE_MATCH (a regular expression, e.g. `worker|sandbox`)
// from its start, and writes `<CPU_PROFILE_DIR>/<entry>-<pid>-<n>.cpuprofile`
// on SIGUSR2 (then starts a new one: two signals frame a window, e.g. a
// benchmark's measurement) and when the process exits (a worker exits on
// SIGTERM; a process killed outright writes nothing).
// Open the file in Chrome's DevTools, or summarize it with
// `node bench/diagnostics/cpu-profile-summary.mjs <file>`.
//
//   NODE_OPTIONS="--import $PWD/bench/diagnostics/cpu-profile.mjs" CPU_PROFILE_DIR=/tmp/prof CPU_PROFILE_MATCH=worker \
//     node scripts/bench.mjs --only fleet ...
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
const match = process.env.CPU_PROFILE_MATCH;
const commandLine = process.argv.join(' ');
if (dir && match && new RegExp(match).test(commandLine)) {
  const entry = process.argv[1] ? `${basename(dirname(dirname(process.argv[1])))}-${basename(process.argv[1]).replace(/\.\w+$/, '')}` : 'node';
  const session = new Session();
  session.connect();
  // A session on the process's own thread answers synchronously, so a profile can be taken in the 'exit' handler.
  session.post('Profiler.enable');
  session.post('Profiler.start');
  let written = 0;
  const write = () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return void process.stderr.write(`cpu-profile: ${error.message}\n`);
      mkdirSync(dir, { recursive: true });
      written += 1;
      writeFileSync(join(dir, `${entry}-${process.pid}-${written}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('SIGUSR2', () => {
    write();
    session.post('Profiler.start');
  });
  process.on('exit', write);
}
