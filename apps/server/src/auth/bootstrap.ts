import {
  countApiKeys,
  countMembers,
  createWorkspace,
  type Db,
  ensureInstanceSecret,
  findFirstWorkspace,
  findMemberByEmail,
  insertApiKey,
  insertMember,
  updateMemberPassword,
  type Workspace,
} from '@touchline/db';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import { generateToken, hashPassword, hashToken, tokenPrefix, verifyPassword } from './secrets.js';

export interface GeneratedCredentials {
  writeKey?: string;
  adminToken?: string;
  adminEmail?: string;
  adminPassword?: string;
}

export interface BootstrapResult {
  workspace: Workspace;
  /** Credentials created on this start; shown once, since only their hashes are stored. */
  generated: GeneratedCredentials;
  /**
   * What signs tracking links: TOUCHLINE_SECRET's secrets, else one generated on the first start
   * and stored for every process of the installation (never printed: nobody needs to type it).
   */
  trackingSecrets: string[];
}

const DEFAULT_ADMIN_EMAIL = 'admin@touchline.local';

/**
 * Makes sure the first workspace, its write key, admin token and first admin member exist.
 * Values from the environment are registered as given; missing ones are generated on the first
 * start only. Runs under an advisory lock so that two processes starting together agree.
 */
export async function bootstrap(db: Db, config: Config): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7210431518004212)`.execute(trx);
    const workspace = (await findFirstWorkspace(trx)) ?? (await createWorkspace(trx, 'Default workspace'));
    const generated: GeneratedCredentials = {};

    for (const [kind, given, prefix] of [
      ['write', config.writeKey, 'tl_write_'],
      ['admin', config.adminToken, 'tl_admin_'],
    ] as const) {
      let token = given;
      if (!token && (await countApiKeys(trx, workspace.id, kind)) === 0) {
        token = generateToken(prefix);
        if (kind === 'write') generated.writeKey = token;
        else generated.adminToken = token;
      }
      if (token) {
        await insertApiKey(trx, {
          workspaceId: workspace.id,
          kind,
          name: given ? `${kind} key from the environment` : `generated ${kind} key`,
          tokenHash: hashToken(token),
          tokenPrefix: tokenPrefix(token),
        });
      }
    }

    const email = config.adminEmail;
    if (email) {
      const member = await findMemberByEmail(trx, email);
      if (!member) {
        const password = config.adminPassword ?? generateToken('');
        if (!config.adminPassword) generated.adminPassword = password;
        generated.adminEmail = email;
        await insertMember(trx, {
          workspaceId: workspace.id,
          email,
          role: 'admin',
          passwordHash: await hashPassword(password),
        });
      } else if (
        config.adminPassword &&
        !(await verifyPassword(config.adminPassword, member.password_hash))
      ) {
        // The environment is the source of truth for the first admin's password.
        await updateMemberPassword(
          trx,
          member.workspace_id,
          member.id,
          await hashPassword(config.adminPassword),
        );
      }
    } else if ((await countMembers(trx, workspace.id)) === 0) {
      const password = config.adminPassword ?? generateToken('');
      generated.adminEmail = DEFAULT_ADMIN_EMAIL;
      if (!config.adminPassword) generated.adminPassword = password;
      await insertMember(trx, {
        workspaceId: workspace.id,
        email: DEFAULT_ADMIN_EMAIL,
        role: 'admin',
        passwordHash: await hashPassword(password),
      });
    }
    const trackingSecrets = config.secrets ?? [
      await ensureInstanceSecret(trx, 'tracking', () => generateToken('tl_secret_')),
    ];
    return { workspace, generated, trackingSecrets };
  });
}

export function formatGeneratedCredentials(generated: GeneratedCredentials): string | undefined {
  const lines: string[] = [];
  if (generated.writeKey) lines.push(`  Write key (HTTP Basic user for /v1/*):  ${generated.writeKey}`);
  if (generated.adminToken) lines.push(`  Admin token (Bearer for /api/*):       ${generated.adminToken}`);
  if (generated.adminEmail) lines.push(`  Admin sign-in email:                   ${generated.adminEmail}`);
  if (generated.adminPassword)
    lines.push(`  Admin sign-in password:                ${generated.adminPassword}`);
  if (lines.length === 0) return undefined;
  return [
    '',
    'Touchline generated these credentials. They are shown only this once: store them now.',
    '(Set TOUCHLINE_WRITE_KEY, TOUCHLINE_ADMIN_TOKEN, TOUCHLINE_ADMIN_EMAIL and',
    'TOUCHLINE_ADMIN_PASSWORD to choose your own.)',
    '',
    ...lines,
    '',
  ].join('\n');
}
