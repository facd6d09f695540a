import { useState } from 'react';
import type { Channel, Preview } from './templates-api';

type Device = 'desktop' | 'mobile';
const widths: Record<Device, number> = { desktop: 600, mobile: 375 };

/** The rendered template: an email in a sandboxed frame at a device's width, a text as its channel shows it. */
export function PreviewPane({
  channel,
  preview,
  pending,
}: {
  channel: Channel;
  preview: Preview | undefined;
  pending: boolean;
}) {
  const [device, setDevice] = useState<Device>('desktop');
  if (channel !== 'email') {
    return (
      <div className="text-preview" aria-busy={pending}>
        <div className={`bubble bubble-${channel}`} data-testid="text-preview">
          {preview?.subject ? <strong>{preview.subject}</strong> : null}
          <p>{preview?.text ?? ''}</p>
        </div>
        {preview ? (
          <dl className="rendered-fields">
            {Object.entries(preview.fields)
              .filter(([key]) => key !== 'channel')
              .map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                </div>
              ))}
          </dl>
        ) : null}
      </div>
    );
  }
  return (
    <div className="email-preview" aria-busy={pending}>
      <div className="preview-bar">
        <div className="inbox-line">
          <strong data-testid="preview-subject">{preview?.subject ?? ''}</strong>
          {preview?.preheader ? <span className="muted-inline"> — {preview.preheader}</span> : null}
        </div>
        <fieldset className="segmented" aria-label="Preview width">
          {(['desktop', 'mobile'] as const).map((d) => (
            <button
              key={d}
              type="button"
              className={device === d ? 'on' : ''}
              aria-pressed={device === d}
              onClick={() => setDevice(d)}
            >
              {d === 'desktop' ? 'Desktop' : 'Mobile'}
            </button>
          ))}
        </fieldset>
      </div>
      <div className="frame-stage">
        {/* sandbox="": the email's HTML runs no script, submits nothing and navigates nowhere. */}
        <iframe
          title="Email preview"
          sandbox=""
          srcDoc={preview?.html ?? ''}
          style={{ width: widths[device] }}
          data-device={device}
        />
      </div>
    </div>
  );
}
