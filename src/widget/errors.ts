/** What the element's `error` event carries: the core's error codes plus the widget's own. */
import { describeError, isMoodlensError, type MoodlensErrorCode } from '../lib';

export type WidgetErrorCode = MoodlensErrorCode | 'image-fetch' | 'unknown';

export interface WidgetErrorDetail {
  code: WidgetErrorCode;
  message: string;
}

/** A failure the widget itself detects (the core's MoodlensError covers the rest). */
export class WidgetError extends Error {
  constructor(
    readonly code: WidgetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WidgetError';
  }
}

export function toErrorDetail(error: unknown): WidgetErrorDetail {
  if (isMoodlensError(error) || error instanceof WidgetError) return { code: error.code, message: error.message };
  return { code: 'unknown', message: describeError(error) };
}
