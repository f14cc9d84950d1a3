// The wizard's draft, kept in sessionStorage so it survives a reload and the sign-in round trip.
import { useCallback, useSyncExternalStore } from 'react';
import { readJson, writeJson } from '../lib/session-storage.js';
import type { Draft } from './draft.js';

const KEY = 'ssm.createDraft';
const listeners = new Set<() => void>();
let current: Draft | undefined;
let loaded = false;

function snapshot(): Draft | undefined {
  if (!loaded) {
    current = readJson<Draft>(KEY);
    loaded = true;
  }
  return current;
}

export function saveDraft(draft: Draft | undefined): void {
  current = draft;
  loaded = true;
  writeJson(KEY, draft);
  for (const listener of listeners) listener();
}

export function useDraft(): [Draft | undefined, (change: Partial<Draft>) => void] {
  const draft = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
    snapshot,
  );
  const update = useCallback((change: Partial<Draft>) => {
    const base = snapshot();
    if (base) saveDraft({ ...base, ...change });
  }, []);
  return [draft, update];
}
