import { afterEach, describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { WalkthroughForm } from './pages/ControlTestPage'
import type { Evidence, Walkthrough } from './api'

afterEach(() => vi.unstubAllGlobals())

const none: Walkthrough = {
  control_id: 7, performed_on: '', participants: '', instance_traced: '', evidence_inspected: '', evidence_ids: [], performed_by: '', updated_at: '', version: 0,
}

describe('walkthrough', () => {
  it('records the day, participants, instance traced and evidence inspected, sent with its version', async () => {
    const sent: { body: string; ifMatch: string | null }[] = []
    vi.stubGlobal('fetch', vi.fn(async (_input: string, init: RequestInit = {}) => {
      sent.push({ body: String(init.body), ifMatch: new Headers(init.headers).get('If-Match') })
      return new Response(JSON.stringify({ walkthrough: { ...none, ...JSON.parse(String(init.body)), performed_by: 'tester@example.com', version: 1 } }), { status: 200 })
    }))
    const saved = vi.fn()
    const evidence = [{ id: 3, title: 'Q1 access review', kind: 'file' }] as Evidence[]
    render(<WalkthroughForm engagementId={4} controlId={7} saved={none} evidence={evidence} editable onSaved={saved} onError={() => undefined} />)
    expect(screen.getByText('No walkthrough recorded yet.')).toBeTruthy()
    await userEvent.type(screen.getByLabelText('Performed on'), '2026-03-20')
    await userEvent.type(screen.getByLabelText('Participants'), 'IT lead')
    await userEvent.type(screen.getByLabelText('Transaction or instance traced'), 'Leaver 4711')
    await userEvent.type(screen.getByLabelText('Evidence inspected'), 'Ticket')
    await userEvent.click(screen.getByLabelText(/Q1 access review/))
    await userEvent.click(screen.getByText('Save walkthrough'))
    await waitFor(() => expect(saved).toHaveBeenCalledTimes(1))
    expect(JSON.parse(sent[0]?.body ?? '{}')).toEqual({ performed_on: '2026-03-20', participants: 'IT lead', instance_traced: 'Leaver 4711', evidence_inspected: 'Ticket', evidence_ids: [3] })
    expect(sent[0]?.ifMatch).toBe('"0"')
  })

  it('shows a recorded walkthrough read-only to those who do not test', () => {
    const w = { ...none, performed_on: '2026-03-20', participants: 'IT lead', performed_by: 'tester@example.com', version: 2 }
    render(<WalkthroughForm engagementId={4} controlId={7} saved={w} evidence={[]} editable={false} onSaved={() => undefined} onError={() => undefined} />)
    expect(screen.getByText('Performed on 2026-03-20, recorded by tester@example.com.')).toBeTruthy()
    expect((screen.getByLabelText('Participants') as HTMLTextAreaElement).disabled).toBe(true)
    expect(screen.queryByText('Save walkthrough')).toBeNull()
  })
})
