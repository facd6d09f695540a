import { useEffect, useState } from 'react';
import { ApiError, api, type Session } from './api';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

type State = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    api.session().then(
      (session) => setState({ status: 'signed-in', session }),
      (error: unknown) => {
        if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
        setState({ status: 'signed-out' });
      },
    );
  }, []);

  if (state.status === 'loading') return <div className="loading" aria-busy="true" />;
  if (state.status === 'signed-out') {
    return <SignIn onSignedIn={(session) => setState({ status: 'signed-in', session })} />;
  }
  return (
    <Shell
      session={state.session}
      onSignOut={() => {
        void api.signOut().finally(() => setState({ status: 'signed-out' }));
      }}
    />
  );
}
