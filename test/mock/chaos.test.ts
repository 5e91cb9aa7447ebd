// A short seeded chaos run (the long one is `npm run chaos`): faults everywhere, invariants hold.
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { formatHistogram, runChaos } from '../../lib/testing/chaos.js';

// Under Windows node (Wine 8) the resources start no children here: each child_process.spawn of
// node.exe blocks the shared event loop 0.5-1.3 s and stalls the whole process meanwhile, every
// thread of it: the monitor's timer thread, which only sleeps 5 ms at a time and holds no lock,
// overslept by 120-270 ms, and the monitor's and shim's threads waiting with deadlines woke 90-270
// ms late, in the windows of the spawns (measured, issue 11). In-process is the one mode where a
// resource's spawn shares a process with RHS's threads; the same run without children stays under
// 300 ms, judged as strictly. The Terminate-to-child gaps are judged by the process-host run below
// and, under Windows node, by test/process/terminate-tree.test.ts.
const children = process.platform !== 'win32';

test('20 s of seeded chaos over 200 resources: no slow call, violation, overlap, lost property write, or child outliving its Terminate', async () => {
  const report = await runChaos({ seconds: 20, seed: 20261123, resources: 200, children });
  console.log(formatHistogram(report).join('\n'));
  if (report.violations.length || report.slowCalls.length) console.log(JSON.stringify({ violations: report.violations, slow: report.slowCalls }));
  expect(report.calls).toBeGreaterThan(1000);
  expect(report.operations.set).toBeGreaterThan(50);
  expect(report.slowCalls).toEqual([]);
  expect(report.violations).toEqual([]);
  expect(report.overlaps).toEqual([]);
  expect(report.propertyMismatches).toEqual([]);
  // Terminates of resources with a running child (issue 12): the terminate handler ends every
  // child (this process is the host, so when the loop the chaos blocks is free: the gaps are
  // reported, not judged; the process-host run below judges them).
  console.log(`terminate -> child gone (ms): ${JSON.stringify(report.terminateChildGapsMs)}`);
  if (children) expect(report.terminateChildGapsMs.length).toBeGreaterThan(0);
  expect(report.terminateChildGapsMs.every(Number.isFinite)).toBe(true);
  expect(report.orphans).toEqual([]);
  expect(report.operations.offlineWithReason).toBeGreaterThan(0);
  expect(report.operations.notify).toBeGreaterThan(0);
  // Bounded memory: the second half of the run does not keep growing like the first.
  expect(report.rssMb.end - report.rssMb.middle).toBeLessThan(150);
}, 120000);

// Not under Windows node: the chaos module writes its garbage on the channel's POSIX fd, and on
// Windows only native code reaches the channel's pipe handles (test/process/faults.test.ts does
// it there with the test-only channel-tap.node, which the package's chaos module cannot use).
test.skipIf(process.platform === 'win32')('10 s of seeded chaos with a child host process, host kills and garbage on its channel: the same invariants, no orphan host, and no child outliving its Terminate', async () => {
  const module = fileURLToPath(new URL('../../dist/testing/chaos.js', import.meta.url));
  const report = await runChaos({ seconds: 10, seed: 7, resources: 100, host: 'process', module });
  console.log(formatHistogram(report).join('\n'));
  if (report.violations.length || report.slowCalls.length) console.log(JSON.stringify({ violations: report.violations, slow: report.slowCalls }));
  expect(report.calls).toBeGreaterThan(500);
  expect(report.hostKills).toBeGreaterThan(0);
  expect(report.garbageWrites).toBeGreaterThan(0);
  expect(report.corruptFrameDrops).toBeGreaterThan(0);
  expect(report.slowCalls).toEqual([]);
  expect(report.violations).toEqual([]);
  expect(report.overlaps).toEqual([]);
  expect(report.propertyMismatches).toEqual([]);
  expect(report.orphans).toEqual([]);
  // Terminates while the host's loop is blocked: the shim kills the host's tree in time. (Under
  // the run's faults a control reaches the host in time only now and then: the count may be 0;
  // test/process/terminate-tree.test.ts checks the same deterministically.)
  console.log(`terminate -> child gone (ms): ${JSON.stringify(report.terminateChildGapsMs)}`);
  expect(report.terminateSurvivors).toEqual([]);
}, 120000);
