import { describe, expect, it } from 'vitest';
import { cameraError, describeError, isMoodlensError, MoodlensError } from './errors';

describe('MoodlensError', () => {
  it('carries a code, a message and its cause', () => {
    const cause = new Error('inner');
    const error = new MoodlensError('model-missing', 'gone', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MoodlensError');
    expect(error.code).toBe('model-missing');
    expect(error.cause).toBe(cause);
    expect(isMoodlensError(error)).toBe(true);
    expect(isMoodlensError(error, 'model-missing')).toBe(true);
    expect(isMoodlensError(error, 'closed')).toBe(false);
    expect(isMoodlensError(new Error('x'))).toBe(false);
  });

  it('describes anything thrown', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('text')).toBe('text');
    expect(describeError(42)).toBe('42');
  });
});

describe('cameraError', () => {
  it('maps getUserMedia failures to codes with advice', () => {
    expect(cameraError(new DOMException('denied', 'NotAllowedError')).code).toBe('camera-denied');
    expect(cameraError(new DOMException('none', 'NotFoundError')).code).toBe('camera-missing');
    expect(cameraError(new DOMException('busy', 'NotReadableError')).code).toBe('camera-busy');
    expect(cameraError(new TypeError('no mediaDevices')).code).toBe('camera-unsupported');
    expect(cameraError(new DOMException('denied', 'NotAllowedError')).message).toMatch(/Allow the camera/);
  });
});

describe('MoodlensError across copies of this module', () => {
  it('is recognised by instanceof and isMoodlensError when another copy made it', async () => {
    const copy = './errors?copy'; // a second instance of the module, as a second build would have
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('./errors');
    expect(other.MoodlensError).not.toBe(MoodlensError);
    const foreign = new other.MoodlensError('closed', 'made by another build');
    expect(foreign).toBeInstanceOf(MoodlensError);
    expect(isMoodlensError(foreign, 'closed')).toBe(true);
    expect(new Error('plain')).not.toBeInstanceOf(MoodlensError);
  });
});
