// The baseline of the BFF load test: Express answering the same route with the
// same bytes the BFF answered, and nothing else (no auth, no database, no
// middleware). The ratio to it is what the BFF's own work costs.
import express from 'express';
import { readFileSync } from 'node:fs';

const port = Number(process.env.BARE_EXPRESS_PORT);
const body = readFileSync(process.env.BARE_EXPRESS_BODY_FILE!);

const app = express();
app.disable('x-powered-by');
app.get('/api/v1/integrations', (_req, res) => {
  res.type('application/json').send(body);
});
const server = app.listen(port, '127.0.0.1', () => console.log(`bare-express ready on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
