import { fieldOf, type TemplateIssue } from './templates-api';

/** The server's errors or warnings, each with its field and line; a line jumps the editor there. */
export function IssueList({
  title,
  issues,
  tone,
  onLine,
}: {
  title: string;
  issues: TemplateIssue[];
  tone: 'error' | 'warning';
  onLine?: (line: number) => void;
}) {
  if (issues.length === 0) return null;
  return (
    <section
      className={`issues issues-${tone}`}
      aria-label={title}
      role={tone === 'error' ? 'alert' : undefined}
    >
      <h2>{title}</h2>
      <ul>
        {issues.map((issue) => (
          <li key={`${issue.path}:${issue.message}`}>
            {fieldOf(issue) ? <span className="issue-field">{fieldOf(issue)}</span> : null}
            {issue.line !== undefined && onLine && fieldOf(issue) === 'mjml' ? (
              <button type="button" className="link" onClick={() => onLine(issue.line!)}>
                line {issue.line}
              </button>
            ) : null}
            <span>{issue.line !== undefined ? issue.message.replace(/^line \d+: /, '') : issue.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `body.mjml: line 1: <mj-text>: …` (a save's or preview's warning) as an issue with its line. */
export function warningIssue(warning: string): TemplateIssue {
  const match = /^([\w.]+): (line (\d+): )?(.*)$/s.exec(warning);
  if (!match) return { path: '', message: warning };
  return {
    path: match[1] ?? '',
    message: `${match[2] ?? ''}${match[4] ?? ''}`,
    ...(match[3] ? { line: Number(match[3]) } : {}),
  };
}
