/** The small pages a reader sees on an unsubscribe link. No scripts, no outside resources. */

const what: Record<string, string> = {
  email: 'emails',
  sms: 'text messages',
  push: 'push notifications',
  whatsapp: 'WhatsApp messages',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2933; background: #f5f7fa; margin: 0; }
  main { max-width: 28rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  button { font: inherit; padding: 0.5rem 1.25rem; border: 0; border-radius: 6px; background: #1f2933; color: #fff; cursor: pointer; }
</style>
</head>
<body><main>${body}</main></body>
</html>
`;
}

/**
 * Asks before unsubscribing: a GET changes nothing, because mail scanners and link previews
 * fetch links nobody clicked. The form posts what RFC 8058's one-click POST sends.
 */
export function confirmPage(channel: string): string {
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe?</h1>
<p>You will no longer receive ${what[channel] ?? 'messages'} like this one from us.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(channel: string): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1>
<p>You will no longer receive ${what[channel] ?? 'messages'} like this one from us.</p>`,
  );
}

export const invalidLinkPage = page(
  'Link not valid',
  `<h1>This link is not valid</h1>
<p>It may have been copied incompletely. Use the unsubscribe link in a recent message from us.</p>`,
);

export const failedPage = page(
  'Please try again',
  `<h1>Something went wrong</h1>
<p>You are not unsubscribed yet. Please try again in a moment.</p>`,
);
