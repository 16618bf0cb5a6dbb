import { useState, type MouseEvent, type ReactNode } from 'react'
import { Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router'
import { useSession } from './session'
import { CatalogPage } from './pages/CatalogPage'
import { LoginPage } from './pages/LoginPage'
import { SetupPage } from './pages/SetupPage'
import { UsersPage } from './pages/UsersPage'
import { TokensPage } from './pages/TokensPage'
import { AuditPage } from './pages/AuditPage'
import { AccountPage } from './pages/AccountPage'
import { ControlsPage } from './pages/ControlsPage'
import { ControlPage } from './pages/ControlPage'
import { EvidencePage } from './pages/EvidencePage'
import { EvidenceDetailPage } from './pages/EvidenceDetailPage'
import { AutomatedPage } from './pages/AutomatedPage'
import { CoveragePage } from './pages/CoveragePage'
import { MatrixPage } from './pages/MatrixPage'
import { EngagementsPage } from './pages/EngagementsPage'
import { EngagementPage } from './pages/EngagementPage'
import { ScopingPage } from './pages/ScopingPage'
import { ControlTestPage } from './pages/ControlTestPage'
import { RequestPage, RequestsPage } from './pages/RequestsPage'
import { TasksPage } from './pages/TasksPage'
import { TeamTasksPage } from './pages/TeamTasksPage'
import { OutboxPage } from './pages/OutboxPage'
import { SettingsPage } from './pages/SettingsPage'
import { DashboardPage } from './pages/DashboardPage'
import { Soc1ObjectivesPage } from './pages/Soc1ObjectivesPage'
import { AdoptObjectivesPage } from './pages/AdoptObjectivesPage'
import { ReauthPrompt } from './Reauth'
import { DocumentTitle } from './title'

/** The pages of the app and the permission each needs. */
const pages = [
  { path: '/dashboard', label: 'Dashboard', permission: 'program.read' },
  { path: '/tasks', label: 'My tasks', permission: 'tasks.work' },
  { path: '/team-tasks', label: 'Team tasks', permission: 'tasks.read_team' },
  { path: '/engagements', label: 'Engagements', permission: 'engagements.read' },
  { path: '/coverage', label: 'Gaps', permission: 'program.read' },
  { path: '/controls', label: 'Controls', permission: 'program.read' },
  { path: '/matrix', label: 'Matrix', permission: 'program.read' },
  { path: '/soc1-objectives', label: 'SOC 1 objectives', permission: 'program.read' },
  { path: '/evidence', label: 'Evidence', permission: 'program.read' },
  { path: '/automated', label: 'Automated', permission: 'program.read' },
  { path: '/catalog', label: 'Catalog', permission: 'catalog.read' },
  { path: '/users', label: 'Users', permission: 'users.manage' },
  { path: '/audit', label: 'Audit log', permission: 'audit.read' },
  { path: '/outbox', label: 'Outbox', permission: 'outbox.read' },
  { path: '/settings', label: 'Settings', permission: 'program.manage' }, // the holidays; the organisation's name is the admins'

]

export function App() {
  const { session, setupNeeded, can } = useSession()
  if (session === undefined) return <p className="loading page-loading">Loading…</p>
  if (session === null) {
    return (
      <>
      <DocumentTitle />
      <Routes>
        <Route path="/setup" element={setupNeeded ? <SetupPage /> : <Navigate to="/login" replace />} />
        <Route path="/login" element={setupNeeded ? <Navigate to="/setup" replace /> : <LoginPage />} />
        <Route path="*" element={<ToLogin />} />
      </Routes>
      </>
    )
  }
  // Control owners start from what they have to do, the compliance team
  // from the dashboard, auditors from their engagements.
  const home = session.user.role === 'owner' ? '/tasks' : can('program.read') ? '/dashboard' : '/engagements'
  return (
    <>
      <DocumentTitle />
      <Header />
      <ReauthPrompt />
      <main id="main">
        <Routes>
          <Route path="/" element={<Navigate to={home} replace />} />
          <Route path="/login" element={<Navigate to={home} replace />} />
          <Route path="/setup" element={<Navigate to={home} replace />} />
          <Route path="/catalog" element={<Allowed permission="catalog.read"><CatalogPage /></Allowed>} />
          <Route path="/catalog/:frameworkId" element={<Allowed permission="catalog.read"><CatalogPage /></Allowed>} />
          <Route path="/engagements" element={<Allowed permission="engagements.read"><EngagementsPage /></Allowed>} />
          <Route path="/engagements/scoping" element={<Allowed permission="program.manage"><ScopingPage /></Allowed>} />
          <Route path="/engagements/:id" element={<Allowed permission="engagements.read"><EngagementPage /></Allowed>} />
          <Route path="/engagements/:id/controls/:control" element={<Allowed permission="engagements.read"><ControlTestPage /></Allowed>} />
          <Route path="/engagements/:id/requests" element={<Allowed permission="engagements.read"><RequestsPage /></Allowed>} />
          <Route path="/engagements/:id/requests/:request" element={<Allowed permission="engagements.read"><RequestPage /></Allowed>} />
          <Route path="/controls" element={<Allowed permission="program.read"><ControlsPage /></Allowed>} />
          <Route path="/controls/:id" element={<Allowed permission="program.read"><ControlPage /></Allowed>} />
          <Route path="/matrix" element={<Allowed permission="program.read"><MatrixPage /></Allowed>} />
          <Route path="/soc1-objectives" element={<Allowed permission="program.read"><Soc1ObjectivesPage /></Allowed>} />
          <Route path="/soc1-objectives/adopt" element={<Allowed permission="program.manage"><AdoptObjectivesPage /></Allowed>} />
          <Route path="/evidence" element={<Allowed permission="program.read"><EvidencePage /></Allowed>} />
          <Route path="/evidence/:id" element={<Allowed permission="program.read"><EvidenceDetailPage /></Allowed>} />
          <Route path="/automated" element={<Allowed permission="program.read"><AutomatedPage /></Allowed>} />
          <Route path="/coverage" element={<Allowed permission="program.read"><CoveragePage /></Allowed>} />
          <Route path="/users" element={<Allowed permission="users.manage"><UsersPage /></Allowed>} />
          <Route path="/audit" element={<Allowed permission="audit.read"><AuditPage /></Allowed>} />
          <Route path="/dashboard" element={<Allowed permission="program.read"><DashboardPage /></Allowed>} />
          <Route path="/tasks" element={<Allowed permission="tasks.read"><TasksPage /></Allowed>} />
          <Route path="/team-tasks" element={<Allowed permission="tasks.read_team"><TeamTasksPage /></Allowed>} />
          <Route path="/outbox" element={<Allowed permission="outbox.read"><OutboxPage /></Allowed>} />
          <Route path="/settings" element={<Allowed permission="program.manage"><SettingsPage /></Allowed>} />
          <Route path="/tokens" element={<TokensPage />} />
          <Route path="/account" element={<AccountPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  )
}

function ToLogin() {
  const location = useLocation()
  const next = location.pathname + location.search
  return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />
}

function Allowed({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useSession()
  if (!can(permission)) {
    return (
      <section className="page" aria-labelledby="denied-title">
        <h1 id="denied-title">Not available to your role</h1>
        <p>Your account cannot open this page. Ask an administrator if you need it.</p>
      </section>
    )
  }
  return <>{children}</>
}

function Header() {
  const { session, can, signOut } = useSession()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  // On a phone the navigation and account links fold into a menu, open
  // on the page it was opened on: following a link (or going back) closes it.
  const [openOn, setOpenOn] = useState<string | null>(null)
  const open = openOn === pathname
  const closeOnLink = (e: MouseEvent) => {
    if (e.target instanceof Element && e.target.closest('a')) setOpenOn(null)
  }
  if (!session) return null
  const { user } = session
  return (
    <header className={open ? 'topbar open' : 'topbar'}>
      <a className="skip" href="#main">Skip to content</a>
      <span className="brand">socmap</span>
      <button type="button" className="menu-toggle" id="menu-toggle" aria-expanded={open} aria-controls="main-nav user-menu"
        onClick={() => setOpenOn(open ? null : pathname)}>
        Menu
      </button>
      <nav aria-label="Main" id="main-nav" onClick={closeOnLink}>
        <ul>
          {pages
            .filter((p) => can(p.permission))
            .map((p) => (
              <li key={p.path}>
                <NavLink to={p.path}>{p.label}</NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <div className="usermenu" id="user-menu" onClick={closeOnLink}>
        <NavLink to="/account" className="who" title="Your account">
          <span className="email">{user.name || user.email}</span>
          <span className={`role role-${user.role}`}>{user.role}</span>
        </NavLink>
        <NavLink to="/tokens">API tokens</NavLink>
        <button
          type="button"
          className="link"
          id="sign-out"
          onClick={() => {
            void signOut().then(() => navigate('/login'))
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  )
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <NavLink to="/catalog">Open the catalog</NavLink>.
      </p>
    </section>
  )
}
