import { useEffect } from 'react'
import { useLocation } from 'react-router'

const app = 'socmap'

/** The title of a page that shows no heading yet (still loading, or refused). */
export function routeTitle(pathname: string): string {
  const rules: [RegExp, string][] = [
    [/^\/engagements\/scoping$/, 'Scoping assistant'],
    [/^\/engagements\/[^/]+\/controls\/[^/]+$/, 'Control in engagement'],
    [/^\/engagements\/[^/]+\/requests$/, 'Requests'],
    [/^\/engagements\/[^/]+\/requests\/[^/]+$/, 'Request'],
    [/^\/engagements\/[^/]+$/, 'Engagement'],
    [/^\/controls\/[^/]+$/, 'Control'],
    [/^\/evidence\/[^/]+$/, 'Evidence item'],
    [/^\/soc1-objectives\/adopt$/, 'Adopt SOC 1 objectives'],
    [/^\/catalog(\/|$)/, 'Criteria catalog'],
  ]
  for (const [re, title] of rules) if (re.test(pathname)) return title
  const first = pathname.split('/')[1] ?? ''
  const names: Record<string, string> = {
    dashboard: 'Dashboard', tasks: 'My tasks', 'team-tasks': 'Team tasks', engagements: 'Engagements', coverage: 'Gaps',
    controls: 'Controls', matrix: 'Matrix', 'soc1-objectives': 'SOC 1 objectives', evidence: 'Evidence', automated: 'Automated evidence',
    users: 'Users', audit: 'Audit log', outbox: 'Outbox', settings: 'Settings', tokens: 'API tokens', account: 'Your account',
    login: 'Sign in', setup: 'Set up socmap',
  }
  return names[first] ?? 'Page not found'
}

/** The document title for a page whose main heading reads heading. */
export function titleFor(heading: string, pathname: string): string {
  const h = heading.replace(/\s+/g, ' ').trim()
  return `${h || routeTitle(pathname)} · ${app}`
}

/**
 * Gives every page its own document title: the text of its main heading
 * (so a control's page is titled with its ref and name once loaded),
 * else the page's name from its address. Watching the heading here, rather
 * than in each page, keeps a new page from being left titled "socmap" in
 * browser tabs, history and screen readers.
 */
export function DocumentTitle() {
  const { pathname } = useLocation()
  useEffect(() => {
    const update = () => {
      const h1 = document.querySelector('main h1, .auth-card h1')
      const next = titleFor(h1?.textContent ?? '', pathname)
      if (document.title !== next) document.title = next
    }
    update()
    const observer = new MutationObserver(update)
    observer.observe(document.body, { childList: true, subtree: true, characterData: true })
    return () => observer.disconnect()
  }, [pathname])
  return null
}
