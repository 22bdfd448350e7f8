// Pins how `nebula-sync listener` reads its flags: storage by default on 9789 (HTTP 19789), --meta_sync_listener
// implies a meta listener at that address (9569 by default for --role=meta), the primary's meta
// address is required, and bad values are errors that name the flag.
import { describe, expect, it } from 'vitest';
import { listenerFlags, listenerSettings } from '../../../../../src/cli/listener-command.ts';
import type { FlagValues } from '../../../../../src/cli/flags.ts';

const flags = (over: Record<string, string | number>): FlagValues => ({
  ...Object.fromEntries(listenerFlags.map((f) => [f.name, f.default])),
  meta_server_addrs: '192.168.10.101:9559',
  ...over,
});

describe('listener flags', () => {
  it('makes a storage listener on 127.0.0.1:9789 by default', () => {
    expect(listenerSettings(flags({}))).toEqual({
      role: 'storage',
      localIp: '127.0.0.1',
      port: 9789,
      httpPort: 19789,
      metaServerAddrs: ['192.168.10.101:9559'],
      heartbeatIntervalSecs: 10,
    });
  });

  it('reads --meta_sync_listener as a meta listener at that address unless local_ip/port are set', () => {
    expect(listenerSettings(flags({ meta_sync_listener: '192.168.10.103:9569' }))).toMatchObject({ role: 'meta', localIp: '192.168.10.103', port: 9569 });
    expect(listenerSettings(flags({ meta_sync_listener: '192.168.10.103:9569', port: '0' }))).toMatchObject({ role: 'meta', port: 0 });
    expect(listenerSettings(flags({ role: 'meta' }))).toMatchObject({ role: 'meta', port: 9569, httpPort: 19569 });
    expect(listenerSettings(flags({ role: 'meta', ws_http_port: '0' }))).toMatchObject({ httpPort: 0 });
  });

  it('refuses a missing primary meta address, a bad role, a bad port and a contradiction', () => {
    const message = (v: unknown) => (v instanceof Error ? v.message : 'no error');
    expect(message(listenerSettings(flags({ meta_server_addrs: '' })))).toMatch(/meta_server_addrs is required/);
    expect(message(listenerSettings(flags({ role: 'graph' })))).toMatch(/--role/);
    expect(message(listenerSettings(flags({ port: 'x' })))).toMatch(/--port/);
    expect(message(listenerSettings(flags({ port: '70000' })))).toMatch(/--port/);
    expect(message(listenerSettings(flags({ ws_http_port: '70000' })))).toMatch(/--ws_http_port expects a port number/);
    expect(message(listenerSettings(flags({ role: 'storage', meta_sync_listener: '1.2.3.4:9569' })))).toMatch(/role=storage/);
  });
});
