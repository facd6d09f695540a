import type { Db, MemberRole } from '@touchline/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { basicUser, bearerToken } from '../auth/credentials.js';
import type { KeyResolver } from '../auth/key-resolver.js';
import { memberForSession, SESSION_COOKIE } from '../auth/sessions.js';
import { unauthorized } from '../errors.js';

/** Who made the request; every query a route makes is scoped by `workspaceId`. */
export type Principal =
  | { kind: 'write_key'; workspaceId: string }
  | { kind: 'admin_token'; workspaceId: string }
  | { kind: 'member'; workspaceId: string; memberId: string; email: string; role: MemberRole };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Routes under /api that answer without credentials (signing in). */
    public?: boolean;
  }
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('authentication required');
  return request.principal;
}

export function workspaceOf(request: FastifyRequest): string {
  return requirePrincipal(request).workspaceId;
}

/** `/v1/*`: the workspace write key, as the HTTP Basic user name. */
export function writeKeyHook(keys: KeyResolver) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = basicUser(request.headers.authorization);
    if (!token) {
      throw unauthorized(
        'missing write key: send it as the HTTP Basic auth user name (Authorization: Basic …)',
      );
    }
    const key = await keys.resolve(token);
    if (!key) throw unauthorized('invalid write key');
    if (key.kind !== 'write') throw unauthorized('this is an admin token; /v1 ingestion takes the write key');
    request.principal = { kind: 'write_key', workspaceId: key.workspaceId };
  };
}

/** `/api/*`: an admin Bearer token (automation) or a member's session cookie (the editor). */
export function adminHook(keys: KeyResolver, db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (request.routeOptions.config.public) return;
    const token = bearerToken(request.headers.authorization);
    if (token) {
      const key = await keys.resolve(token);
      if (!key) throw unauthorized('invalid admin token');
      if (key.kind !== 'admin') {
        throw unauthorized(
          'this is a write key; the admin API takes an admin token (Authorization: Bearer …)',
        );
      }
      request.principal = { kind: 'admin_token', workspaceId: key.workspaceId };
      return;
    }
    if (request.headers.authorization) {
      throw unauthorized('unsupported Authorization scheme: the admin API takes "Bearer <admin token>"');
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) {
      const member = await memberForSession(db, session);
      if (!member) throw unauthorized('your session has expired; sign in again');
      request.principal = {
        kind: 'member',
        workspaceId: member.workspace_id,
        memberId: member.id,
        email: member.email,
        role: member.role,
      };
      return;
    }
    throw unauthorized('missing credentials: send "Authorization: Bearer <admin token>" or sign in');
  };
}
