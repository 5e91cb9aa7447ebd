// Seeded chaos over a three-node cluster (issue 13): many groups of dependent resources, moved,
// onlined and offlined at random while nodes crash and come back and resources fail on their own
// (IsAlive FALSE -> restart -> failover). What must hold throughout: no resource online or pending
// on two nodes at once, no dependent online without its dependencies, no monitor violation (no
// entry point over 300 ms, ...); and at the end, with every node back, every group comes online
// on its owner. Used by `npm run chaos` (scripts/chaos.mjs) and a short run in `npm test`.
import { defineResourceType } from '../define.js';
import { userCode } from '../clusctl.js';
import { MockCluster } from './mock-cluster.js';
import { prng } from './prng.js';
import type { MockResource } from './mock-resource.js';
import type { MockGroup } from './cluster-group.js';
import { formatEvent, type TimelineEvent, type Violation } from './timeline.js';

/** Makes the resource's next health checks answer FALSE (a failure the monitor finds by polling). */
export const CLUSTER_CHAOS_BREAK = userCode(46);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Handlers that take a little while, and a resource that can be told to break. */
const ClusterChaosType = defineResourceType({
  name: 'ClusterChaosType',
  open() {
    let broken = false;
    return {
      async online() {
        broken = false;
        await sleep(Math.floor(Math.random() * 15));
      },
      async offline() {
        await sleep(Math.floor(Math.random() * 15));
      },
      looksAlive: () => !broken,
      isAlive: () => !broken,
      controls: {
        [CLUSTER_CHAOS_BREAK]: () => {
          broken = true;
          return Buffer.alloc(0);
        },
      },
    };
  },
});
export default ClusterChaosType;

export interface ClusterChaosOptions {
  seconds: number;
  seed: number;
  /** Default 3. */
  nodes?: number;
  /** Default 10. */
  groups?: number;
  /** Spread over the groups; default 50. */
  resources?: number;
  host?: 'inprocess' | 'process';
  /** host 'process': the compiled form of this module (its default export is the type). */
  module?: string;
  /** How many operations run at once. Default 4. */
  concurrency?: number;
}

export interface ClusterChaosReport {
  seed: number;
  seconds: number;
  nodes: number;
  groups: number;
  resources: number;
  /** Operations started, by kind (move, online, offline, failNode, restoreNode, break). */
  operations: Record<string, number>;
  /** Operations the cluster refused (a node down, a group on no node...), by message. */
  refused: Record<string, number>;
  /** Entry-point calls the nodes' monitors made. */
  calls: number;
  /** Moves and failovers that happened, from the timeline's cluster notes. */
  moves: number;
  failovers: number;
  /** Every violation: the monitors' and the cluster-level ones. */
  violations: Violation[];
  /** After every node was restored and every group onlined: the groups not Online, with why. */
  notOnlineAtEnd: string[];
  /** Resources not open on their group's owner at the end. */
  misplaced: string[];
  /** Per violation (the first few): the timeline of its group up to it, to read what led there. */
  violationContexts: string[][];
}

const CONTEXT_VIOLATIONS = 5;
const CONTEXT_EVENTS = 60;

/** The events of `v`'s group (its resources' and its cluster notes) up to `v`, formatted. */
function violationContext(v: Violation, events: readonly TimelineEvent[], groupOf: (resource: string) => MockGroup | undefined): string[] {
  const group = groupOf(v.resource);
  const names = new Set([v.resource, group?.name ?? '', ...(group?.resources.map((r) => r.name) ?? [])]);
  const upTo = events.findIndex((e) => e.kind === 'violation' && e.at === v.at && e.resource === v.resource);
  const before = (upTo < 0 ? events : events.slice(0, upTo + 1)).filter((e) => names.has(e.resource) || (e.kind === 'note' && e.resource === ''));
  return before.slice(-CONTEXT_EVENTS).map((e) => formatEvent(e));
}

export async function runClusterChaos(options: ClusterChaosOptions): Promise<ClusterChaosReport> {
  const rand = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const nodeCount = options.nodes ?? 3;
  const groupCount = options.groups ?? 10;
  const resourceCount = options.resources ?? 50;
  const nodes = Array.from({ length: nodeCount }, (_, i) => `N${i + 1}`);
  const processHost = options.host === 'process';
  const cluster = await MockCluster.start({
    nodes,
    ...(processHost ? { host: 'process' as const, module: options.module } : {}),
    timelineLimit: Infinity,
    polling: { looksAliveMs: 100, isAliveMs: 250 },
    restart: { threshold: 1, periodMs: 2000, delayMs: 20 },
    // Nothing here hangs: PendingTimeout only bounds a stuck run. It must outlast a host's start,
    // which every Online after a node's restore waits for: 2-4 s with node under TSan (CI's
    // sanitizer step), where a 3 s timeout once failed every group, Terminate killing each new
    // host before it was ready.
    pendingTimeoutMs: 15000,
    threads: 2,
  });
  const operations: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const count = (what: Record<string, number>, key: string) => (what[key] = (what[key] ?? 0) + 1);
  try {
    const groups = nodes.length ? Array.from({ length: groupCount }, (_, i) => `G${i}`) : [];
    const members = new Map<string, MockResource[]>();
    for (const g of groups) {
      // Each group prefers the nodes in its own order, so failovers spread.
      const start = Number(g.slice(1)) % nodeCount;
      cluster.createGroup(g, { preferredOwners: [...nodes.slice(start), ...nodes.slice(0, start)], failoverThreshold: 4, failoverPeriodMs: 5000 });
      members.set(g, []);
    }
    for (let i = 0; i < resourceCount; i++) {
      const g = groups[i % groupCount]!;
      const earlier = members.get(g)!;
      // A chain, sometimes a fork: each depends on one or two resources before it in its group.
      const dependsOn = earlier.length === 0 ? [] : [...new Set([earlier[earlier.length - 1]!.name, pick(earlier).name])];
      const r = await cluster.createResource(processHost ? ClusterChaosType.name : ClusterChaosType, `r${i}`, { group: g, dependsOn });
      earlier.push(r as MockResource);
    }
    if (processHost) await sleep(500);  // each node's host starts with Startup, asynchronously
    await Promise.all(groups.map((g) => cluster.onlineGroup(g)));

    const upNodes = () => nodes.filter((n) => cluster.isNodeUp(n));
    const ops: Record<string, () => Promise<unknown>> = {
      move: async () => {
        const g = cluster.group(pick(groups));
        const targets = upNodes().filter((n) => n !== g.ownerNode);
        if (targets.length) await cluster.moveGroup(g.name, pick(targets));
      },
      online: () => cluster.onlineGroup(pick(groups)),
      offline: () => cluster.offlineGroup(pick(groups)),
      failNode: async () => {
        const up = upNodes();
        if (up.length > 1) await cluster.failNode(pick(up));
      },
      restoreNode: async () => {
        const down = nodes.filter((n) => !cluster.isNodeUp(n));
        if (down.length) await cluster.restoreNode(pick(down));
      },
      break: async () => {
        const r = pick([...members.values()].flat());
        if (r.state === 'Online') await r.control(CLUSTER_CHAOS_BREAK);
      },
    };
    const weights: [string, number][] = [['move', 30], ['online', 20], ['offline', 10], ['failNode', 6], ['restoreNode', 8], ['break', 10]];
    const total = weights.reduce((a, [, w]) => a + w, 0);
    const nextOp = () => {
      let x = rand() * total;
      for (const [k, w] of weights) if ((x -= w) < 0) return k;
      return weights[0]![0];
    };
    const deadline = Date.now() + options.seconds * 1000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const kind = nextOp();
        count(operations, kind);
        try {
          await ops[kind]!();
        } catch (err) {
          count(refused, err instanceof Error ? err.message.replace(/'[^']*'/g, "'…'") : String(err));
        }
        await sleep(Math.floor(rand() * 20));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));

    // The end: every node back, every group online where it is.
    for (const n of nodes) if (!cluster.isNodeUp(n)) await cluster.restoreNode(n);
    const notOnlineAtEnd: string[] = [];
    for (const g of groups) {
      const state = await cluster.onlineGroup(g);
      if (state !== 'Online') notOnlineAtEnd.push(`${g}: ${state} (${cluster.group(g).resources.map((r) => `${r.name} ${r.state}`).join(', ')})`);
    }
    const misplaced = [...members.values()].flat().filter((r) => r.node !== cluster.group(r.group).ownerNode).map((r) => `${r.name} on ${r.node ?? 'no node'}, its group on ${cluster.group(r.group).ownerNode ?? 'no node'}`);
    const events = cluster.events;
    const groupOf = (resource: string) => {
      for (const rs of members.values()) {
        const r = rs.find((x) => x.name === resource);
        if (r) return cluster.group(r.group);
      }
      return undefined;
    };
    return {
      seed: options.seed,
      seconds: options.seconds,
      nodes: nodeCount,
      groups: groupCount,
      resources: resourceCount,
      operations,
      refused,
      calls: events.filter((e) => e.kind === 'call').length,
      moves: events.filter((e) => e.kind === 'note' && e.name === 'group-move').length,
      failovers: events.filter((e) => e.kind === 'note' && e.name === 'group-failover').length,
      violations: cluster.violations,
      notOnlineAtEnd,
      misplaced,
      violationContexts: cluster.violations.slice(0, CONTEXT_VIOLATIONS).map((v) => violationContext(v, events, groupOf)),
    };
  } finally {
    await cluster.stop();
  }
}

/** One summary line per report field worth reading, then what led to the first violations. */
export function formatClusterChaos(r: ClusterChaosReport): string[] {
  return [
    `cluster chaos: seed ${r.seed}, ${r.seconds} s, ${r.resources} resources in ${r.groups} groups on ${r.nodes} nodes`,
    `operations: ${JSON.stringify(r.operations)}`,
    `refused: ${JSON.stringify(r.refused)}`,
    `calls ${r.calls}, moves ${r.moves}, failovers ${r.failovers}, violations ${r.violations.length}, not online at end ${r.notOnlineAtEnd.length}, misplaced ${r.misplaced.length}`,
    ...r.violationContexts.flatMap((lines, i) => [`-- what led to violation ${i + 1}: its group's timeline`, ...lines]),
  ];
}
