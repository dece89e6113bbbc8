// Run once per engine, in a throwaway context, when the script engine starts (off the event loop). The first
// use of a builtin in an engine costs milliseconds to tens of milliseconds (its code is set up lazily);
// paying that here keeps it out of the first requests' time limits. Touches what policies commonly use.
(async function warmUp(rounds) {
  let out = 0;
  for (let r = 0; r < rounds; r++) {
    const settings = JSON.parse('{"headers":{"X-Env":"demo","X-Team":"a"},"limit":3,"list":[1,2,3],"on":true}');
    for (const name of Object.keys(settings.headers)) {
      out += String(settings.headers[name]).length + name.toLowerCase().length;
    }
    for (const [k, v] of Object.entries(settings)) {
      out += `${k}=${v}`.length;
    }
    const list = settings.list.map(x => x * 2).filter(x => x > 2);
    list.forEach(x => { out += x; });
    out += list.find(x => x === 4) || 0;
    out += list.indexOf(6) + list.join(',').length + [...list, 7].length;
    const { limit, on = false } = settings;
    out += on ? limit : 0;
    const path = '/tenants/acme/orders/42?x=1';
    const parts = path.split('/');
    out += parts.length + path.indexOf('/orders') + (path.startsWith('/tenants') ? 1 : 0) + (path.includes('acme') ? 1 : 0);
    out += path.replace('acme', 'beta').length + path.replace(/\d+/g, 'n').length + path.substring(1, 8).length;
    out += /^\/tenants\/([a-z]+)/.test(path) ? 1 : 0;
    const match = path.match(/orders\/(\d+)/);
    out += match ? parseInt(match[1], 10) : 0;
    out += Number('42') + Math.floor(Math.random() * 2) + Math.max(1, 2) + Date.now() % 2;
    out += encodeURIComponent('a b').length + decodeURIComponent('a%20b').length;
    out += JSON.stringify({ out, list, nested: { a: [1, { b: 'c' }] } }).length;
    const map = new Map([['a', 1]]);
    map.set('b', 2);
    out += map.get('a') + map.size + new Set([1, 1, 2]).size;
    try {
      throw new Error('warm-up');
    } catch (e) {
      out += e.message.length;
    }
    out += await Promise.resolve(1);
    out += (await Promise.all([Promise.resolve(1), 2])).length;
  }
  return out;
})
