// Generated movie cards (no posters are available): title, year, genre colours, rating.
const palette = { Drama: '#6a4c93', Comedy: '#e07a1f', Thriller: '#3a3a3a', Action: '#c1121f', Romance: '#d6336c',
  Adventure: '#2a9d8f', Crime: '#495057', 'Sci-Fi': '#1d3557', Horror: '#7b2c2c', Fantasy: '#5a189a', Children: '#f4a261',
  Animation: '#0096c7', Mystery: '#343a40', Documentary: '#52796f', War: '#6b705c', Musical: '#b5179e', Western: '#9c6644',
  IMAX: '#023e8a', 'Film-Noir': '#212529' };

export function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function colour(genre) { return palette[genre] || '#607d8b'; }

export function card(movie, extra = '') {
  const genres = movie.genres || [];
  const first = colour(genres[0]);
  const second = colour(genres[1] || genres[0]);
  return `<article class="card" data-movie="${movie.id}">
    <div class="poster" style="background: linear-gradient(135deg, ${first}, ${second})" aria-hidden="true">${escape(genres.slice(0, 2).join(' · '))}</div>
    <div class="body">
      <a class="title" href="#/movie/${movie.id}">${escape(movie.title)}</a>
      <span class="meta">${movie.year ?? 'year unknown'} · ★ ${Number(movie.bayesianRating ?? movie.averageRating ?? 0).toFixed(2)} · ${movie.ratingCount ?? 0} ratings</span>
      ${extra}
    </div>
  </article>`;
}

export function row(title, movies, options = {}) {
  const body = movies.length ? movies.map((m) => card(m.movie || m, options.extra ? options.extra(m) : '')).join('') : '<p>Nothing here yet.</p>';
  return `<section aria-label="${escape(title)}"><h2>${escape(title)}</h2><div class="${options.grid ? 'grid' : 'row'}">${body}</div></section>`;
}

export function explanation(item) {
  const e = item.explanation;
  if (!e) return '';
  let why = e.channel === 'item2item' && e.because ? `because you liked ${escape(e.because.title)}`
    : e.channel === 'genre' && e.genre ? `your favourite genre ${escape(e.genre)}`
    : e.channel === 'ann' ? 'close to your taste vector'
    : e.channel === 'two-tower' ? 'the two-tower model picked it'
    : e.channel === 'ease' ? 'fits everything you watched (EASE)'
    : e.channel === 'ease-recent' ? 'fits what you watched lately (EASE)'
    : e.channel === 'itemknn-recent' ? 'similar to what you watched lately'
    : e.channel === 'transition' ? 'often watched next after your last movies'
    : e.channel === 'als' ? 'matches your taste factors (ALS)'
    : e.channel === 'genre-popular' ? 'popular in the genres you like'
    : e.channel === 'sasrec' ? 'the sequence model expects it next'
    : e.channel === 'fresh' ? 'new release' : 'popular';
  const p = e.probability != null ? ` · p(like) ${Number(e.probability).toFixed(3)}` : '';
  return `<span class="why" data-channel="${escape(e.channel)}">${why} · ${escape(e.channel)}${p}</span>`;
}
