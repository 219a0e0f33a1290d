/** Speed ratios of each of our pipelines against each peer. */
import { median, round, type Timed } from '../lib/stats';
import type { PipelineResult, Ratio } from './types';

function ratio(ours: string, peer: string, what: string, mine: Timed, theirs: Timed): Ratio {
  const rounds = Math.min(mine.samples.length, theirs.samples.length);
  const paired = Array.from({ length: rounds }, (_, i) => theirs.samples[i] / mine.samples[i]);
  return { ours, peer, what, ratio: round(theirs.median / mine.median), pairedRatio: round(median(paired)) };
}

export function ratios(pipelines: readonly PipelineResult[]): Ratio[] {
  const ours = pipelines.filter((p) => p.library === 'moodlens');
  const peers = pipelines.filter((p) => p.library !== 'moodlens');
  const out: Ratio[] = [];
  for (const mine of ours) {
    for (const peer of peers) {
      for (const frame of mine.frames) {
        const theirs = peer.frames.find((f) => f.file === frame.file);
        if (theirs) out.push(ratio(mine.id, peer.id, frame.file, frame.total, theirs.total));
      }
      out.push(ratio(mine.id, peer.id, 'classifier batch 1', mine.classifierOnly.batch1, peer.classifierOnly.batch1));
      out.push(ratio(mine.id, peer.id, 'classifier batch 10', mine.classifierOnly.batch10, peer.classifierOnly.batch10));
    }
  }
  return out;
}
