import { deleteSession, findMemberByEmail, touchMemberSignIn } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DUMMY_PASSWORD_HASH, hashToken, verifyPassword } from '../../auth/secrets.js';
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from '../../auth/sessions.js';
import { unauthorized } from '../../errors.js';
import { requirePrincipal } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const signIn = z.object({
  email: z.email({ error: 'must be an email address' }).max(320),
  password: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(1024),
});

const me = z.object({
  kind: z.enum(['member', 'admin_token']),
  workspaceId: z.uuid(),
  email: z.string().optional(),
  role: z.string().optional(),
});

/** Editor sign-in: email + password in, an HTTP-only session cookie out. */
export async function sessionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/session',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['session'], summary: 'Sign in', body: signIn, response: { 200: me } },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const member = await findMemberByEmail(services.db, email);
      // Verify against a dummy hash for unknown emails so timing does not reveal membership.
      const valid = await verifyPassword(password, member?.password_hash ?? DUMMY_PASSWORD_HASH);
      if (!member || !valid) throw unauthorized('wrong email or password');
      const session = await createSession(services.db, member);
      await touchMemberSignIn(services.db, member.workspace_id, member.id);
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      return {
        kind: 'member' as const,
        workspaceId: member.workspace_id,
        email: member.email,
        role: member.role,
      };
    },
  );

  r.get(
    '/session',
    { schema: { tags: ['session'], summary: 'Who is signed in', response: { 200: me } } },
    async (request) => {
      const principal = requirePrincipal(request);
      if (principal.kind === 'member') {
        return {
          kind: 'member' as const,
          workspaceId: principal.workspaceId,
          email: principal.email,
          role: principal.role,
        };
      }
      return { kind: 'admin_token' as const, workspaceId: principal.workspaceId };
    },
  );

  r.delete(
    '/session',
    { schema: { tags: ['session'], summary: 'Sign out', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(services.db, hashToken(token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
}
