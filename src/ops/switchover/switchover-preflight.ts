/**
 * Before step 1: read both clusters (SHOW statements only) and refuse a switchover that cannot
 * finish, while nothing has changed yet: the space must sync to the target space of the named
 * secondary, the target space must not be a primary or a drainer client already, the old primary's
 * space must have no drainer of its own, and the new listeners and drainers (the seed: "Before the
 * switching, set up a listener for the new primary cluster, and a drainer for the new secondary
 * cluster") must be ONLINE where they belong. What it reads is also what undoing restores.
 */
import type { StatementSession } from '../graph-session.ts';
import { addrText, type Addr, type SwitchoverFacts, type SwitchoverOptions } from './switchover-types.ts';

/** A check that failed before anything changed: the switchover is refused (exit 1). */
export class Refused extends Error {
  override readonly name = 'Refused';
}

/** `"127.0.0.1":9569` (SHOW LISTENER SYNC, SHOW DRAINERS) as an address. */
export function quotedAddr(text: string): Addr | undefined {
  const m = /^"?([^"]+)"?:(\d{1,5})$/.exec(text.trim());
  return m === null ? undefined : { host: m[1]!, port: Number(m[2]) };
}

const same = (a: Addr, b: Addr): boolean => a.host === b.host && a.port === b.port;

async function readOnlyOf(s: StatementSession): Promise<boolean> {
  const rows = await s.run('GET VARIABLES read_only');
  return rows[0]?.['value'] === 'true';
}

async function use(s: StatementSession, space: string, what: string): Promise<void> {
  const res = await s.execute(`USE \`${space}\``);
  if (res.errorCode !== 0) throw new Refused(`${what} ${space} is not on the ${s.title}: ${res.errorMsg ?? ''}`);
}

/** Each of `wanted` is listed ONLINE by SHOW HOSTS `role` on `s`, or a refusal saying how to fix it. */
async function online(s: StatementSession, role: string, wanted: readonly Addr[], hint: string): Promise<void> {
  const rows = await s.run(`SHOW HOSTS ${role}`);
  for (const w of wanted) {
    const up = rows.some((r) => r['Host'] === w.host && r['Port'] === String(w.port) && r['Status'] === 'ONLINE');
    if (!up) throw new Refused(`${addrText(w)} is not ONLINE in SHOW HOSTS ${role} of the ${s.title}: ${hint}`);
  }
}

/** The old direction as the old primary has it: target space, listeners, drainer clients. */
async function readPrimary(p: StatementSession, o: SwitchoverOptions) {
  await use(p, o.space, 'space');
  const sync = await p.run('SHOW LISTENER SYNC');
  if (sync.length === 0) throw new Refused(`space ${o.space} on the ${p.title} has no listener sync (ADD LISTENER SYNC): there is nothing to switch over`);
  const targetSpace = sync[0]!['SpaceName']!;
  if (o.targetSpace !== undefined && o.targetSpace !== targetSpace) {
    throw new Refused(`space ${o.space} syncs to ${targetSpace}, not to ${o.targetSpace} (--target_space)`);
  }
  const hostOf = (row: Record<string, string>) => {
    const addr = quotedAddr(row['Host'] ?? '');
    if (addr === undefined) throw new Error(`cannot read the listener address ${row['Host']} of SHOW LISTENER SYNC`);
    return addr;
  };
  const oldMetaListener = hostOf(sync.find((r) => r['PartId'] === '0') ?? sync[0]!);
  const oldStorageListeners: Addr[] = [];
  for (const row of sync.filter((r) => r['PartId'] !== '0')) {
    const addr = hostOf(row);
    if (!oldStorageListeners.some((a) => same(a, addr))) oldStorageListeners.push(addr);
  }
  const oldDrainerClients = (await p.run('SHOW DRAINER CLIENTS')).map((r) => ({ host: r['Host']!, port: Number(r['Port']) }));
  if (oldDrainerClients.length === 0) throw new Refused(`space ${o.space} on the ${p.title} has no drainer service signed in`);
  if ((await p.run('SHOW DRAINERS')).length > 0) {
    throw new Refused(`space ${o.space} on the ${p.title} already has a drainer (SHOW DRAINERS): step 6 could not add the new one`);
  }
  const primaryReadOnly = await readOnlyOf(p);
  await online(p, 'DRAINER', o.newDrainers, `start the new drainer with --meta_server_addrs=<the old primary's meta> first`);
  return { targetSpace, oldMetaListener, oldStorageListeners, oldDrainerClients, primaryReadOnly };
}

/**
 * Read both clusters and check that the switchover can finish; a Refused error when it cannot.
 * `p` and `s` are sessions on the old primary and the old secondary; they are left in the space
 * and the target space.
 */
export async function preflight(p: StatementSession, s: StatementSession, o: SwitchoverOptions): Promise<SwitchoverFacts> {
  const found = await readPrimary(p, o);
  const target = found.targetSpace;
  await use(s, target, 'the target space');
  const oldDrainers = (await s.run('SHOW DRAINERS')).flatMap((r) => quotedAddr(r['Host'] ?? '') ?? []);
  if (!oldDrainers.some((d) => found.oldDrainerClients.some((c) => same(c, d)))) {
    throw new Refused(
      `${target} on the ${s.title} was added none of the drainers that ${o.space} ships to (${found.oldDrainerClients.map(addrText).join(', ')}): it does not receive from the old primary`,
    );
  }
  if ((await s.run('SHOW LISTENER SYNC')).length > 0) throw new Refused(`${target} on the ${s.title} already syncs to a space of its own (SHOW LISTENER SYNC)`);
  if ((await s.run('SHOW DRAINER CLIENTS')).length > 0) {
    throw new Refused(`${target} on the ${s.title} already has a drainer service signed in (SHOW DRAINER CLIENTS): step 7 could not sign in the new one`);
  }
  const secondaryReadOnly = await readOnlyOf(s);
  const hint = `start the new listeners with --meta_server_addrs=<the old secondary's meta> first`;
  await online(s, 'META LISTENER', [o.newMetaListener], hint);
  await online(s, 'STORAGE LISTENER', o.newStorageListeners, hint);
  return { ...found, oldDrainers, secondaryReadOnly };
}
