/** Test helper: the MoodlensError a promise rejects with (fails the test if it resolves). */
import { expect } from 'vitest';
import { MoodlensError } from '../errors';

export async function failure(promise: Promise<unknown>): Promise<MoodlensError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MoodlensError);
    return error as MoodlensError;
  }
  throw new Error('expected a failure');
}
