// legbrief serve: reloads this page when its sources change, keeping the scroll
// position, and shows build errors over the page. Only `serve` adds this script;
// published pages never carry it.
(function () {
  'use strict';
  var script = document.currentScript;
  var since = script ? script.getAttribute('data-since') || '' : '';
  var here = location.pathname.replace(/index\.html$/, '');
  var scrollKey = 'legbrief-scroll ' + location.pathname;

  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var xy = saved.split(' ');
      var restore = function () { window.scrollTo(Number(xy[0]) || 0, Number(xy[1]) || 0); };
      if (document.readyState === 'complete') restore(); else window.addEventListener('load', restore);
    }
  } catch (e) { /* storage may be disabled: reload without keeping the position */ }

  function reload() {
    try { sessionStorage.setItem(scrollKey, window.scrollX + ' ' + window.scrollY); } catch (e) { /* see above */ }
    location.reload();
  }

  function showErrors(text) {
    var box = document.getElementById('legbrief-error-overlay');
    if (!text) {
      if (box) box.parentNode.removeChild(box);
      return;
    }
    if (!box) {
      box = document.createElement('div');
      box.id = 'legbrief-error-overlay';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'all:initial;display:block;position:fixed;z-index:2147483647;left:0;right:0;top:0;' +
        'max-height:60vh;overflow:auto;box-sizing:border-box;padding:1em 1.25em;background:#fff4f4;' +
        'color:#5c0000;border-bottom:4px solid #b00;box-shadow:0 2px 12px rgba(0,0,0,.3);' +
        'font:15px/1.5 system-ui,sans-serif';
      var title = document.createElement('strong');
      title.style.cssText = 'display:block;margin-bottom:.5em';
      title.textContent = 'The last change does not build. This page shows the last version that did.';
      var pre = document.createElement('pre');
      pre.style.cssText = 'margin:0;white-space:pre-wrap;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace';
      box.appendChild(title);
      box.appendChild(pre);
      (document.body || document.documentElement).appendChild(box);
    }
    box.lastChild.textContent = text;
  }

  if (!window.EventSource) return;
  var url = '/__legbrief/events?since=' + encodeURIComponent(since) + '&path=' + encodeURIComponent(here);
  function connect() {
    var events = new EventSource(url);
    events.addEventListener('open', function () { window.legbriefLive = true; });
    events.addEventListener('reload', function (e) {
      var lines = e.data.split('\n').slice(1);
      if (lines.indexOf('*') >= 0 || lines.indexOf(here) >= 0) reload();
    });
    events.addEventListener('errors', function (e) { showErrors(e.data); });
    // The browser retries a dropped stream by itself, but not one refused with an
    // error status (serve allows only so many streams): try again in a while.
    events.addEventListener('error', function () {
      if (events.readyState === EventSource.CLOSED) {
        window.legbriefLive = false;
        setTimeout(connect, 10000 + Math.floor(Math.random() * 5000));
      }
    });
  }
  connect();
})();
