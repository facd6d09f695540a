import {
  type Db,
  decodeEventCursor,
  decodeProfileCursor,
  findProfileByIdentifier,
  listEnrollmentSteps,
  listProfileEnrollments,
  listProfileEvents,
  listProfileIdentities,
  listProfileMessages,
  type Profile,
  searchProfiles,
} from '@touchline/db';
import { normalisePhone } from '@touchline/ingest';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';
import { cursorOf, limit } from './paging.js';
import {
  eventBody,
  profileBody,
  profileSummaryBody,
  toEventBody,
  toProfileBody,
  toProfileSummaryBody,
} from './profile-schemas.js';

const tags = ['profiles'];
/** How many of the newest events and messages, and enrollments, the profile view shows. */
const recentEvents = 50;
const recentMessages = 50;
const recentEnrollments = 100;

const userIdParams = z.object({
  userId: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(512, { error: 'must be at most 512 characters' })
    .describe('a user id, an anonymous id or an alias of the profile'),
});

const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(512)
    .optional()
    .describe('a user id, anonymous id or alias, an email (any case) or a phone number, matched exactly'),
  limit: limit(50),
  cursor: cursorOf(decodeProfileCursor, 'nextCursor').optional(),
});

const eventsQuery = z.object({
  limit: limit(50),
  before: cursorOf(decodeEventCursor, 'nextBefore').optional(),
});

async function requireProfile(db: Db, workspaceId: string, identifier: string): Promise<Profile> {
  const profile = await findProfileByIdentifier(db, workspaceId, identifier);
  if (!profile) throw notFound(`profile ${identifier} not found`);
  return profile;
}

/** The profile view: who someone is, what they did, which journeys they are in and what we sent. */
export async function profileRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.get(
    '/profiles',
    {
      schema: {
        tags,
        summary: 'Find profiles, most recently seen first',
        description:
          'Without `q`, every profile. Merged profiles are left out (their identifiers find the survivor). Pass the `nextCursor` of an answer as `cursor` for the next page; it is null on the last page.',
        querystring: searchQuery,
        response: {
          200: z.object({ profiles: z.array(profileSummaryBody), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      const page = await searchProfiles(db, workspaceOf(request), {
        search: q,
        // Phones are stored normalised; "+44 (20) 7123-4567" finds "+442071234567".
        phone: q ? normalisePhone(q) : null,
        limit,
        after: cursor,
      });
      return { profiles: page.rows.map(toProfileSummaryBody), nextCursor: page.next };
    },
  );

  r.get(
    '/profiles/:userId',
    {
      schema: {
        tags,
        summary: 'A profile: traits, consent, computed traits, recent events, enrollments, messages',
        description:
          'The identifier is tried as a user id, then as an anonymous id, then as an alias. Events and messages are the latest 50; `/profiles/:userId/events` pages further back.',
        params: userIdParams,
        response: { 200: profileBody },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const profile = await requireProfile(db, workspaceId, request.params.userId);
      const [identities, events, enrollments, messages] = await Promise.all([
        listProfileIdentities(db, workspaceId, profile.id),
        listProfileEvents(db, workspaceId, profile.id, { limit: recentEvents }),
        listProfileEnrollments(db, workspaceId, profile.id, recentEnrollments),
        listProfileMessages(db, workspaceId, profile.id, recentMessages),
      ]);
      const steps = await listEnrollmentSteps(
        db,
        workspaceId,
        enrollments.map((e) => e.id),
      );
      return toProfileBody({ profile, identities, events: events.rows, enrollments, steps, messages });
    },
  );

  r.get(
    '/profiles/:userId/events',
    {
      schema: {
        tags,
        summary: 'A profile’s events, newest first',
        description:
          'Pass the `nextBefore` of an answer as `before` to read older events; it is null on the last page.',
        params: userIdParams,
        querystring: eventsQuery,
        response: { 200: z.object({ events: z.array(eventBody), nextBefore: z.string().nullable() }) },
      },
    },
    async (request) => {
      const workspaceId = workspaceOf(request);
      const profile = await requireProfile(db, workspaceId, request.params.userId);
      const { limit, before } = request.query;
      const page = await listProfileEvents(db, workspaceId, profile.id, { limit, before });
      return { events: page.rows.map(toEventBody), nextBefore: page.next };
    },
  );
}
