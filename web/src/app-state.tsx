// What every screen needs: who is signed in, the party they act for, the catalogue, labels in the
// current language, and a polite live region to announce results of background work.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from './lib/api.js';
import { isLanguage, type Language } from './lib/format.js';
import { formatIdentifier } from './lib/identifiers.js';
import type { Catalogue, MandateType, Party, Session } from './lib/types.js';

const ACTING_KEY = 'ssm.actingFor';

interface AppState {
  /** undefined while loading, null when nobody is signed in. */
  session: Session | null | undefined;
  sessionError: ApiError | null;
  catalogue: Catalogue | null;
  catalogueError: ApiError | null;
  /** The party the person acts for: themself or an enterprise they represent. */
  acting: Party | null;
  /** The enterprise number acted for, or undefined when acting for oneself. */
  actingEnterprise: string | undefined;
  setActingEnterprise(enterprise: string | undefined): void;
  announcement: string;
  announce(message: string): void;
  /** Unread notifications of the party acted for (null until known). */
  unread: number | null;
  /** Asks the server again (after a page change, or after marking notifications read). */
  refreshUnread(): void;
  setUnread(count: number): void;
}

const Context = createContext<AppState | null>(null);

function readActing(): string | undefined {
  try {
    return window.sessionStorage.getItem(ACTING_KEY) || undefined;
  } catch {
    return undefined;
  }
}

export function AppStateProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [sessionError, setSessionError] = useState<ApiError | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [catalogueError, setCatalogueError] = useState<ApiError | null>(null);
  const [chosenEnterprise, setChosenEnterprise] = useState<string | undefined>(readActing);
  const [announcement, setAnnouncement] = useState('');
  const [unread, setUnread] = useState<number | null>(null);
  const [unreadTick, setUnreadTick] = useState(0);

  useEffect(() => {
    api.session().then(setSession, (error: unknown) => {
      setSession(null);
      setSessionError(error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error)));
    });
    api
      .catalogue()
      .then(setCatalogue, (error: unknown) =>
        setCatalogueError(error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error))),
      );
  }, []);

  const setActingEnterprise = useCallback((enterprise: string | undefined) => {
    setChosenEnterprise(enterprise);
    try {
      if (enterprise) window.sessionStorage.setItem(ACTING_KEY, enterprise);
      else window.sessionStorage.removeItem(ACTING_KEY);
    } catch {
      // Without storage the choice lasts until the page is reloaded.
    }
  }, []);

  const refreshUnread = useCallback(() => setUnreadTick((n) => n + 1), []);
  const actingForUnread = session?.enterprises.some((e) => e.enterpriseNumber === chosenEnterprise) ? chosenEnterprise : undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: unreadTick asks again on request
  useEffect(() => {
    if (!session) {
      setUnread(null);
      return;
    }
    let current = true;
    api.inbox(actingForUnread, 'en', { limit: 1 }).then(
      (page) => current && setUnread(page.unread),
      () => current && setUnread(null),
    );
    return () => {
      current = false;
    };
  }, [session, actingForUnread, unreadTick]);

  // New notifications arrive when the other parties act: look again every minute while the page is shown.
  useEffect(() => {
    if (!session) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refreshUnread();
    }, 60_000);
    return () => window.clearInterval(timer);
  }, [session, refreshUnread]);

  const announce = useCallback((message: string) => {
    // Clearing first makes screen readers announce a message even when it repeats.
    setAnnouncement('');
    window.setTimeout(() => setAnnouncement(message), 50);
  }, []);

  const value = useMemo<AppState>(() => {
    // Only an enterprise the session still lists may be acted for.
    const actingEnterprise = session?.enterprises.some((e) => e.enterpriseNumber === chosenEnterprise) ? chosenEnterprise : undefined;
    const acting: Party | null = session
      ? actingEnterprise
        ? { kind: 'enterprise', id: actingEnterprise }
        : { kind: 'person', id: session.person.nationalNumber }
      : null;
    return {
      session,
      sessionError,
      catalogue,
      catalogueError,
      acting,
      actingEnterprise,
      setActingEnterprise,
      announcement,
      announce,
      unread,
      refreshUnread,
      setUnread,
    };
  }, [
    session,
    sessionError,
    catalogue,
    catalogueError,
    chosenEnterprise,
    setActingEnterprise,
    announcement,
    announce,
    unread,
    refreshUnread,
  ]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(Context);
  if (!state) throw new Error('useAppState outside AppStateProvider');
  return state;
}

/** The interface language, as one of ours. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(language) ? language : 'en';
}

/** Labels that depend on the language and the catalogue: types, domains and parties in words. */
export function useLabels() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { catalogue, session, acting } = useAppState();
  return useMemo(() => {
    const type = (id: string): MandateType | undefined => catalogue?.types.find((x) => x.id === id);
    const isMe = (p: Party) => acting !== null && p.kind === acting.kind && p.id === acting.id;
    /** A party in a sentence: "person 85.07.30-033.28" / "enterprise 0403.170.701". */
    const partyPhrase = (p: Party) => {
      const id = formatIdentifier(p.kind, p.id);
      if (p.kind === 'person' && session?.person.nationalNumber === p.id && session.person.name) return `${session.person.name} (${id})`;
      return t(p.kind === 'person' ? 'party.personWithId' : 'party.enterpriseWithId', { id });
    };
    return {
      language,
      type,
      typeLabel: (id: string) => type(id)?.label[language] ?? id,
      typeDescription: (id: string) => type(id)?.description[language] ?? '',
      domainLabel: (id: string) => catalogue?.domains.find((d) => d.id === id)?.label[language] ?? id,
      isMe,
      partyPhrase,
      /** As partyPhrase, marked "(you)" when it is the party acted for. */
      partyWithYou: (p: Party) => (isMe(p) ? t('party.youMarker', { party: partyPhrase(p) }) : partyPhrase(p)),
    };
  }, [t, language, catalogue, session, acting]);
}
