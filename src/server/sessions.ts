/**
 * Client sessions of one graph service: created by `authenticate`, ended by `signout`.
 * Session ids are random positive int64s, as NebulaGraph hands out.
 */
import { randomBytes } from 'node:crypto';
import { limits } from '../limits.ts';
import type { Session } from '../executor/types.ts';

export class Sessions {
  private readonly byId = new Map<bigint, Session>();

  /** A new session for `user`, or undefined when `limits.sessionsMax` are open. */
  open(user: string): Session | undefined {
    if (this.byId.size >= limits.sessionsMax) return undefined;
    let id: bigint;
    do id = randomBytes(8).readBigInt64BE() & 0x7fffffffffffffffn;
    while (id === 0n || this.byId.has(id));
    const session: Session = { id, user };
    this.byId.set(id, session);
    return session;
  }

  get(id: bigint): Session | undefined {
    return this.byId.get(id);
  }

  close(id: bigint): void {
    this.byId.delete(id);
  }

  /** Sessions of a dropped user end with it. */
  closeUser(user: string): void {
    for (const [id, s] of this.byId) if (s.user === user) this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
