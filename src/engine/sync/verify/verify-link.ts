/**
 * The primary's line to the secondary for one verify: through a drainer signed in for the space
 * (Drainer.Verify, relayed to the secondary's Storage.VerifyData). FREEZE goes to each drainer in
 * turn until one answers; the later phases use that one. Every call has the phase's deadline.
 */
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { HostAddr } from '../../../catalog/types.ts';
import { clientFor } from '../../../server/rpc/proto.ts';
import { unary } from '../rpc-call.ts';
import type { SourceSpaceMsg } from '../wire.ts';
import { verifyCallMs } from './verify-limits.ts';
import type { VerifyPhase, VerifyReplyMsg, VerifyRequestMsg } from './verify-wire.ts';

export interface VerifyLink {
  readonly drainer: string;
  call(phase: VerifyPhase, fields?: Partial<VerifyRequestMsg>): Promise<VerifyReplyMsg>;
  close(): void;
}

/** A fresh verify id: names one verify's session on the secondary. */
export const newVerifyId = (): string => randomUUID();

/** Why no drainer could start the verify: one line per drainer tried. */
export class NoVerifyLink extends Error {
  constructor(readonly reasons: readonly string[]) {
    super(reasons.join('; '));
  }
}

export interface LinkArgs {
  readonly drainers: readonly HostAddr[];
  readonly verifyId: string;
  readonly source: SourceSpaceMsg;
  readonly targetSpace: string;
  /** Opens a client to a drainer; tests inject their own. */
  readonly connect?: (address: string) => grpc.Client;
}

/** FREEZE through the first drainer that gets a yes from the secondary. */
export async function openVerifyLink(args: LinkArgs): Promise<VerifyLink> {
  const connect = args.connect ?? ((address: string) => clientFor('Drainer', address));
  const base: VerifyRequestMsg = {
    verify_id: args.verifyId,
    phase: 'FREEZE',
    source: args.source,
    target_space: args.targetSpace,
    drainer: '',
    cuts: [],
    schema_log_id: 0,
    keys: false,
    buckets: [],
  };
  const reasons: string[] = [];
  for (const d of args.drainers) {
    const address = `${d.host}:${d.port}`;
    const client = connect(address);
    const call = (phase: VerifyPhase, fields: Partial<VerifyRequestMsg> = {}): Promise<VerifyReplyMsg> =>
      unary<VerifyReplyMsg>(client, 'Verify', { ...base, ...fields, phase }, verifyCallMs(phase));
    try {
      const reply = await call('FREEZE');
      if (reply.code === 0) return { drainer: address, call, close: () => client.close() };
      reasons.push(`drainer ${address}: ${reply.message}`);
    } catch (cause) {
      reasons.push(`drainer ${address} did not answer: ${(cause as Error).message}`);
    }
    client.close();
  }
  throw new NoVerifyLink(reasons);
}
