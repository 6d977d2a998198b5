// The contract's one-source pieces: the proxy every transport uses, and events by topic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LAB_METHODS, eventTopic, subscribeTopic, type LabEvent } from '../../../src/shared/api';
import { createLabProxy } from '../../../src/shared/labProxy';
import { parseWsCall } from '../../../src/shared/protocol';

test('createLabProxy: every LabApi method reaches the transport with its name and argument', async () => {
  const calls: [string, unknown][] = [];
  const lab = createLabProxy(async (method, arg) => {
    calls.push([method, arg]);
    return `${method}!`;
  });
  assert.deepEqual(Object.keys(lab).sort(), [...LAB_METHODS].sort());
  assert.equal(await lab.readProject({ path: 'a.netsmith.json' }), 'readProject!');
  assert.equal(await lab.hostInfo(), 'hostInfo!');
  assert.deepEqual(calls, [
    ['readProject', { path: 'a.netsmith.json' }],
    ['hostInfo', undefined],
  ]);
});

test('events split by topic: run, experiment, menu', () => {
  const events: LabEvent[] = [
    { type: 'step', runId: 'r1', step: 1, epoch: 1, loss: 1, lr: 0.1, samplesPerSec: 10 },
    { type: 'menu', command: 'file.save' },
    { type: 'experiment', session: 's', experiment: 'e', phase: 'started' } as LabEvent,
    { type: 'log', runId: 'r1', level: 'info', message: 'hi' },
  ];
  assert.deepEqual(events.map(eventTopic), ['run', 'menu', 'experiment', 'run']);
  const listeners = new Set<(e: LabEvent) => void>();
  const host = { subscribe: (l: (e: LabEvent) => void) => (listeners.add(l), () => void listeners.delete(l)) };
  const seen: Record<string, string[]> = { run: [], menu: [], experiment: [] };
  const offs = (['run', 'menu', 'experiment'] as const).map((topic) => subscribeTopic(host, topic, (e) => seen[topic].push(e.type)));
  for (const e of events) for (const l of listeners) l(e);
  assert.deepEqual(seen, { run: ['step', 'log'], menu: ['menu'], experiment: ['experiment'] });
  for (const off of offs) off();
  assert.equal(listeners.size, 0);
});

test('parseWsCall accepts {id, method, arg} and refuses anything else', () => {
  assert.deepEqual(parseWsCall('{"id":3,"method":"listRuns"}'), { id: 3, method: 'listRuns', arg: undefined });
  assert.equal(parseWsCall('{"id":"3","method":"listRuns"}'), null);
  assert.equal(parseWsCall('not json'), null);
  assert.equal(parseWsCall('null'), null);
});
