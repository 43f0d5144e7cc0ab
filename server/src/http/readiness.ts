/**
 * Readiness (`GET /readyz`): whether this process can serve requests now, that is whether every
 * store it depends on answers. `/healthz` says only that the process is alive and never touches a
 * store, so that a slow database does not get a live process restarted; a balancer or an
 * orchestrator takes a process that is not ready out of rotation instead.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * How long a part may take to answer before it counts as failing (1 s): a probe must not hang
 * behind a store that lost its connection, and a store this slow would fail real requests too.
 */
export const READINESS_TIMEOUT_MS = 1000;

/** A part of the server that can be asked whether it answers; one without `ping` has nothing that can fail. */
export interface Pingable {
  ping?(): Promise<void>;
}

/** What `/readyz` answers: the names of the parts that did not answer in time, never why (errors may name hosts). */
export type Readiness = { status: 'ready' } | { status: 'unavailable'; failing: string[] };

/**
 * Asks every named part at once and names those that reject, throw or outlast `timeoutMs`; never
 * rejects. Returns the reasons alongside, for the log only.
 */
export async function checkReadiness(
  parts: Readonly<Record<string, Pingable | undefined>>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<{ readiness: Readiness; reasons: Record<string, string> }> {
  const reasons: Record<string, string> = {};
  await Promise.all(
    Object.entries(parts).map(async ([name, part]) => {
      if (!part?.ping) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // `Promise.resolve().then` turns a synchronous throw into a rejection.
        await Promise.race([Promise.resolve().then(() => part.ping!()), timedOut]);
      } catch (error) {
        reasons[name] = error instanceof Error ? error.message : String(error);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const failing = Object.keys(parts).filter((name) => name in reasons);
  return { readiness: failing.length === 0 ? { status: 'ready' } : { status: 'unavailable', failing }, reasons };
}

/**
 * The `/readyz` handler: 200 `{ status: 'ready' }`, or 503 `{ status: 'unavailable', failing }`.
 * Public like `/healthz` (it tells nothing but part names). Logs when the set of failing parts
 * changes, with the reasons, rather than at every probe.
 */
export function readinessHandler(parts: Readonly<Record<string, Pingable | undefined>>, options: { logger?: Logger; timeoutMs?: number } = {}): RequestHandler {
  let lastFailing = '';
  return (_request, response) => {
    void checkReadiness(parts, options.timeoutMs).then(({ readiness, reasons }) => {
      const failing = readiness.status === 'ready' ? '' : readiness.failing.join(',');
      if (failing !== lastFailing) {
        if (failing) options.logger?.warn({ failing: reasons }, 'not ready: some parts do not answer');
        else options.logger?.info('ready: every part answers again');
        lastFailing = failing;
      }
      response.set('cache-control', 'no-store');
      response.status(readiness.status === 'ready' ? 200 : 503).json(readiness);
    }).catch((error: unknown) => options.logger?.error({ err: error }, 'readiness could not be answered'));
  };
}
