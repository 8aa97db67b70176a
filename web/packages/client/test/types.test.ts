import { describe, expect, it } from 'vitest';
import WS from 'ws';
import type { WebSocketConstructor } from '../src/index.js';

describe('types', () => {
  it("accepts the browser's and the ws package's WebSocket constructors as they are", () => {
    // compile-time checks: these assignments must type-check without casts
    const fromWs: WebSocketConstructor = WS;
    const fromDom: WebSocketConstructor | undefined = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
    expect(fromWs).toBe(WS);
    expect(fromDom === undefined || typeof fromDom === 'function').toBe(true);
  });
});
