// Pins how a listener turns its assignment into shippers: one per assigned part that is not
// stopped and has a drainer, part p to drainers[p % k], and a key that changes with anything the
// shipper depends on, the source's lineage included (so only affected shippers restart).
import { describe, expect, it } from 'vitest';
import { planAssignment } from '../../../../../src/engine/sync/listener/assignment-plan.ts';
import type { AssignmentMsg, AssignmentReplyMsg } from '../../../../../src/engine/sync/wire.ts';

const source = { cluster_id: 'c1', space_name: 's', space_id: 1, partition_num: 4, vid_type: 'INT64', vid_length: 8 };
const reply = (a: Partial<AssignmentMsg>, hosts = ['127.0.0.1:9779']): AssignmentReplyMsg => ({
  code: 0,
  message: '',
  cluster_id: 'c1',
  storage_hosts: hosts,
  assignments: [{ source, target_space: 't', parts: [1, 2, 3], drainers: ['d0:1', 'd1:1'], stopped: false, ...a }],
});

describe('planAssignment', () => {
  it('runs each assigned part against drainers[part % k]', () => {
    const plan = planAssignment(reply({}), ['m:1']);
    expect([...plan.run.values()].map((p) => [p.assignment.part, p.assignment.drainer])).toEqual([
      [1, 'd1:1'],
      [2, 'd0:1'],
      [3, 'd1:1'],
    ]);
    expect([...plan.run.values()][0]!.assignment).toMatchObject({ targetSpace: 't', storageHosts: ['127.0.0.1:9779'], metaAddrs: ['m:1'] });
    expect(plan.idle).toEqual([]);
    expect([...plan.spaces]).toEqual(['s']);
  });

  it('runs nothing for a stopped sync or one with no drainer, and lists those parts idle', () => {
    expect(planAssignment(reply({ stopped: true }), []).run.size).toBe(0);
    const noDrainer = planAssignment(reply({ drainers: [] }), []);
    expect(noDrainer.run.size).toBe(0);
    expect(noDrainer.idle).toEqual([1, 2, 3].map((part) => ({ space: 's', part, targetSpace: 't' })));
  });

  it('changes the key of exactly the parts whose drainer, target, source or hosts changed', () => {
    const keys = (r: AssignmentReplyMsg) => [...planAssignment(r, []).run.keys()];
    const base = keys(reply({}));
    expect(keys(reply({}))).toEqual(base);
    const moved = keys(reply({ drainers: ['d0:1', 'd9:1'] }));
    expect(moved.map((k, i) => k === base[i])).toEqual([false, true, false]);
    expect(keys(reply({ source: { ...source, space_id: 2 } })).some((k) => base.includes(k))).toBe(false);
    expect(keys(reply({ target_space: 'u' })).some((k) => base.includes(k))).toBe(false);
    expect(keys(reply({}, ['127.0.0.1:9780'])).some((k) => base.includes(k))).toBe(false);
    // A new lineage must reach the secondary (its cycle check): every part says hello again.
    const fed = keys(reply({ source: { ...source, lineage: [{ cluster_id: 'c0', space_name: 'up' }] } }));
    expect(fed.some((k) => base.includes(k))).toBe(false);
    expect(keys(reply({ source: { ...source, lineage: [] } }))).toEqual(base);
  });
});
