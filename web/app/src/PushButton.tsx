import { useEffect, useState } from 'react';
import { useParleyClient } from '@parley/react';

type PushState = 'unsupported' | 'off' | 'working' | 'on' | 'denied' | 'error';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The opt-in for push alerts: registers /sw.js, subscribes with the VAPID key and registers the subscription. */
export function PushButton() {
  const client = useParleyClient();
  const [state, setState] = useState<PushState>(() => (supported() ? 'off' : 'unsupported'));
  const [error, setError] = useState('');
  const [offError, setOffError] = useState('');

  useEffect(() => {
    if (!supported() || Notification.permission !== 'granted') return;
    void navigator.serviceWorker.getRegistration('/').then(async (reg) => {
      if (reg && (await reg.pushManager.getSubscription())) setState('on');
    });
  }, []);

  if (state === 'unsupported') return null;

  const enable = async () => {
    setState('working');
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') return setState('denied');
      const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
      const key = await client.api.getVapidPublicKey();
      const sub =
        (await reg.pushManager.getSubscription()) ??
        (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
      const json = sub.toJSON();
      if (!json.endpoint || !json.keys?.p256dh || !json.keys.auth) throw new Error('The browser gave no keys.');
      const { id } = await client.api.createPushSubscription({
        kind: 'webpush',
        endpoint: json.endpoint,
        keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
      });
      localStorage.setItem('parley.push', id);
      setState('on');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setState('error');
    }
  };

  const disable = async () => {
    setState('working');
    setOffError('');
    try {
      const id = localStorage.getItem('parley.push');
      // the server first: while it holds the subscription, alerts still come, so a failure leaves them on
      if (id) await client.api.deletePushSubscription(id);
      localStorage.removeItem('parley.push');
      const reg = await navigator.serviceWorker.getRegistration('/');
      await (await reg?.pushManager.getSubscription())?.unsubscribe();
      setState('off');
    } catch (e) {
      setOffError(e instanceof Error ? e.message : String(e));
      setState('on');
    }
  };

  if (state === 'on')
    return (
      <span className="push-on">
        Notifications on{' '}
        <button type="button" className="link" onClick={() => void disable()}>
          Turn off notifications
        </button>
        {offError && <span role="alert"> Could not turn notifications off: {offError}</span>}
      </span>
    );
  return (
    <span className="push">
      <button
        type="button"
        className="link"
        onClick={enable}
        disabled={state === 'working' || state === 'denied'}
        title={state === 'error' ? `Could not turn notifications on: ${error}` : undefined}
      >
        {state === 'denied' ? 'Notifications blocked' : state === 'error' ? 'Retry notifications' : 'Enable notifications'}
      </button>
      {state === 'error' && <span role="alert"> Could not turn notifications on: {error}</span>}
      {state === 'denied' && <span className="muted small"> (allow them in the browser's site settings)</span>}
    </span>
  );
}
