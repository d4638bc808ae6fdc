// The google.script.run the served pages get instead of Google's: the same call sites, another
// transport (fetch to /api/run). Arguments are checked in the page as Google's client checks them
// (APPS-SCRIPT-SEMANTICS §8.2): a Date or a function anywhere, top level or nested, fails at once
// with "Failed due to illegal value in property: <key|index>" (the innermost key), before anything
// is sent; so do Maps, Sets, RegExps and boxed primitives (R: TK 2023/08/28); a circular value
// fails with "Failed due to circular reference."; undefined becomes null at the top level and in
// arrays and is dropped from objects (JSON). No value is turned into a string on the way.

/** Browser JS (ES5): `__gasMarshal(args)` → the JSON of the arguments as sent, or a thrown TypeError. */
export const MARSHAL_JS = `function __gasMarshal(args) {
  var seen = [];
  function illegal(key) { return new TypeError('Failed due to illegal value in property: ' + key); }
  function check(v, key) {
    if (v === null || v === undefined) return;
    var t = typeof v;
    if (t === 'function') throw illegal(key);
    if (t !== 'object') return;
    var tag = Object.prototype.toString.call(v);
    if (tag === '[object Date]' || tag === '[object Map]' || tag === '[object Set]' || tag === '[object RegExp]' ||
        tag === '[object String]' || tag === '[object Number]' || tag === '[object Boolean]') throw illegal(key);
    if (seen.indexOf(v) >= 0) throw new TypeError('Failed due to circular reference.');
    seen.push(v);
    var keys = Object.keys(v);
    for (var i = 0; i < keys.length; i++) check(v[keys[i]], keys[i]);
    seen.pop();
  }
  for (var i = 0; i < args.length; i++) check(args[i], String(i));
  var top = [];
  for (var j = 0; j < args.length; j++) top.push(args[j] === undefined ? null : args[j]);
  return JSON.stringify(top);
}`;

/** The <script> a page gets in its <head>: google.script.run and google.script.host. */
export const googleShim = (user: string, web = false) => `<script>
(function () {
  var user = ${JSON.stringify(user)};
  ${MARSHAL_JS}
  function runner(success, failure, userObject) {
    return new Proxy({}, { get: function (_t, name) {
      if (name === 'withSuccessHandler') return function (f) { return runner(f, failure, userObject); };
      if (name === 'withFailureHandler') return function (f) { return runner(success, f, userObject); };
      if (name === 'withUserObject') return function (o) { return runner(success, failure, o); };
      if (typeof name === 'string' && /_$/.test(name)) return undefined;
      return function () {
        var args = __gasMarshal(Array.prototype.slice.call(arguments));
        fetch('/api/run', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fn":' + JSON.stringify(name) + ',"args":' + args + ',"user":' + JSON.stringify(user) + ',"web":${web}}' })
          .then(function (r) { return r.json(); })
          .then(function (r) { parent.postMessage({ kind: 'ui', events: r.ui || [] }, '*');
            if (r.error) { if (failure) failure(new Error(r.error), userObject); } else if (success) success(r.value, userObject); })
          .catch(function (e) { if (failure) failure(e, userObject); });
      };
    } });
  }
  window.google = { script: { run: runner(null, null, undefined), host: { close: function () { parent.postMessage({ kind: 'close' }, '*'); }, editor: { focus: function () {} } } } };
})();
</script>`;
