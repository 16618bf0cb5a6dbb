package period

import (
	"math/rand/v2"
	"slices"
)

// SelectionMethod names how Select and Extend draw, for the workpapers.
const SelectionMethod = "simple random without replacement (PCG, seeded)"

// Select draws n of population items (0-based indices, ascending) at
// random from a seed: the same seed always gives the same sample, so the
// selection can be reperformed.
func Select(population, n int, seed uint64) []int {
	if n >= population {
		all := make([]int, population)
		for i := range all {
			all[i] = i
		}
		return all
	}
	picked := generator(seed).Perm(population)[:n]
	slices.Sort(picked)
	return picked
}

// Extend draws n more items from those of the population not yet taken,
// with its own seed: an extension never picks an item twice. The same
// population, taken items and seed always give the same items.
func Extend(population int, taken []int, n int, seed uint64) []int {
	was := make(map[int]bool, len(taken))
	for _, i := range taken {
		was[i] = true
	}
	rest := make([]int, 0, population)
	for i := range population {
		if !was[i] {
			rest = append(rest, i)
		}
	}
	if n >= len(rest) {
		return rest
	}
	picked := make([]int, n)
	for i, j := range generator(seed).Perm(len(rest))[:n] {
		picked[i] = rest[j]
	}
	slices.Sort(picked)
	return picked
}

func generator(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
