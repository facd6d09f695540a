import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { JourneyRow } from './JourneyRow';
import {
  type JourneyFilter,
  type JourneyStatus,
  journeyKeys,
  journeyStatuses,
  listJourneys,
} from './journeys-api';
import { NewJourneyDialog } from './NewJourneyDialog';
import { useDebounced } from './use-debounced';
import './journeys.css';

const statusOf = (value: string | null): JourneyStatus | '' => journeyStatuses.find((s) => s === value) ?? '';

/** Every journey of the workspace, found by name and status; the place new journeys start. */
export function JourneysPage() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const status = statusOf(params.get('status'));
  const q = useDebounced(search, 250);
  const [creating, setCreating] = useState(false);
  const filter: JourneyFilter = { q, status };
  const journeys = useQuery({
    queryKey: journeyKeys.list(filter),
    queryFn: () => listJourneys(filter),
    placeholderData: keepPreviousData,
  });

  const setParam = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const rows = journeys.data?.journeys ?? [];
  const filtered = q.trim() !== '' || status !== '';
  return (
    <main className="content journeys-page">
      <div className="page-head">
        <h1>Journeys</h1>
        <button type="button" onClick={() => setCreating(true)}>
          New journey
        </button>
      </div>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search by name"
          aria-label="Search journeys by name"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setParam('q', e.target.value.trim());
          }}
        />
        <select aria-label="Status" value={status} onChange={(e) => setParam('status', e.target.value)}>
          <option value="">All but archived</option>
          {journeyStatuses.map((s) => (
            <option key={s} value={s}>
              {s[0]?.toUpperCase()}
              {s.slice(1)}
            </option>
          ))}
        </select>
      </div>
      {journeys.error ? (
        <p className="error" role="alert">
          {journeys.error.message}
        </p>
      ) : null}
      <table className="list" aria-label="Journeys" aria-busy={journeys.isFetching}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Live version
            </th>
            <th scope="col" className="num">
              Entered, 7 days
            </th>
            <th scope="col">Last edited</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((journey) => (
            <JourneyRow key={journey.id} journey={journey} />
          ))}
        </tbody>
      </table>
      {journeys.isSuccess && rows.length === 0 ? (
        <p className="empty">
          {filtered ? 'No journey matches.' : 'No journeys yet. Start one with “New journey”.'}
        </p>
      ) : null}
      {creating ? <NewJourneyDialog onClose={() => setCreating(false)} /> : null}
    </main>
  );
}
