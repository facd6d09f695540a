import type { JourneyStatus } from './journeys-api';

export function StatusBadge({ status }: { status: JourneyStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
