import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { e2eCredentials } from './credentials';

const admin = { authorization: `Bearer ${e2eCredentials.adminToken}` };

/** A journey that can be published as it is: an event trigger straight to an exit. */
function publishable(event: string) {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'trigger_event_1', type: 'trigger.event', position: { x: 80, y: 120 }, config: { event } },
      { id: 'exit_1', type: 'exit', position: { x: 420, y: 120 }, config: {} },
    ],
    edges: [{ id: 'e_trigger_event_1_out', source: 'trigger_event_1', sourcePort: 'out', target: 'exit_1' }],
    settings: { reentry: 'never' },
  };
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Email').fill(e2eCredentials.adminEmail);
  await page.getByLabel('Password').fill(e2eCredentials.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(e2eCredentials.adminEmail);
}

async function openJourney(page: Page, id: string) {
  await page.goto(`/journeys/${id}`);
  await expect(page.getByRole('navigation', { name: 'Steps' })).toBeVisible();
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
}

const trigger = (page: Page) => page.locator('.react-flow__node[data-id="trigger_event_1"]');

/** Types a new event into the trigger's settings, as a marketer edits a step. */
async function setTriggerEvent(page: Page, event: string) {
  await trigger(page).locator('.tl-node-title').click();
  const form = page.getByRole('form', { name: 'When an event happens settings' });
  await form.getByLabel('Event', { exact: true }).fill(event);
}

/** The trigger's event in the draft the server holds. */
async function serverEvent(request: APIRequestContext, id: string): Promise<string> {
  const journey = await (await request.get(`/api/journeys/${id}`, { headers: admin })).json();
  const node = journey.graph.nodes.find((n: { id: string }) => n.id === 'trigger_event_1');
  return node?.config?.event;
}

const conflictNotice = (page: Page) => page.getByRole('alert').filter({ hasText: 'changed this journey' });

test('two tabs on one draft: the later save is refused with a notice, and the marketer chooses whose draft stays', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(60_000);
  const created = await request.post('/api/journeys', {
    headers: admin,
    data: { name: 'Two tabs', graph: publishable('cart_updated') },
  });
  expect(created.status(), await created.text()).toBe(201);
  const journeyId: string = (await created.json()).id;

  await signIn(page);
  const other = await context.newPage();
  await openJourney(page, journeyId);
  await openJourney(other, journeyId);

  // The first tab saves; the second tab, still on the draft it opened, saves after it.
  await setTriggerEvent(page, 'first_tab_event');
  await expect.poll(() => serverEvent(request, journeyId)).toBe('first_tab_event');
  await setTriggerEvent(other, 'second_tab_event');
  const notice = conflictNotice(other);
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(e2eCredentials.adminEmail);
  await expect(notice).toContainText('in another tab');
  await expect(other.getByTestId('save-status')).toHaveText('Not saved — changed elsewhere');
  expect(await serverEvent(request, journeyId)).toBe('first_tab_event');
  await other.screenshot({ path: test.info().outputPath('conflict-notice.png') });

  // Publishing from the tab in conflict fails, saying why, and publishes nothing.
  await expect(other.getByText('Ready to publish.')).toBeVisible();
  await other.getByRole('button', { name: 'Publish', exact: true }).click();
  const dialog = other.getByRole('dialog', { name: 'Publish the first version' });
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Reload their version or keep yours first');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await (await request.get(`/api/journeys/${journeyId}`, { headers: admin })).json()).status).toBe(
    'draft',
  );

  // Reloading shows the first tab's change, and saving from there works again.
  await notice.getByRole('button', { name: 'Reload their version' }).click();
  await expect(conflictNotice(other)).toHaveCount(0);
  await expect(trigger(other)).toContainText('first_tab_event');
  await expect(other.getByTestId('save-status')).toHaveText('Saved');
  await setTriggerEvent(other, 'second_tab_event');
  await expect.poll(() => serverEvent(request, journeyId)).toBe('second_tab_event');
  await expect(other.getByTestId('save-status')).toHaveText('Saved');

  // Now the first tab is behind: its save is refused, and "Keep mine" saves it over the other's.
  await setTriggerEvent(page, 'first_tab_again');
  await expect(conflictNotice(page)).toBeVisible();
  expect(await serverEvent(request, journeyId)).toBe('second_tab_event');
  await conflictNotice(page).getByRole('button', { name: 'Keep mine' }).click();
  await expect(conflictNotice(page)).toHaveCount(0);
  await expect.poll(() => serverEvent(request, journeyId)).toBe('first_tab_again');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');

  // Resolved, the tab saves and publishes as usual.
  await setTriggerEvent(page, 'kept_and_published');
  await expect.poll(() => serverEvent(request, journeyId)).toBe('kept_and_published');
  await expect(page.getByText('Ready to publish.')).toBeVisible();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Publish the first version' })
    .getByRole('button', { name: 'Publish now' })
    .click();
  await expect(page.getByTestId('journey-status')).toHaveText('Live · v1');
});
