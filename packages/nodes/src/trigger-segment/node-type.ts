import { defineNodeType } from '@touchline/journey';
import { z } from 'zod';

export const triggerSegmentConfigSchema = z.strictObject({
  segmentId: z.string().min(1, { error: 'choose a segment' }).meta({ title: 'Segment', widget: 'segment' }),
  on: z
    .enum(['enter', 'exit'])
    .default('enter')
    .meta({ title: 'Enroll when they', description: 'enter: join the segment; exit: leave it.' }),
});

export type TriggerSegmentConfig = z.infer<typeof triggerSegmentConfigSchema>;

/** Enrolls a profile when it enters (or leaves) a segment. */
export const triggerSegmentNodeType = defineNodeType({
  type: 'trigger.segment',
  version: 1,
  category: 'trigger',
  label: 'When a profile enters or leaves a segment',
  configSchema: triggerSegmentConfigSchema,
  defaults: { segmentId: '', on: 'enter' },
  ports: ['out'],
  summary: (config) =>
    `When a profile ${config.on === 'enter' ? 'enters' : 'leaves'} segment ${config.segmentId}`,
  compile(config, ctx) {
    ctx.checkSegment(config.segmentId, 'segmentId');
    return { defaultPort: 'out', trigger: { kind: 'segment', segmentId: config.segmentId, on: config.on } };
  },
});
