import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { settings, type Holiday } from '../api'

/** The organisation's holidays, which business-day controls leave out. */
export function useHolidays() {
  return useQuery({ queryKey: ['settings', 'holidays'], queryFn: () => settings.holidays().then((r) => r.holidays) })
}

/** Replaces the holiday list; the windows of business-day controls follow. */
export function useSaveHolidays() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (list: Holiday[]) => settings.putHolidays(list).then((r) => r.holidays),
    onSuccess: (list) => {
      queryClient.setQueryData(['settings', 'holidays'], list)
      return queryClient.invalidateQueries({ queryKey: ['settings', 'holidays'] })
    },
  })
}

const organisationKey = ['settings', 'organisation'] as const

/** The organisation's name as every workbook, package and export prints it. */
export function useOrganisation() {
  return useQuery({ queryKey: organisationKey, queryFn: () => settings.get().then((r) => r.settings.organisation) })
}

/** Saves the organisation's name and keeps the answer, without reading it again. */
export function useSaveOrganisation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => settings.put(name).then((r) => r.settings.organisation),
    onSuccess: (name) => queryClient.setQueryData(organisationKey, name),
  })
}
