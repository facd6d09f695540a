import { describe, expect, it } from 'vitest';
import { createLiquidEngines } from '../liquid.js';
import { formatTemplateIssue, validateEmailTemplate } from './validate.js';

const engines = createLiquidEngines();

describe('validateEmailTemplate', () => {
  it('names the line and the tag of an unknown MJML element', async () => {
    const issues = await validateEmailTemplate(
      {
        subject: 'Hi',
        mjml: '<mjml>\n  <mj-body>\n    <mj-section><mj-colum><mj-text>x</mj-text></mj-colum></mj-section>\n  </mj-body>\n</mjml>',
      },
      engines,
    );
    expect(issues.map(formatTemplateIssue)).toContain('mjml: line 3: <mj-colum> is not a known tag');
  });

  it('keeps MJML error lines true when multi-line Liquid stands before the error', async () => {
    const issues = await validateEmailTemplate(
      {
        subject: 'Hi',
        mjml: '<mjml>\n<mj-body>\n{% if profile.vip\n   and profile.active %}\n<mj-sectio></mj-sectio>\n{% endif %}\n</mj-body>\n</mjml>',
      },
      engines,
    );
    expect(issues.map(formatTemplateIssue)).toContain('mjml: line 5: <mj-sectio> is not a known tag');
  });

  it('names the field and the line of a Liquid syntax error', async () => {
    const issues = await validateEmailTemplate(
      {
        subject: 'Hi {{ profile.first_name | nosuchfilter }}',
        mjml: '<mjml>\n<mj-body>\n{% for item in event.properties.items %}\n<mj-section></mj-section>\n</mj-body>\n</mjml>',
      },
      engines,
    );
    const lines = issues.map(formatTemplateIssue);
    expect(lines).toContain('subject: line 1: undefined filter: nosuchfilter');
    expect(lines).toContainEqual(
      expect.stringMatching(/^mjml: line 3: tag \{% for item in event\.properties\.items %\} not closed/),
    );
  });

  it('finds nothing wrong with a valid template whose Liquid wraps MJML elements', async () => {
    const issues = await validateEmailTemplate(
      {
        subject: 'Hi {{ profile.first_name | default: "there" }}',
        preheader: 'Your cart',
        mjml: `<mjml><mj-body>{% for item in event.properties.items %}<mj-section><mj-column>
          <mj-image src="{{ item.image_url }}" /><mj-text>{{ item.name }}</mj-text></mj-column></mj-section>{% endfor %}</mj-body></mjml>`,
      },
      engines,
    );
    expect(issues).toEqual([]);
  });
});
