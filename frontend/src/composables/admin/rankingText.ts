// Pure helpers that put the ranking's statistics into words for the panel (no Vue, no API calls).
import type { JudgeStats, RankingMethod } from '@/api'

/** How many of the `draws` re-draws put an innovation in the TOP N, from its share `pTop`. */
export function drawsInTop(pTop: number, draws: number): number {
  return Math.round(pTop * draws)
}

export type AgreementLevel = 'strong' | 'moderate' | 'fair' | 'weak'

/** Kendall's W (or any 0–1 agreement) in one word, on the usual rule-of-thumb bands. */
export function agreementLevel(value: number): AgreementLevel {
  return value >= 0.7 ? 'strong' : value >= 0.5 ? 'moderate' : value >= 0.3 ? 'fair' : 'weak'
}

export type JudgeTrait = 'strict' | 'generous' | 'narrow' | 'wide'

/** A centre this many points from the average judge reads as strict or generous. */
export const CENTRE_POINTS = 3
/** A spread this far from 1 (the panel's average use of the scale) reads as narrow or wide. */
export const SPREAD_RATIO = 0.15

/**
 * What sets a judge apart in the judge-effects model, in words the panel uses: strict or
 * generous (centre), narrow or wide (spread). Nothing for a judge close to the average.
 */
export function judgeTraits(judge: Pick<JudgeStats, 'centre' | 'spread'>): JudgeTrait[] {
  const traits: JudgeTrait[] = []
  if (judge.centre != null && judge.centre <= -CENTRE_POINTS) traits.push('strict')
  if (judge.centre != null && judge.centre >= CENTRE_POINTS) traits.push('generous')
  if (judge.spread != null && judge.spread <= 1 - SPREAD_RATIO) traits.push('narrow')
  if (judge.spread != null && judge.spread >= 1 + SPREAD_RATIO) traits.push('wide')
  return traits
}

/**
 * The columns of the ranking table besides the method's own score: the raw mean unless the
 * method is the mean (it would repeat the score), the judge-effects score unless the method is
 * judge effects.
 */
export function extraColumns(method: RankingMethod): { rawMean: boolean; adjusted: boolean } {
  return { rawMean: method !== 'mean', adjusted: method !== 'judge_effects' }
}

/** z-scores are small numbers around 0; every other method scores out of 100. */
export function scoreDigits(method: RankingMethod): number {
  return method === 'zscore' ? 2 : 1
}
