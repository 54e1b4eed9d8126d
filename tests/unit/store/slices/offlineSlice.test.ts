import { describe, expect, test } from 'vitest';
import { INITIAL_OFFLINE, isOffline, offlineText, reachableFrom } from '../../../../src/store/slices/offlineSlice';

describe('offline state (issue 26, item 0: navigator.onLine alone is not enough)', () => {
  const ready = { ...INITIAL_OFFLINE, readiness: 'ready' as const };

  test('a page the service worker served while the server is out of reach says offline, though navigator.onLine is true', () => {
    expect(offlineText({ ...ready, online: true, reachable: false })).toBe(
      'Offline: the lab runs from this browser’s copy',
    );
    expect(isOffline({ online: true, reachable: false })).toBe(true);
  });

  test('the browser saying offline is believed before any check', () => {
    expect(offlineText({ ...ready, online: false, reachable: null })).toBe(
      'Offline: the lab runs from this browser’s copy',
    );
    expect(offlineText({ ...INITIAL_OFFLINE, readiness: 'preparing', online: false })).toBe('Offline');
  });

  test('online and reachable (or not yet checked) reads as available offline', () => {
    expect(offlineText({ ...ready, online: true, reachable: true })).toBe('Available offline');
    expect(offlineText({ ...ready, online: true, reachable: null })).toBe('Available offline');
    expect(offlineText({ ...INITIAL_OFFLINE, readiness: 'preparing' })).toBe('Preparing offline use…');
    expect(offlineText(INITIAL_OFFLINE)).toBe('');
  });

  test('the server counts as reached only when it answered 2xx from where it was asked', () => {
    expect(reachableFrom({ ok: true, redirected: false })).toBe(true);
    expect(reachableFrom(new TypeError('Failed to fetch'))).toBe(false);
    expect(reachableFrom({ ok: false, redirected: false })).toBe(false);
    // A captive portal redirecting every request to its login page.
    expect(reachableFrom({ ok: true, redirected: true })).toBe(false);
  });
});
