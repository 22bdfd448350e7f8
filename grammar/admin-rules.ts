/**
 * Statements that operate the cluster rather than the graph: SHOW ..., hosts, jobs, users and
 * roles, variables, and cross-cluster synchronization (drainers and listeners).
 */
import type { RoleName, ShowHostsRole, Statement } from '../src/parser/ast.ts';
import { DdlParser } from './ddl-rules.ts';
import * as T from './tokens.ts';

/** Largest job id accepted by SHOW JOB / STOP JOB. */
const jobIdMax = 2 ** 31 - 1;

export class AdminParser extends DdlParser {
  showStatement = this.RULE('showStatement', (): Statement => {
    this.CONSUME(T.SHOW);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.HOSTS);
          let role: ShowHostsRole | undefined;
          this.OPTION(() => (role = this.SUBRULE(this.hostRole)));
          return role === undefined ? { kind: 'ShowHosts' } : { kind: 'ShowHosts', role };
        },
      },
      { ALT: () => (this.CONSUME(T.SPACES), { kind: 'ShowSpaces' } as const) },
      { ALT: () => (this.CONSUME(T.TAGS), { kind: 'ShowSchemas', schema: 'TAG' } as const) },
      { ALT: () => (this.CONSUME(T.EDGES), { kind: 'ShowSchemas', schema: 'EDGE' } as const) },
      { ALT: () => (this.CONSUME(T.JOBS), { kind: 'ShowJobs' } as const) },
      { ALT: () => (this.CONSUME(T.JOB), { kind: 'ShowJob', id: this.SUBRULE(this.jobId) } as const) },
      { ALT: () => (this.CONSUME(T.STATS), { kind: 'ShowStats' } as const) },
      { ALT: () => (this.CONSUME(T.USERS), { kind: 'ShowUsers' } as const) },
      {
        ALT: () => {
          this.CONSUME(T.ROLES);
          this.CONSUME(T.IN);
          return { kind: 'ShowRoles', space: this.SUBRULE(this.name) } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.showCreate) },
      {
        ALT: () => {
          this.CONSUME(T.DRAINER);
          return this.OR2([
            { ALT: () => (this.CONSUME(T.CLIENTS), { kind: 'ShowDrainerClients' } as const) },
            {
              ALT: () => {
                this.CONSUME(T.SYNC);
                this.CONSUME(T.STATUS);
                return { kind: 'ShowDrainerSyncStatus' } as const;
              },
            },
          ]);
        },
      },
      { ALT: () => (this.CONSUME(T.DRAINERS), { kind: 'ShowDrainers' } as const) },
      {
        ALT: () => {
          this.CONSUME(T.LISTENER);
          this.CONSUME2(T.SYNC);
          return { kind: 'ShowListenerSync' } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME3(T.SYNC);
          return this.OR3([
            { ALT: () => (this.CONSUME2(T.STATUS), { kind: 'ShowSyncStatus' } as const) },
            // Why partitions do not sync (docs/status.md): not in NebulaGraph, added here.
            { ALT: () => (this.CONSUME(T.ERRORS), { kind: 'ShowSyncErrors' } as const) },
          ]);
        },
      },
    ]);
  });

  hostRole = this.RULE('hostRole', (): ShowHostsRole =>
    this.OR([
      { ALT: () => (this.CONSUME(T.GRAPH), 'GRAPH' as const) },
      { ALT: () => (this.CONSUME(T.DRAINER), 'DRAINER' as const) },
      {
        ALT: () => {
          this.CONSUME(T.META);
          let listener = false;
          this.OPTION(() => (this.CONSUME(T.LISTENER), (listener = true)));
          return listener ? ('META LISTENER' as const) : ('META' as const);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.STORAGE);
          let listener = false;
          this.OPTION2(() => (this.CONSUME2(T.LISTENER), (listener = true)));
          return listener ? ('STORAGE LISTENER' as const) : ('STORAGE' as const);
        },
      },
    ]),
  );

  showCreate = this.RULE('showCreate', (): Statement => {
    this.CONSUME(T.CREATE);
    return this.OR([
      {
        ALT: () => (this.CONSUME(T.SPACE), { kind: 'ShowCreateSpace', name: this.SUBRULE(this.name) } as const),
      },
      {
        ALT: () => {
          const schema = this.SUBRULE(this.schemaKind);
          return { kind: 'ShowCreateSchema', schema, name: this.SUBRULE2(this.name) } as const;
        },
      },
    ]);
  });

  jobId = this.RULE('jobId', (): number => {
    const token = this.CONSUME(T.Integer);
    return this.ACTION(() => this.smallInt(token, jobIdMax));
  });

  /** ADD HOSTS, ADD LISTENER SYNC ..., ADD DRAINER ... */
  addStatement = this.RULE('addStatement', (): Statement => {
    this.CONSUME(T.ADD);
    return this.OR([
      { ALT: () => (this.CONSUME(T.HOSTS), { kind: 'AddHosts', hosts: this.SUBRULE(this.hostList) } as const) },
      {
        ALT: () => {
          this.CONSUME(T.LISTENER);
          this.CONSUME(T.SYNC);
          this.CONSUME(T.META);
          const meta = this.SUBRULE(this.hostAddr);
          this.CONSUME(T.STORAGE);
          const storage = this.SUBRULE2(this.hostList);
          this.CONSUME(T.TO);
          this.CONSUME(T.SPACE);
          return { kind: 'AddListenerSync', meta, storage, targetSpace: this.SUBRULE(this.name) } as const;
        },
      },
      {
        ALT: () => (this.CONSUME(T.DRAINER), { kind: 'AddDrainer', drainers: this.SUBRULE3(this.hostList) } as const),
      },
    ]);
  });

  removeStatement = this.RULE('removeStatement', (): Statement => {
    this.CONSUME(T.REMOVE);
    return this.OR([
      {
        ALT: () => (this.CONSUME(T.LISTENER), this.CONSUME(T.SYNC), { kind: 'RemoveListenerSync' } as const),
      },
      { ALT: () => (this.CONSUME(T.DRAINER), { kind: 'RemoveDrainer' } as const) },
    ]);
  });

  /** SIGN IN DRAINER SERVICE(h:p, ...) and SIGN OUT DRAINER SERVICE. */
  signStatement = this.RULE('signStatement', (): Statement => {
    this.CONSUME(T.SIGN);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.IN);
          this.CONSUME(T.DRAINER);
          this.CONSUME(T.SERVICE);
          this.CONSUME(T.LParen);
          const drainers = this.SUBRULE(this.hostList);
          this.CONSUME(T.RParen);
          return { kind: 'SignInDrainerService', drainers } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.OUT);
          this.CONSUME2(T.DRAINER);
          this.CONSUME2(T.SERVICE);
          return { kind: 'SignOutDrainerService' } as const;
        },
      },
    ]);
  });

  /** SUBMIT JOB, STOP JOB, STOP SYNC, RESTART SYNC. */
  jobStatement = this.RULE('jobStatement', (): Statement =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.SUBMIT);
          this.CONSUME(T.JOB);
          const job = this.OR2([
            { ALT: () => (this.CONSUME(T.STATS), 'STATS' as const) },
            { ALT: () => (this.CONSUME(T.COMPACT), 'COMPACT' as const) },
            { ALT: () => (this.CONSUME(T.FLUSH), 'FLUSH' as const) },
          ]);
          return { kind: 'SubmitJob', job } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.STOP);
          return this.OR3([
            { ALT: () => (this.CONSUME2(T.JOB), { kind: 'StopJob', id: this.SUBRULE(this.jobId) } as const) },
            { ALT: () => (this.CONSUME(T.SYNC), { kind: 'StopSync' } as const) },
          ]);
        },
      },
      { ALT: () => (this.CONSUME(T.RESTART), this.CONSUME2(T.SYNC), { kind: 'RestartSync' } as const) },
    ]),
  );

  /** VERIFY SYNC [WITH KEYS]: compare the current (primary) space with its secondary. */
  verifyStatement = this.RULE('verifyStatement', (): Statement => {
    this.CONSUME(T.VERIFY);
    this.CONSUME(T.SYNC);
    let keys = false;
    this.OPTION(() => (this.CONSUME(T.WITH), this.CONSUME(T.KEYS), (keys = true)));
    return { kind: 'VerifySync', keys };
  });

  /** GRANT [ROLE] r ON s TO u, REVOKE [ROLE] r ON s FROM u, CHANGE PASSWORD u FROM 'a' TO 'b'. */
  userStatement = this.RULE('userStatement', (): Statement =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.GRANT);
          this.OPTION(() => this.CONSUME(T.ROLE));
          const role = this.SUBRULE(this.roleName);
          this.CONSUME(T.ON);
          const space = this.SUBRULE(this.name);
          this.CONSUME(T.TO);
          return { kind: 'GrantRole', role, space, user: this.SUBRULE2(this.name) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.REVOKE);
          this.OPTION2(() => this.CONSUME2(T.ROLE));
          const role = this.SUBRULE2(this.roleName);
          this.CONSUME2(T.ON);
          const space = this.SUBRULE3(this.name);
          this.CONSUME(T.FROM);
          return { kind: 'RevokeRole', role, space, user: this.SUBRULE4(this.name) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.CHANGE);
          this.CONSUME(T.PASSWORD);
          const user = this.SUBRULE5(this.name);
          this.CONSUME2(T.FROM);
          const oldPassword = this.SUBRULE(this.str);
          this.CONSUME2(T.TO);
          return { kind: 'ChangePassword', user, oldPassword, newPassword: this.SUBRULE2(this.str) } as const;
        },
      },
    ]),
  );

  roleName = this.RULE('roleName', (): RoleName =>
    this.OR([
      { ALT: () => (this.CONSUME(T.GOD), 'GOD' as const) },
      { ALT: () => (this.CONSUME(T.ADMIN), 'ADMIN' as const) },
      { ALT: () => (this.CONSUME(T.DBA), 'DBA' as const) },
      { ALT: () => (this.CONSUME(T.USER), 'USER' as const) },
      { ALT: () => (this.CONSUME(T.GUEST), 'GUEST' as const) },
    ]),
  );

  /** SET VARIABLES name = expr, GET VARIABLES name, USE space. */
  variableStatement = this.RULE('variableStatement', (): Statement =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.SET);
          this.CONSUME(T.VARIABLES);
          const name = this.SUBRULE(this.name);
          this.CONSUME(T.Assign);
          return { kind: 'SetVariable', name, value: this.SUBRULE(this.expression) } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.GET);
          this.CONSUME2(T.VARIABLES);
          return { kind: 'GetVariable', name: this.SUBRULE2(this.name) } as const;
        },
      },
      { ALT: () => (this.CONSUME(T.USE), { kind: 'Use', space: this.SUBRULE3(this.name) } as const) },
    ]),
  );
}
