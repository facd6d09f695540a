import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SendTestDialog } from '../templates/SendTestDialog';
import { type Channel, channels, getTemplate, templateKeys } from '../templates/templates-api';

/** The channel a send step type sends on (`send.sms` → `sms`), if it is one. */
export function sendChannelOf(nodeType: string): Channel | undefined {
  const channel = /^send\.([a-z]+)$/.exec(nodeType)?.[1];
  return channels.find((known) => known === channel);
}

/** "Send test" for a send step: its template, as saved, to an address or the test profiles. */
export function StepTestSend({ templateId }: { templateId: string }) {
  const [open, setOpen] = useState(false);
  const template = useQuery({
    queryKey: templateKeys.one(templateId),
    queryFn: () => getTemplate(templateId),
  });
  if (!template.data) return null;
  return (
    <>
      <button type="button" className="tl-button" onClick={() => setOpen(true)}>
        Send test
      </button>
      {open && (
        <SendTestDialog
          templateId={templateId}
          channel={template.data.channel}
          version={template.data.version}
          dirty={false}
          event={undefined}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
