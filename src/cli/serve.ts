import { loadConfig } from '../config';
import { createLogger } from '../log';
import { createApp } from '../main';

/** `npm start`: migrate, load the org file, serve, and shut down cleanly on SIGINT/SIGTERM. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await createApp(config, { log });
  await app.listen();
  if (config.sandbox) {
    log.info(`sandbox township: open ${config.publicBaseUrl}/sandbox`);
    process.stdout.write(`\n  民情直通车 sandbox township → ${config.publicBaseUrl}/sandbox\n\n`);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (e) => {
        log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
