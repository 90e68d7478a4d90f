import { get } from '../api.js';
import { escape, row } from '../cards.js';

export async function searchPage(main, q) {
  const input = document.getElementById('search-input');
  if (input.value !== q) input.value = q;
  const result = await get(`/api/v1/movies?search=${encodeURIComponent(q)}&limit=30`);
  main.innerHTML = `<h1>Search: “${escape(q)}”</h1><p data-testid="result-count">${result.movies.length} movies</p>${row('Results', result.movies, { grid: true })}`;
}
