// The routes of the self-service application.
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ActionPage } from './actions/pages.js';
import { AppStateProvider, useAppState } from './app-state.js';
import { BulkActionPage } from './bulk/action-pages.js';
import { JobPage, JobsPage } from './bulk/jobs.js';
import { UploadPage } from './bulk/upload.js';
import { Layout } from './components/layout.js';
import { Loading } from './components/page.js';
import { AccessibilityPage } from './pages/accessibility.js';
import { ContactPage } from './pages/contact.js';
import { DashboardPage } from './pages/dashboard.js';
import { ExecutorsPage } from './pages/executors.js';
import { InboxPage } from './pages/inbox.js';
import { MandateDetailPage } from './pages/mandate-detail.js';
import { NotFoundPage } from './pages/not-found.js';
import { RenewPage } from './pages/renew.js';
import { StartPage } from './pages/start.js';
import { WhyPage } from './pages/why.js';
import { NewMandatePage, WizardDonePage, WizardStepPage } from './wizard/pages.js';

/** Signed-in people land on their mandates; everyone else on the start page. */
function Home() {
  const { session } = useAppState();
  if (session === undefined) return <Loading />;
  return session ? <Navigate to="/mandates" replace /> : <StartPage />;
}

export function App() {
  return (
    <AppStateProvider>
      <BrowserRouter>
        <Layout>
          <Routes>
            <Route path="/" element={<Home />} />
            <Route path="/mandates" element={<DashboardPage />} />
            <Route path="/mandates/new" element={<NewMandatePage />} />
            <Route path="/mandates/new/done/:id" element={<WizardDonePage />} />
            <Route path="/mandates/new/:step" element={<WizardStepPage />} />
            <Route path="/mandates/:id" element={<MandateDetailPage />} />
            <Route path="/mandates/:id/renew" element={<RenewPage stage="check" />} />
            <Route path="/mandates/:id/renew/done" element={<RenewPage stage="done" />} />
            <Route path="/mandates/:id/:action" element={<ActionPage stage="entry" />} />
            <Route path="/mandates/:id/:action/check" element={<ActionPage stage="check" />} />
            <Route path="/mandates/:id/:action/done" element={<ActionPage stage="done" />} />
            <Route path="/why" element={<WhyPage />} />
            <Route path="/inbox" element={<InboxPage />} />
            <Route path="/contact" element={<ContactPage />} />
            <Route path="/executors" element={<ExecutorsPage />} />
            <Route path="/bulk/upload" element={<UploadPage />} />
            <Route path="/bulk/:action" element={<BulkActionPage stage="entry" />} />
            <Route path="/bulk/:action/check" element={<BulkActionPage stage="check" />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/jobs/:id" element={<JobPage />} />
            <Route path="/accessibility" element={<AccessibilityPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Layout>
      </BrowserRouter>
    </AppStateProvider>
  );
}
