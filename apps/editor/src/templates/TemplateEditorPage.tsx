import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDebounced } from '../journeys/use-debounced';
import { IssueList, warningIssue } from './IssueList';
import { PreviewPane } from './PreviewPane';
import { SendTestDialog } from './SendTestDialog';
import { TemplateFields } from './TemplateFields';
import {
  channelLabels,
  getTemplate,
  issuesOf,
  listProfiles,
  previewTemplate,
  saveTemplate,
  type Template,
  type TemplateContent,
  templateKeys,
} from './templates-api';
import './templates.css';

interface Draft {
  name: string;
  content: TemplateContent;
}

/** The sample event as typed: parsed JSON, nothing when empty, or why it is not JSON. */
function parseEvent(text: string): { event?: Record<string, unknown>; error?: string } {
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { error: 'must be a JSON object' };
    return { event: value as Record<string, unknown> };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'not JSON' };
  }
}

/** One template: its fields on the left, a live preview for a chosen person on the right. */
export function TemplateEditorPage() {
  const { id = '' } = useParams();
  const template = useQuery({ queryKey: templateKeys.one(id), queryFn: () => getTemplate(id) });
  if (template.error) {
    return (
      <main className="content">
        <h1>Template</h1>
        <p className="error" role="alert">
          {template.error.message}
        </p>
      </main>
    );
  }
  if (!template.data) return <main className="content" aria-busy="true" />;
  return <TemplateEditor key={template.data.id} saved={template.data} />;
}

function TemplateEditor({ saved }: { saved: Template }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({ name: saved.name, content: saved.content });
  const [userId, setUserId] = useState('');
  const [eventText, setEventText] = useState('');
  const [focusLine, setFocusLine] = useState<{ line: number } | null>(null);
  const [sending, setSending] = useState(false);
  const [savedWarnings, setSavedWarnings] = useState<string[]>([]);
  const dirty = draft.name !== saved.name || JSON.stringify(draft.content) !== JSON.stringify(saved.content);

  const profiles = useQuery({ queryKey: ['profiles', 'recent'], queryFn: listProfiles });
  const { event, error: eventError } = parseEvent(eventText);
  const previewInput = useDebounced(
    useMemo(
      () => ({ template: draft.content, userId: userId.trim(), event: parseEvent(eventText).event }),
      [draft.content, userId, eventText],
    ),
    350,
  );
  const preview = useQuery({
    queryKey: ['templates', 'preview', saved.id, previewInput],
    queryFn: () =>
      previewTemplate({
        template: previewInput.template,
        ...(previewInput.userId ? { userId: previewInput.userId } : {}),
        ...(previewInput.event ? { event: previewInput.event } : {}),
      }),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

  const save = useMutation({
    mutationFn: () => saveTemplate(saved.id, draft.name, draft.content),
    onSuccess: (updated) => {
      setSavedWarnings(updated.warnings ?? []);
      queryClient.setQueryData(templateKeys.one(saved.id), { ...updated, warnings: undefined });
      void queryClient.invalidateQueries({ queryKey: templateKeys.lists });
    },
  });
  // An edit makes the last save's errors stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on every edit
  useEffect(() => {
    save.reset();
  }, [draft]);

  const saveIssues = save.error ? issuesOf(save.error) : [];
  const previewIssues = preview.error ? issuesOf(preview.error) : [];
  const issues = saveIssues.length > 0 ? saveIssues : previewIssues;
  const warnings = (preview.data && !preview.error ? preview.data.warnings : savedWarnings).map(warningIssue);
  const jump = (line: number) => setFocusLine({ line });

  return (
    <main className="template-editor">
      <div className="editor-head">
        <Link to="/templates" className="back">
          ← Templates
        </Link>
        <h1 className="visually-hidden">{draft.name}</h1>
        <input
          className="name-input"
          aria-label="Template name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
        <span className={`badge channel-${saved.channel}`}>{channelLabels[saved.channel]}</span>
        <span className="save-state" role="status">
          {save.isPending ? 'Saving…' : dirty ? 'Unsaved changes' : `Saved · v${saved.version}`}
        </span>
        <div className="head-actions">
          <button type="button" className="secondary" onClick={() => setSending(true)}>
            Send test
          </button>
          <button type="button" disabled={!dirty || save.isPending} onClick={() => save.mutate()}>
            Save
          </button>
        </div>
      </div>
      <div className="editor-split">
        <section className="editor-pane" aria-label="Content">
          <IssueList
            title={saveIssues.length > 0 ? 'Not saved: fix these first' : 'Errors'}
            issues={issues}
            tone="error"
            onLine={jump}
          />
          <TemplateFields
            content={draft.content}
            onChange={(content) => setDraft({ ...draft, content })}
            issues={issues}
            focusLine={focusLine}
          />
          <IssueList title="Warnings" issues={warnings} tone="warning" onLine={jump} />
        </section>
        <section className="preview-pane" aria-label="Preview">
          <div className="preview-controls">
            <label>
              Preview as
              <input
                list="preview-profiles"
                placeholder="a user id (empty: nobody)"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
              />
              <datalist id="preview-profiles">
                {(profiles.data?.profiles ?? []).flatMap((p) =>
                  p.userId
                    ? [<option key={p.id} value={p.userId} label={p.email ?? p.phone ?? undefined} />]
                    : [],
                )}
              </datalist>
            </label>
            <details className="sample-event" open={eventText !== '' || undefined}>
              <summary>Sample event</summary>
              <textarea
                aria-label="Sample event (JSON)"
                rows={6}
                placeholder={'{ "event": "cart_updated", "properties": { "items": [] } }'}
                value={eventText}
                onChange={(e) => setEventText(e.target.value)}
              />
              {eventError ? <p className="field-issues">Not used: {eventError}</p> : null}
            </details>
          </div>
          <PreviewPane channel={saved.channel} preview={preview.data} pending={preview.isFetching} />
        </section>
      </div>
      {sending ? (
        <SendTestDialog
          templateId={saved.id}
          channel={saved.channel}
          version={saved.version}
          dirty={dirty}
          userId={userId}
          event={event}
          onClose={() => setSending(false)}
        />
      ) : null}
    </main>
  );
}
