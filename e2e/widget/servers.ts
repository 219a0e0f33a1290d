/** The two test servers: the widget folder on one origin, the host pages on another. */
export const WIDGET_PORT = 4317;
export const HOST_PORT = 4318;
export const WIDGET_ORIGIN = `http://127.0.0.1:${WIDGET_PORT}`;
export const HOST_ORIGIN = `http://127.0.0.1:${HOST_PORT}`;
