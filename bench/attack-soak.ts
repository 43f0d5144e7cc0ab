/**
 * Soak under attack: the built server, a 5,000-card board and 20 members editing it, run once
 * without attackers (the reference) and once with them, in the same invocation, each on a fresh
 * server process with the same board. The attackers (`lib/attacker.ts`, their own process): an
 * outsider looping WebSocket upgrade requests to a path nobody serves, and a partner guest sending
 * sync step 1 messages with made-up state vectors at the message rate the server allows.
 *
 *   npm run build && node --import tsx bench/attack-soak.ts [--duration 60] [--members 20]
 *
 * Measured in each run, over `--duration` seconds:
 * - `/healthz` answered in (every 200 ms), p50 / p95 / max;
 * - a member's edit round trip: one member writes a field of its card every 200 ms, another
 *   member's client times its arrival (both stock y-websocket clients of this process);
 * - the server's open file descriptors (`/proc/<pid>/fd`) before, at most during, and 3 s after
 *   the attackers stop;
 * - the server's RSS read every 200 ms (mean and peak) and CPU over the run, and its memory after
 *   the attackers stopped and a forced full GC.
 * Targets: descriptors back to their baseline; memory (the mean RSS over the run, and the RSS
 * after it) within 20% of the reference run; `/healthz` and the edit round trip under 100 ms at
 * p95 while attacked. The peak RSS is printed too: under thousands of requests a second V8 lets
 * its heap grow with short-lived garbage before a full collection, which the peak shows.
 *
 * `--attacks upgrades` or `--attacks step1` runs one attack alone; `--node-arg=<flag>` (repeatable)
 * starts the server with a Node.js flag in both runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebsocketProvider } from 'y-websocket';
import { BoardDoc } from '@passerelle/shared';
import { eventually, stockClient, synced } from '../test/helpers/stock-client.js';
import { api, joinAsGuest, login } from '../test/helpers/test-server.js';
import { writeBenchBoard } from './lib/board-content.js';
import { LatencyHistogram } from './lib/histogram.js';
import { ProcessSampler, rssBytes, snapshotPasserelleBuild, startPasserelle, type BenchServer, type MemoryReading } from './lib/servers.js';
import type { AttackerReport, AttackerSetup } from './lib/attacker.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const DURATION_S = option('duration', 60);
/** Extra Node.js flags of the server in both runs (`--node-arg=--optimize-for-size`, repeatable). */
const SERVER_NODE_ARGS = process.argv.filter((arg) => arg.startsWith('--node-arg=')).map((arg) => arg.slice('--node-arg='.length));
/** Which attacks run: `upgrades`, `step1` or `both` (default). */
const ATTACKS = (() => {
  const index = process.argv.indexOf('--attacks');
  return index >= 0 ? process.argv[index + 1]! : 'both';
})();
const MEMBERS = option('members', 20);
const CARDS = 5_000;
const MEMBER_EDIT_HZ = 1;
const PROBE_INTERVAL_MS = 200;
/** The guest's connections and the rate of each: the server's message limit is 200 a second. */
const GUEST_CONNECTIONS = 4;
const STEP1_PER_SECOND = 190;
const UPGRADE_LOOPS = 20;
const ATTACKER = fileURLToPath(new URL('./lib/attacker.ts', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stock client of `room` by API token. */
const connect = (server: BenchServer, token: string, room: string) => stockClient(server.syncUrl, room, { params: { token } });
const whenSynced = (provider: WebsocketProvider) => synced(provider, 60_000);

function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

interface RunResult {
  label: string;
  healthz: LatencyHistogram;
  healthzFailures: number;
  roundTrip: LatencyHistogram;
  roundTripsLost: number;
  fdBefore: number;
  fdMax: number;
  fdAfter: number;
  peakRss: number;
  /** Mean of the RSS read every 200 ms over the run. */
  meanRss: number;
  cpu: number;
  memoryAfter: MemoryReading;
  attacker?: AttackerReport;
}

/** Writes the 5,000-card board through a stock client, and gives each member a card of its own. */
async function seedBoard(server: BenchServer, token: string, boardId: string): Promise<string[]> {
  const { doc, provider } = connect(server, token, boardId);
  await whenSynced(provider);
  const ids = await writeBenchBoard(doc, CARDS, { perTransaction: 100, pauseMs: 5 });
  const check = connect(server, token, boardId);
  await whenSynced(check.provider);
  await eventually(() => new BoardDoc(check.doc).cards.size === CARDS, 120_000, 'the board to be stored');
  check.provider.destroy();
  provider.destroy();
  // The members' cards: the first notes (every third card is a proposal).
  return ids.filter((_, i) => i % 3 !== 0).slice(0, MEMBERS + 1);
}

async function run(label: string, attacked: boolean): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'passerelle-soak-'));
  // The members and probes connect from 127.0.0.1, named as a trusted proxy (as a balancer would
  // be); the attackers from 127.0.0.2, a client address of their own, as from another machine.
  const server = await startPasserelle({ dataDir, env: { TRUST_PROXY: '127.0.0.1' }, nodeArgs: SERVER_NODE_ARGS });
  try {
    const cookie = await login(server.url);
    const token = (await api<{ token: string }>(server.url, '/api/tokens', { method: 'POST', body: { name: 'soak' }, cookie })).body.token;
    const boardId = (await api<{ id: string }>(server.url, '/api/boards', { method: 'POST', body: { title: 'Stratégie internationale' }, token })).body.id;
    const cards = await seedBoard(server, token, boardId);
    const guest = await joinAsGuest({ serverUrl: server.url, as: { token }, boardId, role: 'viewer' });

    // Members: each edits a field of its own card; member 0 is the probe, member 1 watches it.
    const members = Array.from({ length: MEMBERS }, () => connect(server, token, boardId));
    for (const member of members) await whenSynced(member.provider);
    const probe = members[0]!;
    const watcher = members[1]!;
    const roundTrip = new LatencyHistogram();
    const sentAt = new Map<number, number>();
    const watchedCard = new BoardDoc(watcher.doc).cards.get(cards[0]!)!;
    watchedCard.observe(() => {
      const value = watchedCard.get('soakProbe');
      if (typeof value !== 'number' || !sentAt.has(value)) return;
      roundTrip.record(performance.now() - sentAt.get(value)!);
      sentAt.delete(value);
    });
    await sleep(3_000);

    const healthz = new LatencyHistogram();
    let healthzFailures = 0;
    const fdBefore = openDescriptors(server.pid);
    let fdMax = fdBefore;
    const rssSamples: number[] = [];
    let attacker: ChildProcess | null = null;
    if (attacked) {
      attacker = fork(ATTACKER, [], { execArgv: ['--import', 'tsx'] });
      const setup: AttackerSetup = { type: 'setup', url: server.url, boardId, guestCookie: guest.cookie, upgradeLoops: ATTACKS === 'step1' ? 0 : UPGRADE_LOOPS, guestConnections: ATTACKS === 'upgrades' ? 0 : GUEST_CONNECTIONS, step1PerSecond: STEP1_PER_SECOND, localAddress: '127.0.0.2' };
      const started = new Promise((resolve) => attacker!.once('message', resolve));
      attacker.send(setup);
      await started;
    }
    const sampler = new ProcessSampler([server.pid]);
    sampler.start();
    const end = performance.now() + DURATION_S * 1000;
    let sequence = 0;
    const timers = [
      setInterval(() => {
        const started = performance.now();
        fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5_000) })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.ok) healthz.record(performance.now() - started);
            else healthzFailures++;
          })
          .catch(() => healthzFailures++);
        fdMax = Math.max(fdMax, openDescriptors(server.pid));
        rssSamples.push(rssBytes(server.pid));
      }, PROBE_INTERVAL_MS),
      setInterval(() => {
        sequence++;
        sentAt.set(sequence, performance.now());
        new BoardDoc(probe.doc).cards.get(cards[0]!)!.set('soakProbe', sequence);
      }, PROBE_INTERVAL_MS),
      setInterval(() => {
        for (let index = 2; index < members.length; index++) new BoardDoc(members[index]!.doc).cards.get(cards[index]!)!.set('soakEdit', Math.random());
      }, 1000 / MEMBER_EDIT_HZ),
    ];
    while (performance.now() < end) await sleep(250);
    for (const timer of timers) clearInterval(timer);
    const usage = sampler.stop().get(server.pid)!;

    let attackerReport: AttackerReport | undefined;
    if (attacker) {
      const reported = new Promise<AttackerReport>((resolve) => attacker!.on('message', (message: AttackerReport) => message.type === 'report' && resolve(message)));
      attacker.send({ type: 'stop' });
      attackerReport = await reported;
    }
    await sleep(3_000);
    const fdAfter = openDescriptors(server.pid);
    const roundTripsLost = [...sentAt.values()].filter((at) => performance.now() - at > 5_000).length;
    for (const member of members) member.provider.destroy();
    const memoryAfter = await server.collectAndMeasure();
    return { label, healthz, healthzFailures, roundTrip, roundTripsLost, fdBefore, fdMax, fdAfter, peakRss: usage.peakRss, meanRss: rssSamples.reduce((a, b) => a + b, 0) / rssSamples.length, cpu: usage.cpu, memoryAfter, attacker: attackerReport };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const builtAt = snapshotPasserelleBuild();
  console.log(`# Soak under attack: ${CARDS}-card board, ${MEMBERS} members, ${DURATION_S} s per run, attacks: ${ATTACKS}; server flags: ${SERVER_NODE_ARGS.join(' ') || 'none'}; build of ${builtAt.toISOString()}`);
  const reference = await run('reference (no attackers)', false);
  const attacked = await run('attacked', true);
  console.log('\n| run | /healthz p50 | /healthz p95 | /healthz max | failed | edit round trip p50 | p95 | max | lost | fds before | fds max | fds 3 s after | mean RSS | peak RSS | RSS after GC | heap after GC | CPU |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const result of [reference, attacked]) {
    console.log(
      `| ${result.label} | ${ms(result.healthz.quantile(0.5))} | ${ms(result.healthz.quantile(0.95))} | ${ms(result.healthz.max)} | ${result.healthzFailures} | ` +
        `${ms(result.roundTrip.quantile(0.5))} | ${ms(result.roundTrip.quantile(0.95))} | ${ms(result.roundTrip.max)} | ${result.roundTripsLost} | ` +
        `${result.fdBefore} | ${result.fdMax} | ${result.fdAfter} | ${mib(result.meanRss)} | ${mib(result.peakRss)} | ${mib(result.memoryAfter.rss)} | ${mib(result.memoryAfter.heapUsed)} | ${(result.cpu * 100).toFixed(0)}% |`,
    );
  }
  const report = attacked.attacker!;
  console.log(
    `\nAttackers: ${report.upgradeRequests} upgrade requests (${report.upgradesAnswered} answered, ${report.upgradesTurnedAway} turned away when accepted, ${report.upgradesUnanswered} neither after 2 s); ` +
      `${report.step1Sent} made-up step 1s sent, ${report.step2Received} answered (${mib(report.step2Bytes)}); closes by code ${JSON.stringify(report.closes)}`,
  );
  const checks = {
    descriptorsBackToBaseline: attacked.fdAfter <= attacked.fdBefore + 2,
    meanRssWithin20Percent: attacked.meanRss <= reference.meanRss * 1.2,
    rssAfterWithin20Percent: attacked.memoryAfter.rss <= reference.memoryAfter.rss * 1.2,
    healthzP95Under100ms: attacked.healthz.quantile(0.95) < 100 && attacked.healthzFailures === 0,
    roundTripP95Under100ms: attacked.roundTrip.quantile(0.95) < 100 && attacked.roundTripsLost === 0,
  };
  const ratio = (a: number, b: number) => `x${(a / b).toFixed(2)}`;
  console.log(
    `\nAttacked / reference: mean RSS ${ratio(attacked.meanRss, reference.meanRss)}, peak RSS ${ratio(attacked.peakRss, reference.peakRss)}, ` +
      `RSS after GC ${ratio(attacked.memoryAfter.rss, reference.memoryAfter.rss)}; targets: ${JSON.stringify(checks)}`,
  );
  console.log(JSON.stringify({ bench: 'attack-soak', durationS: DURATION_S, members: MEMBERS, cards: CARDS, reference: summary(reference), attacked: summary(attacked), attacker: report, checks }));
  process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
}

function summary(result: RunResult) {
  return {
    healthzP50: result.healthz.quantile(0.5),
    healthzP95: result.healthz.quantile(0.95),
    healthzMax: result.healthz.max,
    healthzFailures: result.healthzFailures,
    roundTripP50: result.roundTrip.quantile(0.5),
    roundTripP95: result.roundTrip.quantile(0.95),
    roundTripMax: result.roundTrip.max,
    roundTripsLost: result.roundTripsLost,
    fdBefore: result.fdBefore,
    fdMax: result.fdMax,
    fdAfter: result.fdAfter,
    peakRss: result.peakRss,
    meanRss: result.meanRss,
    rssAfterGc: result.memoryAfter.rss,
    cpu: result.cpu,
  };
}

await main();
// The members' providers and the HTTP keep-alive pool would hold the event loop open.
process.exit();
