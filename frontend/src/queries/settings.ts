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
