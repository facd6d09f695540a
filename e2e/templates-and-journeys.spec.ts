import { type APIRequestContext, expect as baseExpect, type Page, test } from '@playwright/test';
import { e2eCredentials } from './credentials';

/** Screenshots for the README, only when asked for ('E2E_SCREENSHOTS=1'), so normal runs leave them be. */
const screenshots = process.env.E2E_SCREENSHOTS === '1';
// Previews are rendered by the server as you type; a loaded machine takes its time.
const expect = baseExpect.configure({ timeout: 15_000 });
const admin = { authorization: `Bearer ${e2eCredentials.adminToken}` };
const writeKey = {
  authorization: `Basic ${Buffer.from(`${e2eCredentials.writeKey}:`).toString('base64')}`,
};

const apiJourney = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } },
    { id: 'done', type: 'exit', config: {}, position: { x: 0, y: 120 } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'done' }],
  settings: { reentry: 'always' },
};

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Email').fill(e2eCredentials.adminEmail);
  await page.getByLabel('Password').fill(e2eCredentials.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Journeys' })).toBeVisible();
}

async function identify(request: APIRequestContext, userId: string, traits: Record<string, unknown>) {
  const response = await request.post('/v1/identify', { headers: writeKey, data: { userId, traits } });
  expect(response.status()).toBe(200);
}

/** A journey made through the API, published and paused as asked, with some people in it. */
async function seedJourney(
  request: APIRequestContext,
  name: string,
  state: { publish?: boolean; pause?: boolean; enroll?: string[] } = {},
) {
  const created = await request.post('/api/journeys', { headers: admin, data: { name, graph: apiJourney } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  if (state.publish)
    expect((await request.post(`/api/journeys/${id}/publish`, { headers: admin, data: {} })).ok()).toBe(true);
  for (const userId of state.enroll ?? []) {
    const enrolled = await request.post(`/api/journeys/${id}/enroll`, { headers: admin, data: { userId } });
    expect(enrolled.ok()).toBe(true);
  }
  if (state.pause)
    expect((await request.post(`/api/journeys/${id}/pause`, { headers: admin })).ok()).toBe(true);
  return id;
}

test.describe('the journeys list and the template editor', () => {
  test.describe.configure({ timeout: 90_000 });

  test('creates a journey from the list, finds it by name, duplicates it and deletes the copy', async ({
    page,
    request,
  }) => {
    for (const [userId, name] of [
      ['ada', 'Ada'],
      ['grace', 'Grace'],
      ['linus', 'Linus'],
    ] as const)
      await identify(request, userId, { first_name: name, email: `${userId}@example.com` });
    await seedJourney(request, 'Abandoned cart', {
      publish: true,
      enroll: ['ada', 'grace', 'linus'],
    });
    await seedJourney(request, 'Win-back', { publish: true, pause: true, enroll: ['ada'] });
    await seedJourney(request, 'Post-purchase review');

    await signIn(page);
    await page.getByRole('button', { name: 'New journey' }).click();
    const dialog = page.getByRole('dialog', { name: 'New journey' });
    await dialog.getByLabel('Name').fill('Spring welcome');
    await dialog.getByRole('button', { name: 'Create journey' }).click();
    await expect(page).toHaveURL(/\/journeys\/[0-9a-f-]{36}$/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journeys' }).click();
    const table = page.getByRole('table', { name: 'Journeys' });
    const row = (name: string) =>
      table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row('Spring welcome')).toContainText('draft');
    await expect(row('Spring welcome')).toContainText(e2eCredentials.adminEmail);
    await expect(row('Abandoned cart')).toContainText('live');
    await expect(row('Abandoned cart')).toContainText('v1');
    await expect(row('Abandoned cart').getByRole('cell').nth(3)).toHaveText('3');
    await expect(row('Win-back')).toContainText('paused');

    if (screenshots) await page.screenshot({ path: 'docs/screenshots/journeys.png' });

    // The search asks the server; only the matching journey stays.
    await page.getByLabel('Search journeys by name').fill('spring WELC');
    await expect(page).toHaveURL(/q=spring/);
    await expect(row('Abandoned cart')).toHaveCount(0);
    await expect(row('Spring welcome')).toHaveCount(1);

    await page.getByRole('button', { name: 'Duplicate Spring welcome', exact: true }).click();
    await expect(row('Spring welcome (copy)')).toContainText('draft');

    // Never published: the copy is deleted, after a confirmation.
    await page.getByRole('button', { name: 'Delete Spring welcome (copy)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Spring welcome (copy)”?' });
    await confirm.getByRole('button', { name: 'Delete journey' }).click();
    await expect(row('Spring welcome (copy)')).toHaveCount(0);
    await expect(row('Spring welcome')).toHaveCount(1);

    // The status filter: paused journeys only.
    await page.getByLabel('Search journeys by name').fill('');
    await page.getByLabel('Status').selectOption('paused');
    await expect(row('Win-back')).toHaveCount(1);
    await expect(row('Abandoned cart')).toHaveCount(0);
  });

  test("edits a template's MJML and sees the preview follow, with a chosen profile's name", async ({
    page,
    request,
  }) => {
    await identify(request, 'ada', { first_name: 'Ada', email: 'ada@example.com' });

    await signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await dialog.getByLabel('Channel').selectOption('email');
    await dialog.getByLabel('Name').fill('Cart reminder');
    await dialog.getByRole('button', { name: 'Create template' }).click();
    await expect(page).toHaveURL(/\/templates\/[0-9a-f-]{36}$/);

    const frame = page.frameLocator('iframe[title="Email preview"]');
    // Nobody chosen: the starter greets "there".
    await expect(frame.getByText('Hi there,')).toBeVisible();

    await page.getByPlaceholder('a user id (empty: nobody)').fill('ada');
    await expect(frame.getByText('Hi Ada,')).toBeVisible();
    await expect(page.getByTestId('preview-subject')).toHaveText('Hello Ada');

    const mjml = [
      '<mjml>',
      '  <mj-body background-color="#f6f7fb">',
      '    <mj-section background-color="#ffffff" padding="24px">',
      '      <mj-column>',
      '        <mj-text font-size="22px" font-weight="700">{{ profile.first_name }}, your cart is waiting</mj-text>',
      '        <mj-text>{% for item in event.properties.items %}{{ item.name }} — {{ item.price }} EUR<br/>{% endfor %}</mj-text>',
      '        <mj-button href="https://shop.example/cart" background-color="#4f46e5">Back to your cart</mj-button>',
      '      </mj-column>',
      '    </mj-section>',
      '  </mj-body>',
      '</mjml>',
    ].join('\n');
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(mjml);
    await page.getByText('Sample event').click();
    await page.getByLabel('Sample event (JSON)').fill(
      JSON.stringify({
        event: 'cart_updated',
        properties: { items: [{ name: 'Red running shoes', price: 89 }] },
      }),
    );
    await expect(frame.getByText('Ada, your cart is waiting')).toBeVisible();
    await expect(frame.getByText('Red running shoes — 89 EUR')).toBeVisible();
    await page.getByLabel('Subject').fill('{{ profile.first_name }}, your cart is waiting');
    await page.getByLabel('Preheader').fill('{{ event.properties.items | size }} item saved for you');
    await expect(page.getByTestId('preview-subject')).toHaveText('Ada, your cart is waiting');
    await expect(page.getByText('— 1 item saved for you')).toBeVisible();

    await page.getByRole('button', { name: 'Mobile' }).click();
    await expect(page.locator('iframe[title="Email preview"]')).toHaveAttribute('data-device', 'mobile');
    await expect
      .poll(async () => (await page.locator('iframe[title="Email preview"]').boundingBox())?.width)
      .toBe(375);
    await page.getByRole('button', { name: 'Desktop' }).click();

    // A misspelt tag: the error names its line, and the line is marked in the editor.
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(
      mjml.replace('<mj-column>', '<mj-colum>').replace('</mj-column>', '</mj-colum>'),
    );
    const errors = page.getByRole('alert').filter({ hasText: 'is not a known tag' });
    await expect(errors).toContainText('line 4');
    await expect(page.locator('.cm-error-line')).toHaveCount(1);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Not saved' })).toContainText(
      '<mj-colum> is not a known tag',
    );

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(mjml);
    await expect(page.locator('.cm-error-line')).toHaveCount(0);
    await expect(frame.getByText('Ada, your cart is waiting')).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved · v2')).toBeVisible();

    if (screenshots) await page.screenshot({ path: 'docs/screenshots/template-editor.png' });

    await page.getByRole('button', { name: 'Send test' }).click();
    const send = page.getByRole('dialog', { name: 'Send a test' });
    await expect(send.getByRole('textbox', { name: 'To' })).toHaveValue(e2eCredentials.adminEmail);
    await send.getByRole('button', { name: 'Send test' }).click();
    await expect(send.getByRole('status')).toHaveText(`Queued 1 test message: ${e2eCredentials.adminEmail}`);

    // The test is in the outbox, marked as a test, with Ada's data.
    const messages = await request.get('/api/messages?userId=ada', { headers: admin });
    const [message] = (
      (await messages.json()) as { messages: Array<{ test: boolean; templateVersion: number }> }
    ).messages;
    expect(message).toMatchObject({ test: true, templateVersion: 2 });
  });

  test('previews an SMS for a chosen profile as its text is typed', async ({ page, request }) => {
    await identify(request, 'grace', { first_name: 'Grace', phone: '+447700900123' });
    await signIn(page);
    await page.goto('/templates?channel=sms');
    await page.getByRole('button', { name: 'New template' }).click();
    const dialog = page.getByRole('dialog', { name: 'New template' });
    await expect(dialog.getByLabel('Channel')).toHaveValue('sms');
    await dialog.getByLabel('Name').fill('Discount code');
    await dialog.getByRole('button', { name: 'Create template' }).click();

    await page.getByPlaceholder('a user id (empty: nobody)').fill('grace');
    await page
      .getByLabel('Text')
      .fill('Hi {{ profile.first_name }}, here is 10% off: {{ event.properties.code }}');
    await page.getByText('Sample event').click();
    await page
      .getByLabel('Sample event (JSON)')
      .fill('{ "event": "cart_updated", "properties": { "code": "TEN" } }');
    await expect(page.getByTestId('text-preview')).toHaveText('Hi Grace, here is 10% off: TEN');

    // Liquid that does not parse: the error names the field and line.
    await page.getByLabel('Text').fill('Hi {{ profile.first_name | shout }}');
    await expect(page.getByRole('alert').filter({ hasText: 'undefined filter: shout' })).toContainText(
      'text',
    );
    await page.getByLabel('Text').fill('Hi {{ profile.first_name }}');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved · v2')).toBeVisible();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('button', { name: 'SMS', exact: true }).click();
    const table = page.getByRole('table', { name: 'Templates' });
    await expect(table.getByRole('link', { name: 'Discount code' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'Cart reminder' })).toHaveCount(0);
  });
});
