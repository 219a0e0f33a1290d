/**
 * The element's shadow DOM: stage, video or image canvas, overlay canvas, poster (slot "poster")
 * with the start button, stop button and status line. Built with createElement, not innerHTML, so
 * that pages enforcing Trusted Types accept it. Visibility follows the stage's data-state.
 */
import { drawResults, type EmotionResult } from '../lib';
import { adoptStyles } from './styles';

export type WidgetState = 'idle' | 'loading' | 'running' | 'done' | 'error';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, part = className): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  node.setAttribute('part', part);
  return node;
}

export class WidgetView {
  readonly stage = element('div', 'stage');
  readonly video = element('video', 'media video', 'video');
  readonly image = element('canvas', 'media image', 'image');
  readonly overlay = element('canvas', 'media overlay', 'overlay');
  readonly startButton = element('button', 'start', 'start-button');
  readonly stopButton = element('button', 'stop', 'stop-button');
  readonly status = element('p', 'status');

  constructor(root: ShadowRoot) {
    adoptStyles(root);
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.setAttribute('aria-hidden', 'true');
    this.overlay.setAttribute('role', 'img');
    this.overlay.setAttribute('aria-label', 'Detected faces and their emotions');
    this.startButton.type = 'button';
    this.stopButton.type = 'button';
    this.stopButton.textContent = 'Stop';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');

    const placeholder = element('div', 'placeholder');
    const note = document.createElement('small');
    note.textContent = 'Runs on this device: no picture leaves it.';
    placeholder.append('Emotion detector', note);
    const slot = document.createElement('slot');
    slot.name = 'poster';
    slot.append(placeholder);
    const poster = element('div', 'poster');
    poster.append(slot, this.startButton, this.status);

    this.stage.append(this.video, this.image, this.overlay, poster, this.stopButton);
    root.append(this.stage);
    this.setState('idle', '');
  }

  setState(state: WidgetState, message: string): void {
    this.stage.dataset.state = state;
    this.status.textContent = message;
    this.startButton.disabled = state === 'loading';
  }

  setSourceKind(kind: 'camera' | 'image', state: WidgetState): void {
    this.stage.dataset.media = kind === 'camera' ? 'video' : 'image';
    const label = kind === 'camera' ? 'Start camera' : 'Analyse photo';
    this.startButton.textContent = state === 'error' ? 'Try again' : label;
  }

  setMirrored(mirrored: boolean): void {
    this.stage.classList.toggle('mirrored', mirrored);
  }

  /** The stage takes the picture's proportions so that media and overlay line up. */
  setAspect(width: number, height: number): void {
    if (width > 0 && height > 0) this.stage.style.aspectRatio = `${width} / ${height}`;
  }

  showImage(bitmap: ImageBitmap): void {
    this.image.width = bitmap.width;
    this.image.height = bitmap.height;
    this.image.getContext('2d')?.drawImage(bitmap, 0, 0);
    this.setAspect(bitmap.width, bitmap.height);
    this.stage.dataset.picture = '';
  }

  /** Boxes and labels over the picture (only cleared when `showBoxes` is off). */
  drawOverlay(result: EmotionResult, showBoxes: boolean, mirrored: boolean): void {
    if (this.overlay.width !== result.width || this.overlay.height !== result.height) {
      this.overlay.width = result.width;
      this.overlay.height = result.height;
    }
    const context = this.overlay.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (showBoxes) drawResults(context, result, { mirrored });
  }

  clear(): void {
    this.video.srcObject = null;
    delete this.stage.dataset.picture;
    for (const canvas of [this.image, this.overlay]) canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }
}
