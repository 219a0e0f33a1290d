/**
 * The element's styles, scoped by its shadow root. Applied as a constructed stylesheet where the
 * browser supports it: a page CSP without style-src 'unsafe-inline' blocks <style> elements, also
 * inside shadow roots, but not constructed sheets. Inherited page styles (font, colour) are reset
 * on the stage so the widget looks the same on every page.
 */
export const WIDGET_CSS = `
:host {
  display: inline-block;
  position: relative;
  box-sizing: border-box;
  width: 480px;
  max-width: 100%;
  vertical-align: top;
  contain: content;
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.stage {
  position: relative;
  width: 100%;
  aspect-ratio: 4 / 3;
  overflow: hidden;
  border-radius: 8px;
  background: #1d1d24;
  color: #f4f4f8;
  font: 400 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  letter-spacing: normal;
  text-align: left;
  text-transform: none;
}
.media {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  object-fit: contain;
  display: none;
}
.stage.mirrored .media:not(.overlay) { transform: scaleX(-1); }
.stage[data-state="running"] video,
.stage[data-state="running"] .overlay,
.stage[data-media="image"][data-state="done"] .image,
.stage[data-media="image"][data-state="done"] .overlay { display: block; }
.poster {
  position: absolute;
  inset: 0;
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: 12px;
  padding: 16px;
  text-align: center;
}
.stage[data-state="running"] .poster,
.stage[data-state="done"] .poster { display: none; }
/* A picture analysing: shown at once, the status on a bar over its foot. */
.stage[data-media="image"][data-picture][data-state="loading"] .image { display: block; }
.stage[data-picture][data-state="loading"] .poster {
  inset: auto 0 0 0;
  padding: 6px 10px;
  background: rgb(0 0 0 / 0.6);
}
.stage[data-picture][data-state="loading"] .poster > :not(.status) { display: none; }
.placeholder { font-size: 16px; font-weight: 600; }
.placeholder small { display: block; font-size: 12px; font-weight: 400; opacity: 0.75; }
button {
  all: unset;
  cursor: pointer;
  padding: 8px 16px;
  border-radius: 6px;
  background: #5b5bd6;
  color: #fff;
  font: 600 14px/1.2 system-ui, -apple-system, "Segoe UI", sans-serif;
  text-align: center;
}
button:focus-visible { outline: 2px solid #fff; outline-offset: 2px; }
button:disabled { cursor: progress; opacity: 0.6; }
.stop {
  position: absolute;
  right: 8px;
  bottom: 8px;
  display: none;
  padding: 4px 10px;
  background: rgb(0 0 0 / 0.6);
}
.stage[data-state="running"] .stop { display: block; }
.status { margin: 0; min-height: 1.4em; font-size: 13px; }
.stage[data-state="error"] .status { color: #ffb4ab; }
`;

/** Puts the styles into a shadow root. */
export function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = WIDGET_CSS;
  root.append(style);
}
