/** A column header that sorts a table by key, toggling ascending/descending ("-key"). */
export function SortHeader({ label, sortKey, sort, onSort }: { label: string; sortKey: string; sort: string; onSort: (next: string) => void }) {
  const state = sort === sortKey ? 'ascending' : sort === `-${sortKey}` ? 'descending' : 'none'
  return (
    <th scope="col" aria-sort={state}>
      <button type="button" className="sort" onClick={() => onSort(sort === sortKey ? `-${sortKey}` : sortKey)}>
        {label}
        {state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''}
      </button>
    </th>
  )
}
