/**
 * The executors of every statement that is not a data statement: cluster, spaces, schema, users
 * and roles, variables, jobs and stats, and synchronization. The dispatch table in
 * src/executor/index.ts merges this with the data executors.
 */
import type { StatementKind } from '../../parser/ast.ts';
import type { ExecutorTable } from '../types.ts';
import { addDrainer, removeDrainer, showDrainers, showDrainerSyncStatus } from './drainers.ts';
import { showDrainerClients, signInDrainerService, signOutDrainerService } from './drainer-clients.ts';
import { addHosts, dropHosts, showHosts } from './hosts.ts';
import { showJob, showJobs, showStats, stopJob, submitJob } from './jobs.ts';
import {
  addListenerSync,
  removeListenerSync,
  restartSync,
  showListenerSync,
  showSyncStatus,
  stopSync,
} from './listener-sync.ts';
import { grantRole, revokeRole, showRoles } from './roles.ts';
import { alterSchema, createSchema, dropSchema } from './schema-ddl.ts';
import { describeSchema, showCreateSchema, showSchemas } from './schema-show.ts';
import { createSpace, describeSpace, dropSpace, showCreateSpace, showSpaces, use } from './spaces.ts';
import { alterUser, changePassword, createUser, dropUser, showUsers } from './users.ts';
import { getVariable, setVariable } from './variables.ts';
import { showSyncErrors } from './sync-errors.ts';
import { verifySync } from './verify-sync.ts';

/** Statement kinds another module executes: writes and reads of vertices and edges. */
import type { DataKind } from '../data/index.ts';
export type { DataKind };

export type AdminKind = Exclude<StatementKind, DataKind>;

export const adminExecutors: Pick<ExecutorTable, AdminKind> = {
  AddHosts: addHosts,
  DropHosts: dropHosts,
  ShowHosts: showHosts,
  CreateSpace: createSpace,
  DropSpace: dropSpace,
  Use: use,
  ShowSpaces: showSpaces,
  DescribeSpace: describeSpace,
  ShowCreateSpace: showCreateSpace,
  CreateSchema: createSchema,
  AlterSchema: alterSchema,
  DropSchema: dropSchema,
  ShowSchemas: showSchemas,
  DescribeSchema: describeSchema,
  ShowCreateSchema: showCreateSchema,
  SubmitJob: submitJob,
  ShowJobs: showJobs,
  ShowJob: showJob,
  StopJob: stopJob,
  ShowStats: showStats,
  CreateUser: createUser,
  DropUser: dropUser,
  AlterUser: alterUser,
  ChangePassword: changePassword,
  GrantRole: grantRole,
  RevokeRole: revokeRole,
  ShowUsers: showUsers,
  ShowRoles: showRoles,
  SetVariable: setVariable,
  GetVariable: getVariable,
  SignInDrainerService: signInDrainerService,
  SignOutDrainerService: signOutDrainerService,
  ShowDrainerClients: showDrainerClients,
  AddListenerSync: addListenerSync,
  RemoveListenerSync: removeListenerSync,
  ShowListenerSync: showListenerSync,
  AddDrainer: addDrainer,
  RemoveDrainer: removeDrainer,
  ShowDrainers: showDrainers,
  StopSync: stopSync,
  RestartSync: restartSync,
  ShowSyncStatus: showSyncStatus,
  ShowDrainerSyncStatus: showDrainerSyncStatus,
  ShowSyncErrors: showSyncErrors,
  VerifySync: verifySync,
};
