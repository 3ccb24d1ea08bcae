import { RequestRow } from '../../database/GpuPoolStore';
import { queueOrder, queuePositions } from './queueOrder';

function row(
  id: string,
  team: string,
  createdAt: number,
  priority = 0,
  pool = 'p',
): RequestRow {
  return {
    id,
    team,
    createdAt,
    priority,
    cluster: 'c',
    namespace: 'n',
    gpus: [{ pool, count: 1 }],
    cpu: '1',
    memory: '1Gi',
    justification: '',
    ephemeral: false,
    adoptsNamespace: false,
    createdNamespace: false,
    status: 'queued',
    requestedBy: 'user:default/x',
    updatedAt: createdAt,
    cleanupPending: false,
  };
}

describe('queueOrder', () => {
  it('serves higher priority first, then teams in turns, then first come', () => {
    const rows = [
      row('a1', 'a', 1),
      row('a2', 'a', 2),
      row('a3', 'a', 3),
      row('b1', 'b', 4),
      row('c1', 'c', 5),
      row('urgent', 'c', 6, 5),
    ];
    expect(queueOrder(rows).map(r => r.id)).toEqual([
      'urgent',
      'a1',
      'b1',
      'c1',
      'a2',
      'a3',
    ]);
  });

  it('counts positions among requests for the same pools', () => {
    const positions = queuePositions([
      row('x', 'a', 1, 0, 'p'),
      row('y', 'b', 2, 0, 'q'),
      row('z', 'c', 3, 0, 'p'),
    ]);
    expect(Object.fromEntries(positions)).toEqual({ x: 1, y: 1, z: 2 });
  });
});
