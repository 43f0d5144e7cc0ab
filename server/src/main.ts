/**
 * Entry point of `npm start`: the only place that reads `process.env`. Builds the configuration,
 * starts the server and shuts it down cleanly on SIGTERM/SIGINT (sockets closed with 1012 so that
 * clients reconnect, every open board stored and compacted).
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = await createApp(config);
  await server.listen();
  if (server.setupUrl) {
    // Printed plainly as well as logged: this is what the person starting Passerelle must open.
    console.log(`\nNo account exists yet. Open this link to create the administrator:\n\n  ${server.setupUrl}\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      server.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    forced.unref();
    server
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
