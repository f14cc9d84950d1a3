// `ssm serve` runs the HTTP service; `ssm start` (what `npm start` calls) also seeds demo data on
// first run and prints who to sign in as.
import closeWithGrace from 'close-with-grace';
import { openApp } from '../app/context.js';
import { DEMO_CITIZENS } from '../app/demo-data.js';
import { startLapseScheduler } from '../app/lapse-proposals.js';
import { notificationWorkerFor } from '../app/notifications/worker.js';
import { startPruning } from '../app/retention.js';
import { seedDemo } from '../app/seed-demo.js';
import { WebhookDispatcher } from '../app/webhook-dispatcher.js';
import { loadConfig } from '../config.js';
import { buildServer } from '../http/server.js';
import { print } from './io.js';

async function run({ demo }: { demo: boolean }): Promise<number> {
  const config = loadConfig();
  const app = await openApp(config);
  if (demo && config.nodeEnv !== 'production') {
    const seeded = await seedDemo(app);
    if (!seeded.skipped) print(`demo data: ${seeded.mandates} mandates in every state`);
  }
  const server = await buildServer(app, config);
  const webhooks = new WebhookDispatcher(app.store, {
    maxAttempts: config.webhookMaxAttempts,
    baseDelayMs: config.webhookBaseDelayMs,
    log: server.log,
  });
  const notifications = notificationWorkerFor(app, config, server.log);
  // Set once listening; a failure to listen (port taken) shuts down before there are any.
  let stopLapses = () => {};
  let stopPruning = () => {};
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) server.log.error({ err }, 'shutting down after an error');
    stopLapses();
    stopPruning();
    await webhooks.stop();
    await notifications.stop();
    await server.close();
    await app.store.close();
  });
  await server.listen({ port: config.port, host: config.host });
  stopLapses = startLapseScheduler(app, config.schedulerIntervalMs, (err) => server.log.error({ err }, 'lapse scheduler'));
  stopPruning = startPruning(app, config.retentionDays, (err) => server.log.error({ err }, 'pruning'));
  webhooks.start();
  notifications.start();
  print(`SSM is running at ${config.publicUrl}  (API docs: ${config.publicUrl}/docs)`);
  if (demo) {
    print('Fictitious citizens to sign in as:');
    for (const c of DEMO_CITIZENS) print(`  ${c.nationalNumber}  ${c.name.padEnd(16)} ${c.note}`);
  }
  // Keep running until a signal; close-with-grace ends the process.
  await new Promise(() => undefined);
  return 0;
}

export const serve = () => run({ demo: false });
export const start = () => run({ demo: true });
