/* Parley's service worker: shows push alerts and opens the conversation on a click. */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || (data.count > 1 ? `${data.count} new messages` : 'New message');
  const options = {
    body: data.body || '',
    tag: data.conversationId || 'parley',
    renotify: true,
    data: { conversationId: data.conversationId || null },
  };
  const work = [self.registration.showNotification(title, options)];
  if (typeof data.badge === 'number' && self.navigator && self.navigator.setAppBadge) {
    work.push(self.navigator.setAppBadge(data.badge).catch(() => {}));
  }
  event.waitUntil(Promise.all(work));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const id = event.notification.data && event.notification.data.conversationId;
  const url = new URL(id ? `/?c=${encodeURIComponent(id)}` : '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (new URL(w.url).origin === self.location.origin) {
          w.postMessage({ type: 'open-conversation', conversationId: id });
          return w.focus();
        }
      }
      return self.clients.openWindow(url);
    }),
  );
});
