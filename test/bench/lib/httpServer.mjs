// The server side of http_rps, in its own process so the load generator does not share its event loop:
// the engine of the build behind createApp/listen, on a free loopback port, over a temp SQLite file.
import { dist, engineOptions, tempDir } from './common.mjs';

const { createEngine } = await dist();
const { createApp, listen } = await dist('http/server.js');
const engine = await createEngine(engineOptions(tempDir()));
const running = await listen(createApp(engine), '127.0.0.1', 0);
process.send({ type: 'listening', url: running.url });
process.on('message', async (m) => {
  if (m?.type !== 'stop') return;
  const status = engine.status();
  await running.close();
  await engine.close();
  process.send({ type: 'stopped', status }, () => process.exit(0));
});
