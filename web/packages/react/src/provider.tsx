import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { isParleyApiError, type ParleyClient } from '@parley/client';
import { bindParleyCache, type BindOptions } from './bind.js';

const ParleyContext = createContext<ParleyClient | null>(null);

/** A QueryClient with the defaults that suit Parley: live data is pushed, so nothing refetches on focus. */
export function createParleyQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => {
          // a 4xx (404: not a participant) will not get better by asking again
          if (isParleyApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429) return false;
          return failures < 2;
        },
      },
    },
  });
}

/** Props of {@link ParleyProvider}. */
export interface ParleyProviderProps {
  /** The client (made once by the app with `createParleyClient`; the provider does not close it). */
  client: ParleyClient;
  /** A QueryClient to use; one is made (see {@link createParleyQueryClient}) when absent. */
  queryClient?: QueryClient;
  /** Options of the event binding. */
  bindOptions?: BindOptions;
  children?: ReactNode;
}

/**
 * Gives the hooks their client and query cache. On mount it subscribes the cache to the client's events
 * ({@link bindParleyCache}) and then starts the client's connection (a no-op when already started), so no event
 * of the first connection is missed.
 */
export function ParleyProvider({ client, queryClient, bindOptions, children }: ParleyProviderProps): ReactNode {
  const [qc] = useState(() => queryClient ?? createParleyQueryClient());
  useEffect(() => {
    const unbind = bindParleyCache(client, qc, bindOptions);
    client.connect();
    return unbind;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, qc]);
  return (
    <QueryClientProvider client={qc}>
      <ParleyContext.Provider value={client}>{children}</ParleyContext.Provider>
    </QueryClientProvider>
  );
}

/** The client given to the nearest {@link ParleyProvider}. */
export function useParleyClient(): ParleyClient {
  const client = useContext(ParleyContext);
  if (!client) throw new Error('useParleyClient: no <ParleyProvider> above this component');
  return client;
}
