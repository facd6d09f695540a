import { describe, expect, it } from 'vitest';
import { bind, problems, recordingContext } from '../../test/node-kit.js';
import { sendInappNodeType } from './node-type.js';

describe('send.inapp', () => {
  it('sends a template, leaving by out or suppressed', () => {
    const instance = bind(sendInappNodeType, { templateId: 'tpl_1' });
    expect(instance.ports).toEqual(['out', 'suppressed']);
    expect(instance.compile(recordingContext().ctx)).toEqual({ defaultPort: 'out' });
  });

  it('requires a template', () => {
    expect(problems(sendInappNodeType, { templateId: '' })).toEqual(['templateId: choose a template']);
  });
});
