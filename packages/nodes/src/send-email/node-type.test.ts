import { describe, expect, it } from 'vitest';
import { bind, recordingContext } from '../../test/node-kit.js';
import { sendEmailNodeType } from './node-type.js';

describe('send.email', () => {
  it('leaves by out or suppressed and is marketing email unless marked transactional', () => {
    const instance = bind(sendEmailNodeType, { templateId: 'tpl_cart' });
    expect(instance.ports).toEqual(['out', 'suppressed']);
    expect(instance.config).toEqual({ templateId: 'tpl_cart', transactional: false });
    expect(instance.summary()).toBe('Send email tpl_cart');
  });

  it('reports an unknown template when templates are known', () => {
    const { ctx, issues } = recordingContext({ templates: ['tpl_other'] });
    bind(sendEmailNodeType, { templateId: 'tpl_cart' }).compile(ctx);
    expect(issues).toEqual([{ code: 'unknown_template', message: 'tpl_cart', path: 'templateId' }]);
  });
});
