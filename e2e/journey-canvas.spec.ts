import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { e2eCredentials } from './credentials';

const admin = { authorization: `Bearer ${e2eCredentials.adminToken}` };
const writeKey = { authorization: `Basic ${Buffer.from(`${e2eCredentials.writeKey}:`).toString('base64')}` };

async function createJourney(request: APIRequestContext, name: string): Promise<string> {
  const response = await request.post('/api/journeys', { headers: admin, data: { name } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).id;
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Email').fill(e2eCredentials.adminEmail);
  await page.getByLabel('Password').fill(e2eCredentials.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(e2eCredentials.adminEmail);
}

const canvas = (page: Page) => page.locator('.tl-canvas');
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const settingsForm = (page: Page, label: string) => page.getByRole('form', { name: `${label} settings` });

/** Drags a step from the palette and drops it at (x, y) inside the canvas. */
async function dropStep(page: Page, label: string, x: number, y: number) {
  await page
    .getByRole('button', { name: `Add ${label}`, exact: true })
    .dragTo(canvas(page), { targetPosition: { x, y } });
}

/** Drags from a node's port handle and lets go over the target node, as a marketer connects them. */
async function connect(page: Page, source: string, port: string, target: string) {
  // A validation answer can change a step's summary and so move its handles: let it land first.
  await expect(page.getByText('Checking the journey…')).toBeHidden();
  const handle = node(page, source).locator(`.react-flow__handle[data-handleid="${port}"]`);
  const from = await handle.boundingBox();
  const to = await node(page, target).boundingBox();
  if (!from || !to) throw new Error(`cannot see ${source}.${port} or ${target}`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
  await expect(
    page.locator(
      `.react-flow__edge[data-id="e_${source}_${port}"], [data-testid="rf__edge-e_${source}_${port}"]`,
    ),
  ).toHaveCount(1);
}

/** Opens a node's settings by clicking its title. */
async function open(page: Page, id: string): Promise<Locator> {
  await node(page, id).locator('.tl-node-title').click();
  await expect(page.getByText(id, { exact: true })).toBeVisible();
  return page.locator('.tl-side');
}

test.describe('the journey canvas', () => {
  test('a marketer draws the abandoned-cart journey, publishes it, and a cart left behind is emailed', async ({
    page,
    request,
  }) => {
    // A long walk through the editor on a shared machine.
    test.setTimeout(90_000);
    const template = await request.post('/api/templates', {
      headers: admin,
      data: {
        name: 'You left something behind',
        channel: 'email',
        subject: 'Your cart misses you',
        mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Cart {{ event.properties.cart_id }}</mj-text></mj-column></mj-section></mj-body></mjml>',
      },
    });
    expect(template.status(), await template.text()).toBe(201);
    const templateId: string = (await template.json()).id;
    const journeyId = await createJourney(request, 'Abandoned cart, drawn');

    await signIn(page);
    await page.goto(`/journeys/${journeyId}`);
    await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
    await expect(page.getByTestId('save-status')).toHaveText('Saved');

    // Steps dragged from the palette, laid out left to right.
    await dropStep(page, 'When an event happens', 130, 110);
    await expect(node(page, 'trigger_event_1')).toBeVisible();
    await dropStep(page, 'Wait for an event', 390, 110);
    await dropStep(page, 'Send email', 390, 360);
    await dropStep(page, 'Exit', 620, 230);
    await expect(page.locator('.react-flow__node')).toHaveCount(4);

    // Settings, through the settings panel of each selected step.
    await open(page, 'trigger_event_1');
    await settingsForm(page, 'When an event happens')
      .getByLabel('Event', { exact: true })
      .fill('cart_updated');
    await open(page, 'wait_event_1');
    const wait = settingsForm(page, 'Wait for an event');
    await wait.getByLabel('Event', { exact: true }).fill('order_completed');
    await wait.getByLabel('Timeout', { exact: true }).fill('2');
    await wait.getByLabel('Unit').first().selectOption('seconds');
    await open(page, 'send_email_1');
    await settingsForm(page, 'Send email').getByLabel('Template', { exact: true }).selectOption(templateId);
    // The step names its template, and its template can be sent as a test from the step.
    await expect(node(page, 'send_email_1')).toContainText('You left something behind');
    const tester = await request.post('/v1/identify', {
      headers: writeKey,
      data: { userId: 'tester', traits: { first_name: 'Tess', email: 'tess@example.com' } },
    });
    expect(tester.status()).toBe(200);
    await page.getByRole('button', { name: 'Send test', exact: true }).click();
    const testDialog = page.getByRole('dialog', { name: 'Send a test' });
    await testDialog.getByLabel('To', { exact: true }).fill('marketer@shop.example');
    await testDialog.getByLabel('With the data of (user id)').fill('tester');
    await testDialog.getByRole('button', { name: 'Send test' }).click();
    await expect(testDialog.getByRole('status')).toContainText(
      'Queued 1 test message: marketer@shop.example',
    );
    await testDialog.getByRole('button', { name: 'Close' }).click();

    // Summaries come from the server's node types.
    await expect(node(page, 'wait_event_1')).toContainText('order_completed');

    await connect(page, 'trigger_event_1', 'out', 'wait_event_1');
    await connect(page, 'wait_event_1', 'timeout', 'send_email_1');
    await connect(page, 'wait_event_1', 'received', 'exit_1');
    await connect(page, 'send_email_1', 'out', 'exit_1');
    await connect(page, 'send_email_1', 'suppressed', 'exit_1');

    await expect(page.getByText('Ready to publish.')).toBeVisible();
    await expect(page.getByTestId('save-status')).toHaveText('Saved');
    if (process.env.E2E_SCREENSHOTS === '1') {
      await page.getByRole('button', { name: 'Auto-layout top down' }).click();
      await open(page, 'wait_event_1');
      await page.waitForTimeout(500);
      await page.screenshot({ path: 'docs/screenshots/canvas.png' });
    }

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish the first version' });
    await expect(dialog).toContainText('4 steps go live');
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('journey-status')).toHaveText('Live · v1');

    // The simulator runs the journey for a made-up shopper and lights up the path taken.
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect(page.getByLabel('Event 1')).toHaveValue('cart_updated');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await expect(page.getByTestId('simulation-status')).toContainText('Completed');
    await expect(page.getByRole('list', { name: 'Path' })).toContainText('Wait for an event → timeout');
    await expect(page.getByTestId('node-send_email_1')).toHaveClass(/tl-node-onpath/);
    await page.getByRole('button', { name: 'Simulate' }).click();

    // The draft the server holds is the graph drawn on the canvas.
    const saved = await (await request.get(`/api/journeys/${journeyId}`, { headers: admin })).json();
    expect(saved.status).toBe('live');
    expect(saved.validation.ok).toBe(true);
    expect(
      saved.graph.edges.map((e: { source: string; sourcePort: string; target: string }) =>
        [e.source, e.sourcePort, e.target].join(' '),
      ),
    ).toEqual(
      expect.arrayContaining([
        'trigger_event_1 out wait_event_1',
        'wait_event_1 timeout send_email_1',
        'wait_event_1 received exit_1',
      ]),
    );

    // A shopper updates a cart and never orders: after the timeout the email is in the outbox.
    const userId = `shopper-${Date.now()}`;
    const identify = await request.post('/v1/identify', {
      headers: writeKey,
      data: { userId, traits: { email: `${userId}@example.com`, subscriptions: { email: true } } },
    });
    expect(identify.status(), await identify.text()).toBe(200);
    const track = await request.post('/v1/track', {
      headers: writeKey,
      data: { userId, event: 'cart_updated', properties: { cart_id: 'cart-42' } },
    });
    expect(track.status(), await track.text()).toBe(200);
    await expect
      .poll(
        async () => {
          const response = await request.get(`/api/messages?userId=${userId}&journeyId=${journeyId}`, {
            headers: admin,
          });
          return ((await response.json()).messages ?? []).map(
            (m: { channel: string; templateId: string; nodeId: string }) =>
              `${m.channel} ${m.templateId} ${m.nodeId}`,
          );
        },
        { timeout: 20_000 },
      )
      .toEqual([`email ${templateId} send_email_1`]);

    // Pause and resume by status; the published version opens read-only from the history.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('journey-status')).toHaveText('Paused · v1');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByTestId('journey-status')).toHaveText('Live · v1');
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Open version 1' }).click();
    await expect(page.getByText('Version 1 · read-only')).toBeVisible();
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    await expect(page.getByRole('navigation', { name: 'Steps' })).toHaveCount(0);
    await open(page, 'wait_event_1');
    await expect(
      settingsForm(page, 'Wait for an event').getByLabel('Timeout', { exact: true }),
    ).toBeDisabled();
    await page.getByRole('button', { name: 'Back to the draft' }).first().click();
    await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();

    // Publishing again shows what changed from the live version and where running enrollments go.
    await page.getByRole('button', { name: 'History' }).click();
    await open(page, 'wait_event_1');
    await settingsForm(page, 'Wait for an event').getByLabel('Timeout', { exact: true }).fill('3');
    await expect(page.getByText('Ready to publish.')).toBeVisible();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const second = page.getByRole('dialog', { name: 'Publish version 2' });
    await expect(second.getByRole('list', { name: 'Steps changed' })).toContainText('wait_event_1');
    await expect(second.getByRole('list', { name: 'Steps added' })).toHaveCount(0);
    await second.getByLabel('Move to the new version', { exact: false }).check();
    await second.getByRole('button', { name: 'Publish now' }).click();
    await expect(page.getByTestId('journey-status')).toHaveText('Live · v2');
  });

  test('a broken journey shows each error on its step and cannot be published', async ({ page, request }) => {
    const journeyId = await createJourney(request, 'Half-drawn');
    await signIn(page);
    await page.goto(`/journeys/${journeyId}`);
    await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();

    // Keyboard users add steps with Enter on the palette.
    await page.getByRole('button', { name: 'Add When an event happens', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(node(page, 'trigger_event_1')).toBeVisible();
    await dropStep(page, 'Wait for an event', 620, 110);
    await settingsForm(page, 'Wait for an event')
      .getByLabel('Event', { exact: true })
      .fill('order_completed');
    await connect(page, 'trigger_event_1', 'out', 'wait_event_1');

    // The trigger has no event yet; the wait's two ports lead nowhere.
    const trigger = page.getByTestId('node-trigger_event_1');
    const wait = page.getByTestId('node-wait_event_1');
    await expect(trigger).toHaveAttribute('data-invalid', 'true');
    await expect(trigger.locator('.tl-node-problems')).toContainText('event');
    await expect(wait).toHaveAttribute('data-invalid', 'true');
    await expect(wait.locator('.tl-port-invalid')).toHaveText(['⚠ received', '⚠ timeout']);
    await expect(wait.locator('.tl-node-problems')).toContainText('port "received" of node "wait_event_1"');

    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    await expect(publish).toBeDisabled();
    const reasons = page.getByRole('list', { name: 'Why the journey cannot be published' });
    await expect(reasons).toContainText('is not connected to any node');
    await expect(page.getByRole('list', { name: 'Problems', exact: true }).getByRole('listitem')).toHaveCount(
      3,
    );

    // Fixing the trigger's event removes its error; the wait's stay.
    await open(page, 'trigger_event_1');
    await settingsForm(page, 'When an event happens')
      .getByLabel('Event', { exact: true })
      .fill('cart_updated');
    await expect(trigger).not.toHaveAttribute('data-invalid', 'true');
    await expect(page.getByRole('list', { name: 'Problems', exact: true }).getByRole('listitem')).toHaveCount(
      2,
    );
    await expect(publish).toBeDisabled();

    // Undo brings the error back.
    await page.locator('.tl-canvas .react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await expect(trigger).toHaveAttribute('data-invalid', 'true');

    // Copy and paste a step with a new id; delete it; undo and redo the delete.
    await open(page, 'wait_event_1');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(node(page, 'wait_event_2')).toBeVisible();
    await page.keyboard.press('Delete');
    await expect(node(page, 'wait_event_2')).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(node(page, 'wait_event_2')).toBeVisible();
    await page.keyboard.press('Control+Shift+z');
    await expect(node(page, 'wait_event_2')).toHaveCount(0);
    await expect(page.locator('.react-flow__node')).toHaveCount(2);

    // A split's ports come from its config, as the server derives them: one per branch, then else.
    await dropStep(page, 'Audience split', 620, 330);
    const split = node(page, 'split_audience_1');
    await expect(split.locator('.react-flow__handle.source')).toHaveCount(2);
    await expect(split.locator('.tl-port-name')).toHaveText(['⚠ vip', '⚠ else']);

    // Without a mouse, a port is connected from its step's settings: one list of next steps per port.
    await open(page, 'wait_event_1');
    const afterReceived = page.getByRole('combobox', { name: /After received/ });
    await afterReceived.focus();
    await afterReceived.selectOption('split_audience_1');
    await expect(wait.locator('.tl-port-invalid')).toHaveText(['⚠ timeout']);
    await expect(page.locator('.react-flow__edge')).toHaveCount(2);

    // Zoomed far out the edges are drawn in one layer of their own, and zoomed in again they are
    // React Flow's, selectable, once more: the same two either way.
    const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
    for (let click = 0; click < 8 && (await page.locator('.tl-overview-edge').count()) === 0; click += 1)
      await zoomOut.click();
    await expect(page.locator('.tl-overview-edge')).toHaveCount(2);
    await expect(page.locator('.react-flow__edge')).toHaveCount(0);
    await expect(page.locator('.tl-overview-edge[data-id="e_wait_event_1_received"]')).toHaveAttribute(
      'd',
      /^M/,
    );
    const zoomIn = page.getByRole('button', { name: 'Zoom In' });
    for (let click = 0; click < 8 && (await page.locator('.react-flow__edge').count()) === 0; click += 1)
      await zoomIn.click();
    await expect(page.locator('.react-flow__edge')).toHaveCount(2);
    await expect(page.locator('.tl-overview-edge')).toHaveCount(0);
  });
});
