// Option checks shared by register and unregister: node selection against the cluster's own
// list, and poll intervals.
import type { ClusterState } from '../deploy/cluster-scripts.js';
import { UsageError } from './usage.js';

/** The nodes to act on, with the cluster's spelling of their names, or why not. */
export function selectNodes(state: ClusterState, wanted: string[] | undefined): string[] | string {
  const byName = new Map(state.nodes.map((n) => [n.name.toLowerCase(), n]));
  const unknown = (wanted ?? []).filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length) return `not nodes of this cluster: ${unknown.join(', ')} (its nodes: ${state.nodes.map((n) => n.name).join(', ')})`;
  const chosen = wanted ? wanted.map((n) => byName.get(n.toLowerCase())!) : state.nodes;
  const down = chosen.filter((n) => n.state !== 'Up');
  if (down.length) {
    return `${down.map((n) => `${n.name} is ${n.state}`).join(', ')}: every node needs the files at the same path. Bring ${down.length > 1 ? 'them' : 'it'} up, or name the nodes to deploy to with --nodes (the type cannot run on the others until you deploy there)`;
  }
  return chosen.map((n) => n.name);
}

export function parsePollInterval(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 0xffffffff) throw new UsageError(`${option} expects milliseconds from 1 to 4294967295, not '${text}'`);
  return n;
}
