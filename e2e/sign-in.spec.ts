import { expect, test } from '@playwright/test';
import { e2eCredentials } from './credentials';

test.describe('signing in to the editor', () => {
  test('shows the sign-in page to a visitor with no session', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('tells a member who mistypes the password, and lets them in with the right one', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Email').fill(e2eCredentials.adminEmail);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('wrong email or password');

    await page.getByLabel('Password').fill(e2eCredentials.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as')).toHaveText(e2eCredentials.adminEmail);
    await expect(page.getByRole('heading', { name: 'Journeys' })).toBeVisible();

    // The session is an HTTP-only cookie: scripts cannot read it, and it survives a reload.
    expect(await page.evaluate(() => document.cookie)).not.toContain('touchline_session');
    await page.reload();
    await expect(page.getByTestId('signed-in-as')).toHaveText(e2eCredentials.adminEmail);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('serves the health check and the API documentation beside the editor', async ({ request }) => {
    const health = await request.get('/health');
    expect(health.status()).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', worker: 'running' });
    const docs = await request.get('/docs/json');
    expect((await docs.json()).paths).toHaveProperty('/api/session');
  });
});
