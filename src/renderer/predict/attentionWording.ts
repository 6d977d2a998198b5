import type { AttentionMaps } from '../../shared/attention';

/** Whose attention the maps show: the class token's row, or (no class token) the mean over all query tokens. */
export function attentionQuery(query: AttentionMaps['query']): string {
  return query === 'cls' ? 'the class token' : 'all tokens (mean; no class token)';
}

/** The Attention card's subtitle; before the maps arrive the query is not known yet. */
export function attentionSubtitle(query: AttentionMaps['query'] | undefined): string {
  if (query === 'cls') return 'where the class token looks, per layer and head';
  if (query === 'mean') return 'where the tokens look on average (no class token), per layer and head';
  return 'where the attention goes, per layer and head';
}
